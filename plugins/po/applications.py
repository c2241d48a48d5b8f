"""The po plugin's application to the samenwerkingsverband: the TLV for the SBO or the SO.

Data for the core's application framework (``portal.plugin.ApplicationType``): the type's own form fields
(WTForms), the documents it needs from the dossier, the two independent written advices (R-LAW-TLV-1, R-LAW-TLV-2),
its guards and what its decision records (for the SO the category, and the period: at least one school year,
R-LAW-TLV-4). Sources: ``docs/route-sources.md``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import AnyOf

from portal.plugin import (TLV_ADVICES, ApplicationType, DecisionField, DocumentNeed, as_named, tlv_request_form,
                           tlv_request_reasons)

from portal_po import route

SCHOOL_YEAR_DAYS = 364  # 1 August up to and including 31 July: end - start is 364 days (365 in a leap year)

SBO, SO = "sbo", "so"
CATEGORIES = (("laag", "laag"), ("midden", "midden"), ("hoog", "hoog"))


TlvSboSoForm = tlv_request_form(
    "TlvSboSoForm",
    _l("Waarom de basisschool niet (meer) kan bieden wat de leerling nodig heeft, ook niet met extra ondersteuning."),
    school_type=SelectField(_l("Soort onderwijs"), choices=[("", _l("Kies SBO of SO"))] + [
        (SBO, _l("speciaal basisonderwijs (SBO)")), (SO, _l("speciaal onderwijs (SO)"))],
        validators=[AnyOf(("", SBO, SO), message=_l("Kies SBO of SO."))], validate_choice=False))


def submit_guard(facts, action, data):
    """Before submitting, the school has chosen SBO or SO and described every part of the request."""
    if action != "submit":
        return []
    reasons = [] if facts.data.get("school_type") in (SBO, SO) else ["Kies of de aanvraag voor het SBO of het SO is."]
    return reasons + tlv_request_reasons(facts.data)


def category_guard(facts, action, data):
    """A TLV SO records its category (laag, midden, hoog); a TLV SBO has none."""
    if action != "grant":
        return []
    school_type, category = facts.data.get("school_type"), data.get("category")
    if school_type == SO and not category:
        return ["Kies de categorie van de TLV SO (laag, midden of hoog)."]
    if school_type == SBO and category:
        return ["Een TLV voor het SBO heeft geen categorie; laat de categorie leeg."]
    return []


TLV_SBO_SO = ApplicationType(
    **as_named(route.FORMS, "po.tlv_sbo_so"),
    form=TlvSboSoForm,
    documents=(DocumentNeed("opp", "het ontwikkelingsperspectiefplan (OPP)",
                            help="Het OPP met het uitstroomperspectief en de ingezette ondersteuning."),
               DocumentNeed("mdo", "het verslag van het mdo", required=False)),
    advices=TLV_ADVICES,
    guards=(submit_guard, category_guard),
    decision_fields=(DecisionField(key="category", label="Categorie (alleen SO)", kind="choice", choices=CATEGORIES,
                                   required=False),
                     DecisionField(key="start", label="Begindatum", kind="date"),
                     DecisionField(key="end", label="Einddatum", kind="date")),
    legal_basis="Wet op het primair onderwijs, artikel 18a (het samenwerkingsverband beslist over de "
                "toelaatbaarheid tot het speciaal basisonderwijs, na advies van twee deskundigen), en Wet op de "
                "expertisecentra, artikel 40 (toelating tot het speciaal onderwijs met een "
                "toelaatbaarheidsverklaring van het samenwerkingsverband).",
    min_period_days=SCHOOL_YEAR_DAYS,
    objection_committee=True,  # an objection: the LBT advises the SWV before it decides on it
    receiving_school=True,
    extendable=True,
    # The OPP prefills the request: its onderbouwing (with the factors) and its handelingsdeel.
    opp_fields={"support_needs": "rationale", "done_so_far": "handelingsdeel"},
)

TYPES = (TLV_SBO_SO,)
