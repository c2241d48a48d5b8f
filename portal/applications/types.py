"""What a plugin says about an application type: the plugin-facing dataclasses, re-exported by ``portal.plugin``.

``ApplicationType`` is the richer successor of ``FormType``: a plugin returns it from ``register_forms`` like any
form, and only these can be applied for (a plain ``FormType`` stays a named form the route mentions). The core
owns the workflow (``workflow.py``), the storage, the sharing and the pages; the type says which fields its form
has, what it needs before it can be decided (documents, advices, signatures, guards), and what a decision records.

Nothing here imports Flask or peewee except the base form class, so a plugin's module can be read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from portal.inputs import StringField, at_most
from portal import bounds

from portal.route.definition import FormType

# Professions of a deskundige (Advisor.profession), as keys with Dutch labels; the SWV's administrator picks one.
PROFESSIONS = {
    "orthopedagoog": _l("orthopedagoog"),
    "psycholoog": _l("psycholoog"),
    "kinderpsycholoog": _l("kinder- of jeugdpsycholoog"),
    "pedagoog": _l("pedagoog"),
    "kinderpsychiater": _l("kinderpsychiater"),
    "maatschappelijk_werker": _l("maatschappelijk werker"),
    "arts": _l("arts"),
    "overig": _l("andere deskundige"),
}


class ApplicationForm(FlaskForm):
    """Base class of an application type's own fields (WTForms). The core adds CSRF and stores ``data``.

    Field values are stored as JSON: strings, numbers, booleans, dates (kept as ISO dates) and lists of those.
    """


@dataclass(frozen=True)
class AdviceNeed:
    """One written advice the decision needs, from a deskundige with one of ``professions``.

    ``independent``: the advisor may not work for the applying or the receiving school and may not have taken
    part in the case before (a meeting of the student); the core checks this when the SWV assigns the advisor.
    """

    key: str
    label: str
    professions: tuple[str, ...]
    independent: bool = True


@dataclass(frozen=True)
class DocumentNeed:
    """A document the school must share from the dossier, e.g. "het ontwikkelingsperspectiefplan".

    ``source_types``: dossier entries of these kinds (``"phase_plan"``: every plan and evaluation of the traject's
    phases) are shared for this need automatically, when the concept starts and again when it is submitted.
    """

    key: str
    label: str
    help: str = ""
    required: bool = True
    source_types: tuple[str, ...] = ()


class BoardSignatureFields(ApplicationForm):
    """The school board's (bevoegd gezag) signature: added to the form of a type with ``board_signature``."""

    board_name = StringField(_l("Bevoegd gezag: naam van wie ondertekent"),
                             validators=[at_most(200)])
    board_function = StringField(_l("Bevoegd gezag: functie"),
                                 validators=[at_most(200)])
    board_signed_on = bounds.DutchDateField(_l("Bevoegd gezag: datum van ondertekening"),
                                            validators=[Optional(), bounds.DateWithin(bounds.RECORDED)],
                                            render_kw={"type": "date"})


@dataclass(frozen=True)
class DecisionField:
    """What the decision records besides granted/refused: ``kind`` is "text", "date" or "choice"."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True
    when: tuple[str, ...] = ("granted",)  # the decisions that ask for this field


@dataclass(frozen=True)
class Assessment:
    """A worked calculation both the school and the SWV see (it advises; the SWV decides).

    ``compute(data, criteria)`` returns a result that ``template`` renders (as ``result``); ``criteria`` is data
    that another plugin may replace through ``adjust_application_type`` (an SWV sets its own).
    """

    key: str
    label: str
    compute: Callable[[Mapping[str, Any], Any], Any] = field(repr=False, compare=False)
    criteria: Any = None
    template: str = ""


# Who takes the decision an application type asks for (``ApplicationType.decider``), with its Dutch name. Only the
# SWV's own decisions go through its desk and can be objected to with the SWV; for the others the school records
# the real decider's outcome (seed 004 §3.1, §3.2, annex 3).
SWV = "swv"
SCHOOL = "school"  # the school board, e.g. an OTV (with the inspectorate's instemming where its decision aid says so)
LEERPLICHT = "leerplicht"  # the leerplicht authority, on the parents' request (a vrijstelling)
RECEIVING_INSTITUTION = "receiving_institution"  # an MBO or HBO institution admits the student
DECIDERS = {
    SWV: _l("het samenwerkingsverband"),
    SCHOOL: _l("de school (het bevoegd gezag)"),
    LEERPLICHT: _l("de leerplichtambtenaar"),
    RECEIVING_INSTITUTION: _l("de ontvangende instelling"),
}

ENDING_NOTICE_DAYS = 91  # about three months before a TLV ends: time to ask for an extension

# A type's own rule: (facts, action, data) -> Dutch reasons. ``facts`` is an ``ApplicationFacts`` record.
ApplicationGuard = Callable[[Any, str, Mapping[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class ApplicationType(FormType):
    """An application to the SWV (TLV, aanwijzing, aanvraag), registered through ``register_forms``."""

    form: type[ApplicationForm] | None = None  # the type's own fields
    documents: tuple[DocumentNeed, ...] = ()
    advices: tuple[AdviceNeed, ...] = ()
    guards: tuple[ApplicationGuard, ...] = field(default=(), repr=False, compare=False)
    decision_fields: tuple[DecisionField, ...] = ()
    # Who decides (a key of ``DECIDERS``). Anyone but the SWV: the school records the outcome itself (no SWV
    # decision, no objection with the SWV); with ``inform_swv`` the record is shared with the SWV for information.
    decider: str = SWV
    inform_swv: bool = False
    # An objection against the decision needs the advice of the national objection committee (LBT) before the
    # SWV decides on it, unless the SWV grants it in full (every TLV, PrO and LWOO).
    objection_committee: bool = False
    # The SWV's outcome is an advice (an APO advice, the DOA VO's or the RET's), not a besluit (Awb 1:3): nobody
    # objects to it, and its letter offers no objection.
    advice_only: bool = False
    legal_basis: str = ""  # shown in the decision letter
    min_period_days: int | None = None  # a granted period (start/end decision fields) lasts at least this long
    receiving_school: bool = False  # the form asks which school would receive the student
    signatures: bool = True  # a parent with gezag (from 18: the student) signs before submitting
    assessment: Assessment | None = None
    extendable: bool = False  # a granted one can be followed by an extension that starts from it
    ending_notice_days: int | None = ENDING_NOTICE_DAYS  # the school is reminded this long before a granted period
    # ends (None: never)
    # form field name -> OPP field name (portal.opp.services.PREFILL): a new application starts with the text of
    # the student's OPP there (an extension starts from the application it extends instead)
    opp_fields: Mapping[str, str] = field(default_factory=dict, compare=False)
    # The school board (bevoegd gezag) signs too, with name, function and date (a DOA VO request, seed 004 §2.4).
    board_signature: bool = False
    # A request the SWV leads (DOA VO, RET): the SWV user handling it sees and moves the student's traject.
    lead_request: bool = False
    # The consent register must hold a valid consent for this purpose (the type's key) before submitting.
    consent_purpose: bool = False
    # How the route names the advice of a phase with ``binding_advice`` ("bindend"; the RET's "zwaarwegend").
    advice_weight: str = "bindend"
    # A new one of this type starts from the student's latest earlier one (its values; linked as ``previous``).
    starts_from_previous: bool = False
    # Reminder kinds (keys) whose open items for the student the request page shows, e.g. the DOA VO's
    # evaluation after 6 to 12 weeks: what follows from the request stays in sight where it was asked.
    follow_ups: tuple[str, ...] = ()
    # ``starts_with(student_id)`` -> {form field: value}: what a new concept starts with besides the OPP's text, e.g.
    # a RET request with the verklarende analyse of the student's DOA VO (recorded once, not typed again).
    starts_with: Callable[[int], Mapping[str, Any]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.decider not in DECIDERS:
            raise ValueError(f"{self.key}: decider {self.decider!r} is not one of {', '.join(DECIDERS)}")
        if self.board_signature and not issubclass(self.form or ApplicationForm, BoardSignatureFields):
            form = type(f"{(self.form or ApplicationForm).__name__}WithBoard",
                        (self.form or ApplicationForm, BoardSignatureFields), {})
            object.__setattr__(self, "form", form)

    def advice_need(self, key: str) -> AdviceNeed | None:
        """The advice this type asks for under ``key`` (an ``Advice.need``), or None."""
        return next((need for need in self.advices if need.key == key), None)


# Decision fields the core reads for a type named in a phase with ``binding_advice``: the advised next step (a
# choice of the route's phase keys) and the advice in the team's words.
ADVISED_STEP = "advised_step"
ADVICE_TEXT = "advice"
