"""Hook implementations of the po plugin; they only delegate."""

from portal.hookspecs import hookimpl

DISTRIBUTION = "ondersteuningsroute-portal"
REQUIRES: tuple[str, ...] = ()
