"""Test plugins around application types: one registers a type with criteria, another replaces its criteria
(an SWV's own), a third returns something that is not a replacement."""

import dataclasses

from portal.plugin import ApplicationType, Assessment, hookimpl

CRITERIA = {"iq_max": 80}
OWN_CRITERIA = {"iq_max": 85}

KIND = ApplicationType(key="example.aanvraag", label="Voorbeeldaanvraag", description="Een aanvraag om te testen.",
                       source="tests", assessment=Assessment(key="example.check", label="Controle",
                                                             compute=lambda data, criteria: data, criteria=CRITERIA))


class Registers:
    @staticmethod
    @hookimpl
    def register_forms():
        return [KIND]


class Adjusts:
    @staticmethod
    @hookimpl
    def adjust_application_type(application_type):
        if application_type.key != KIND.key:
            return None
        return dataclasses.replace(application_type,
                                   assessment=dataclasses.replace(application_type.assessment, criteria=OWN_CRITERIA))


class Breaks:
    @staticmethod
    @hookimpl
    def adjust_application_type(application_type):
        return dataclasses.replace(application_type, key="example.iets_anders")


# --- a whole application type on the PO route, for the framework's own tests --------------------------------

from wtforms import BooleanField, SelectField, TextAreaField  # noqa: E402
from wtforms.validators import InputRequired, Length  # noqa: E402

from portal.plugin import AdviceNeed, ApplicationForm, DecisionField, DocumentNeed, Phase  # noqa: E402


class TlvForm(ApplicationForm):
    needs = TextAreaField("Onderwijsbehoeften", validators=[InputRequired("Beschrijf de onderwijsbehoeften."),
                                                           Length(max=5000)])
    setting = SelectField("Soort onderwijs", choices=[("sbo", "Speciaal basisonderwijs"), ("so", "Speciaal onderwijs")])
    parents_involved = BooleanField("Ouders zijn betrokken bij de aanvraag")


def _refuses_without_needs(facts, action, data):
    """A type's own guard: vetoes a grant when the form's needs mention 'geen'."""
    if action == "grant" and "geen" in str(facts.data.get("needs", "")).split():
        yield "Deze test-aanvraag wordt niet toegekend als er 'geen' behoeften zijn."


TLV = ApplicationType(
    key="example.tlv", label="Test-TLV", description="Een TLV om het raamwerk te testen.", source="tests",
    form=TlvForm,
    documents=(DocumentNeed("opp", "Het ontwikkelingsperspectiefplan"),),
    advices=(AdviceNeed("first", "Eerste advies", ("orthopedagoog", "psycholoog")),
             AdviceNeed("second", "Tweede advies", ("kinderpsychiater", "maatschappelijk_werker", "arts",
                                                     "pedagoog", "kinderpsycholoog"))),
    guards=(_refuses_without_needs,),
    decision_fields=(DecisionField("category", "Categorie", kind="choice",
                                   choices=(("laag", "laag"), ("midden", "midden"), ("hoog", "hoog"))),
                     DecisionField("start", "Ingangsdatum", kind="date"),
                     DecisionField("end", "Einddatum", kind="date")),
    legal_basis="artikel 18a van de Wet op het primair onderwijs", min_period_days=300, receiving_school=True,
    extendable=True)

PHASE = Phase("example.toewijzing", "Toewijzing", "Een fase die de test-TLV noemt.", ("zorg",),
              forms=("example.tlv",), order=55)


class Tlv:
    register_forms = staticmethod(hookimpl(lambda: [TLV]))
    extend_routes = staticmethod(hookimpl(lambda: [("po.route", [PHASE])]))
