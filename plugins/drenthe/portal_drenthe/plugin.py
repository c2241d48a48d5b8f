"""Hook implementations of the drenthe region plugin; they only delegate."""

from portal.hookspecs import hookimpl

DISTRIBUTION = "portal-drenthe"
REQUIRES = ("vo",)
