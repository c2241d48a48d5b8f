"""Schools of the SWV install."""

import peewee as pw
from flask_babel import lazy_gettext as _l

from portal.db import BaseModel, utcnow

SECTORS = ("PO", "VO")
# The type of a school, with its sector: the OPP rules follow it (a plugin decides, e.g. VSO and PrO draw up an OPP
# for every student and do not register it in the ROD, seed 004 §2.2).
SCHOOL_TYPES = {
    "regulier_po": ("PO", _l("Regulier basisonderwijs")),
    "sbo": ("PO", _l("Speciaal basisonderwijs (SBO)")),
    "so": ("PO", _l("Speciaal onderwijs (SO)")),
    "regulier_vo": ("VO", _l("Regulier voortgezet onderwijs")),
    "vso": ("VO", _l("Voortgezet speciaal onderwijs (VSO)")),
    "pro": ("VO", _l("Praktijkonderwijs (PrO)")),
}


def regular_type(sector: str) -> str:
    return f"regulier_{sector.lower()}"


class School(BaseModel):
    name = pw.CharField(max_length=200)
    brin = pw.CharField(max_length=6, unique=True)
    sector = pw.CharField(max_length=2, choices=[(s, s) for s in SECTORS])
    school_type = pw.CharField(max_length=20, default="")  # a SCHOOL_TYPES key; "" (older rows): the regular one
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=utcnow)

    def __str__(self) -> str:
        return self.name

    @property
    def type_key(self) -> str:
        """The school's type; a school without one is the regular school of its sector."""
        return self.school_type if self.school_type in SCHOOL_TYPES else regular_type(self.sector)
