"""A test plugin with one application type shaped like a TLV SO (two advices, a category and a period), for the
SWV desk's tests (tests/test_application_desk.py); the real po/vo types live in the plugins."""

from wtforms import TextAreaField

from portal.plugin import (AdviceNeed, ApplicationForm, ApplicationType, DecisionField, DocumentNeed, hookimpl)

KEY = "deskexample.tlv"


class TlvForm(ApplicationForm):
    request = TextAreaField("Onderwijsbehoeften")


KIND = ApplicationType(
    key=KEY, label="Toelaatbaarheidsverklaring (test)", description="Een TLV om de balie van het SWV te testen.",
    source="tests", form=TlvForm,
    documents=(DocumentNeed("opp", "het ontwikkelingsperspectiefplan"),),
    advices=(AdviceNeed("first", "Eerste advies", ("orthopedagoog", "psycholoog")),
             AdviceNeed("second", "Tweede advies", ("kinderpsycholoog", "pedagoog", "kinderpsychiater",
                                                     "maatschappelijk_werker", "arts"))),
    decision_fields=(DecisionField("category", "Categorie", "choice",
                                   (("laag", "laag"), ("midden", "midden"), ("hoog", "hoog"))),
                     DecisionField("start", "Begindatum", "date"),
                     DecisionField("end", "Einddatum", "date")),
    legal_basis="Artikel 18a, zesde lid, van de Wet primair onderwijs",
    min_period_days=300,
)


@hookimpl
def register_forms():
    return [KIND]
