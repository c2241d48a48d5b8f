"""The vo plugin's applications to the samenwerkingsverband: TLV VSO, TLV praktijkonderwijs and aanwijzing LWOO.

Data for the core's application framework (``portal.plugin.ApplicationType``): each type's own form fields
(WTForms), the documents it needs from the dossier, the advices it needs and who may give them, its guards and
what its decision records. The PrO / LWOO criteria check is the worked calculation of ``criteria.py``, shown by
``vo/assessment.html``; it advises, the SWV decides. Sources: ``docs/route-sources.md``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import NumberRange, Optional

from portal.plugin import StringField, TextField, at_most
from portal.plugin import (TLV_ADVICES, ApplicationForm, ApplicationType, Assessment, DecisionField, DocumentNeed,
                           WholeNumberField, as_named, is_real_text, tlv_request_form, tlv_request_reasons)

from portal_vo import criteria, route

SCHOOL_YEAR_DAYS = 364  # 1 August up to and including 31 July: end - start is 364 days (365 in a leap year)

CATEGORIES = (("laag", "laag"), ("midden", "midden"), ("hoog", "hoog"))


START = DecisionField(key="start", label="Begindatum", kind="date")
END = DecisionField(key="end", label="Einddatum", kind="date")
CATEGORY = DecisionField(key="category", label="Bekostigingscategorie", kind="choice", choices=CATEGORIES)


# --- TLV VSO ---------------------------------------------------------------------------------------------------

TlvVsoForm = tlv_request_form(
    "TlvVsoForm", _l("Waarom de ondersteuningsbehoefte de mogelijkheden van het reguliere voortgezet onderwijs "
                     "overstijgt, nu alle mogelijkheden daar benut zijn."))


def tlv_submit_guard(facts, action, data):
    """Before submitting, the school has described every part of the request (all reasons at once)."""
    if action != "submit":
        return []
    return tlv_request_reasons(facts.data)


TLV_VSO = ApplicationType(
    **as_named(route.FORMS, "vo.tlv_vso"),
    form=TlvVsoForm,
    documents=(DocumentNeed("opp", "het ontwikkelingsperspectiefplan (OPP)",
                            help="Het OPP met het uitstroomperspectief en de ingezette ondersteuning."),
               DocumentNeed("mdo", "het verslag van het mdo of MDO-T", required=False)),
    advices=TLV_ADVICES,
    guards=(tlv_submit_guard,),
    decision_fields=(CATEGORY, START, END),
    legal_basis="Wet op de expertisecentra, artikel 40 (toelating tot het voortgezet speciaal onderwijs met een "
                "toelaatbaarheidsverklaring van het samenwerkingsverband), en de Wet voortgezet onderwijs 2020 "
                "(het samenwerkingsverband beslist over de toelaatbaarheid, na advies van twee deskundigen).",
    min_period_days=SCHOOL_YEAR_DAYS,
    objection_committee=True,
    receiving_school=True,
    extendable=True,
    # The OPP prefills the request: its onderbouwing (with the factors) and its handelingsdeel.
    opp_fields={"support_needs": "rationale", "done_so_far": "handelingsdeel"},
)


# --- TLV praktijkonderwijs and aanwijzing LWOO: the worked calculation ------------------------------------------

# The range message per lower bound, as constants: a lazy string is never formatted with a variable.
MONTHS_MESSAGES = {0: _l("Vul een aantal maanden in van 0 tot en met 120."),
                   1: _l("Vul een aantal maanden in van 1 tot en met 120.")}


def _months(label, low):
    return WholeNumberField(label, validators=[
        Optional(), NumberRange(low, criteria.MONTHS_MAX, message=MONTHS_MESSAGES[low])],
        render_kw={"min": low, "max": criteria.MONTHS_MAX, "inputmode": "numeric"})


class CalculationForm(ApplicationForm):
    """The fields of ``criteria.assess`` (``criteria.FIELDS``): IQ with the test, DL and DLE per domain, the
    social-emotional problems with their evidence, and the school's motivation."""

    iq = WholeNumberField(_l("Totaal-IQ"), validators=[
        Optional(), NumberRange(criteria.IQ_MIN, criteria.IQ_MAX, message=_l("Het IQ ligt tussen 40 en 160."))],
        render_kw={"min": criteria.IQ_MIN, "max": criteria.IQ_MAX, "inputmode": "numeric"})
    iq_test = StringField(_l("Intelligentietest"), description=_l("Naam van de test en datum van afname."),
                          validators=[at_most(200)])
    dl_inzichtelijk_rekenen = _months(_l("DL inzichtelijk rekenen (maanden)"), 1)
    dle_inzichtelijk_rekenen = _months(_l("DLE inzichtelijk rekenen (maanden)"), 0)
    dl_begrijpend_lezen = _months(_l("DL begrijpend lezen (maanden)"), 1)
    dle_begrijpend_lezen = _months(_l("DLE begrijpend lezen (maanden)"), 0)
    dl_technisch_lezen = _months(_l("DL technisch lezen (maanden)"), 1)
    dle_technisch_lezen = _months(_l("DLE technisch lezen (maanden)"), 0)
    dl_spellen = _months(_l("DL spellen (maanden)"), 1)
    dle_spellen = _months(_l("DLE spellen (maanden)"), 0)
    social_emotional = BooleanField(_l("Sociaal-emotionele problematiek is aangetoond"))
    social_emotional_evidence = TextField(_l("Onderbouwing van de sociaal-emotionele problematiek"),
                                      _l("Welk onderzoek, door wie en wanneer; bijvoorbeeld faalangst of een zwakke "
                                         "prestatiemotivatie die het leren belemmert."))
    motivation = TextField(_l("Motivatie van de school"),
                       _l("Waarom deze aanvraag past bij de leerling. Verplicht bij een IQ van 75 tot en met 80 "
                          "(het overlapgebied van PrO en LWOO)."))


def result_of(facts):
    """The worked calculation of an application, with the type's (possibly an SWV's own) criteria."""
    assessment = facts.kind.assessment
    return assessment.compute(facts.data, assessment.criteria)


def calculation_submit_guard(facts, action, data):
    """Before submitting, the calculation has what it needs: IQ and test, two domains, the motivation in the
    overlap, the evidence of claimed social-emotional problems (R-LAW-PRO-2)."""
    if action != "submit":
        return []
    return list(result_of(facts).missing)


def grant_against_advice(verdict_key):
    """The calculation advises, the SWV decides: granting while the criteria (``pro`` or ``lwoo``) are not met
    needs the SWV's motivation."""

    def guard(facts, action, data):
        if action != "grant":
            return []
        verdict = getattr(result_of(facts), verdict_key)
        if verdict.met or is_real_text(data.get("motivation")):
            return []
        return [f"Volgens de berekening voldoet de leerling niet aan de criteria voor {verdict.label}; motiveer "
                "waarom het samenwerkingsverband toch toekent."]

    return guard


ASSESSMENT = Assessment(key="vo.pro_lwoo", label="Berekening leerachterstand en criteria PrO en LWOO",
                        compute=criteria.assess, criteria=criteria.NATIONAL, template="vo/assessment.html")

RESEARCH = DocumentNeed("onderzoek", "het verslag van het intelligentie- en didactisch onderzoek",
                        help="Met de naam van de intelligentietest en de toetsen waaruit DL en DLE komen.")

TLV_PRO = ApplicationType(
    **as_named(route.FORMS, "vo.tlv_pro"),
    form=CalculationForm,
    documents=(RESEARCH, DocumentNeed("opp", "het ontwikkelingsperspectiefplan (OPP)", required=False)),
    guards=(calculation_submit_guard, grant_against_advice("pro")),
    decision_fields=(START, END),
    legal_basis="Wet voortgezet onderwijs 2020 (toelaatbaarheid tot het praktijkonderwijs: een "
                "toelaatbaarheidsverklaring van het samenwerkingsverband, sinds 2016) en de landelijke criteria "
                "voor het praktijkonderwijs.",
    min_period_days=SCHOOL_YEAR_DAYS,
    objection_committee=True,
    assessment=ASSESSMENT,
    extendable=True,
)

LWOO = ApplicationType(
    **as_named(route.FORMS, "vo.lwoo"),
    form=CalculationForm,
    documents=(RESEARCH,),
    guards=(calculation_submit_guard, grant_against_advice("lwoo")),
    decision_fields=(START,),
    objection_committee=True,
    legal_basis="Wet voortgezet onderwijs 2020 (aanwijzing voor leerwegondersteunend onderwijs door het "
                "samenwerkingsverband, sinds 2016) en de landelijke criteria voor leerwegondersteunend onderwijs.",
    assessment=ASSESSMENT,
)

TYPES = (TLV_PRO, LWOO, TLV_VSO)
