"""What every TLV asks, whichever sector's plugin offers it: the request's four parts (the student's needs, what
the school did, why it cannot (any longer) offer what is needed, how parents and student are involved), the check
that each is really described before submitting, and the two independent advices the law asks for (R-LAW-TLV-1).
The po and vo plugins build their TLV types from these through ``portal.plugin``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.applications.types import AdviceNeed, ApplicationForm
from portal.inputs import TextField
from portal.route.engine import is_real_text

FIRST_ADVICE = AdviceNeed(key="advies_1", label="Eerste deskundigenadvies",
                          professions=("orthopedagoog", "psycholoog"))
SECOND_ADVICE = AdviceNeed(key="advies_2", label="Tweede deskundigenadvies",
                           professions=("kinderpsycholoog", "pedagoog", "kinderpsychiater", "maatschappelijk_werker",
                                        "arts"))
TLV_ADVICES = (FIRST_ADVICE, SECOND_ADVICE)

REQUEST_PARTS = {"support_needs": "de onderwijs- en ondersteuningsbehoeften van de leerling",
                 "done_so_far": "wat de school al heeft gedaan",
                 "why_not_regular": "waarom de school dit niet (meer) kan bieden",
                 "parents_involvement": "de betrokkenheid van ouders en leerling"}


def tlv_request_form(name: str, why_not_regular: str, **own_fields) -> type[ApplicationForm]:
    """A TLV's form: the type's own fields first (created by the caller), then the request's four parts;
    ``why_not_regular`` says in the sector's words what the school explains there."""
    fields = dict(own_fields)
    fields.update(
        support_needs=TextField(_l("Onderwijs- en ondersteuningsbehoeften van de leerling"),
                                _l("Wat heeft de leerling nodig om te leren en zich te ontwikkelen?")),
        done_so_far=TextField(_l("Wat de school al heeft gedaan"),
                              _l("De ondersteuning die is ingezet (ook met externe partners) en wat die opleverde.")),
        why_not_regular=TextField(_l("Waarom de school dit niet (meer) kan bieden"), why_not_regular),
        parents_involvement=TextField(_l("Betrokkenheid van ouders en leerling"),
                                      _l("Hoe ouders en leerling bij de aanvraag betrokken zijn en wat zij ervan "
                                         "vinden.")),
    )
    return type(name, (ApplicationForm,), fields)


def tlv_request_reasons(data: dict) -> list[str]:
    """Why the request cannot be submitted yet: each part not really described (all at once)."""
    return [f"Beschrijf {label}." for key, label in REQUEST_PARTS.items() if not is_real_text(data.get(key))]
