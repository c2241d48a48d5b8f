"""Route definitions: frozen, framework-independent descriptions of a support route.

Plugins describe their route with these dataclasses and the core gathers them into its registry. Nothing here
imports Flask, peewee or a plugin.

Keys are namespaced by the plugin that owns them ("vo.mdo", "drenthe.doa_vo") and unique within their kind
(phase, meeting type, form, guard, entry point): a phase and a meeting type may share a key. A phase names its
meeting types and forms by key only, so a region plugin can use a sector plugin's meeting types and forms
without importing it; the core checks at start-up that every referenced key is registered.

User-facing text (labels, purposes, notes) is Dutch; every item carries ``source``, a reference to the seed
document and section it paraphrases ("seed 001, fase 3").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


@dataclass(frozen=True)
class Phase:
    """One phase of a route, with what belongs to it and who leads it."""

    key: str
    label: str
    purpose: str
    lead_roles: tuple[str, ...]  # core role keys (portal.policy.ROLES): "mentor", "zorg", "swv"
    meeting_types: tuple[str, ...] = ()  # MeetingType keys, possibly another plugin's
    forms: tuple[str, ...] = ()  # FormType keys, possibly another plugin's
    jeugdhulp_contributions: tuple[str, ...] = ()  # possible contributions of jeugdhulp, leerplicht, JGZ
    source: str = ""
    order: int = 0  # position in the route; steps of 10 leave room for phases a region plugin adds
    lead_label: str = ""  # who leads, in the sector's own words ("Leerkracht en IB'er")
    dossier_items: tuple[str, ...] = ()  # what the dossier should hold after this phase
    notes: tuple[str, ...] = ()  # guidance shown on the phase page
    evaluation_weeks: tuple[int, int] | None = None  # (earliest, latest) week of the evaluation, if fixed
    binding_advice: bool = False  # the advice given in this phase binds the next steps
    # Phases this phase leads to as a choice, not a sequence (Drenthe ch. 3: RET, TLV VSO, vrijstelling): moving to
    # one after the evaluation is 'Naar de volgende fase' with that target, and the phases in between are not skipped.
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingType:
    """A kind of meeting; the phases it belongs to name it by key."""

    key: str
    label: str
    description: str
    default_participants: tuple[str, ...]
    default_agenda: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class FormType:
    """An application or form (TLV, beschikking, aanvraag); fields and workflow come with the applications."""

    key: str
    label: str
    description: str
    source: str


@dataclass(frozen=True)
class EntryPoint:
    """A way into the route other than the first phase (e.g. a student without a school)."""

    key: str
    label: str
    description: str
    start_phase: str
    source: str


@dataclass(frozen=True)
class TransitionField:
    """A piece of information a guard reads from the transition form (asked when the guard may apply)."""

    key: str
    label: str
    kind: str = "text"  # "text" (a written answer), "bool" (a checkbox) or "date" (a day, passed on as dd-mm-jjjj)
    help: str = ""


@dataclass(frozen=True)
class Guard:
    """A named plugin rule that may veto a transition.

    ``check(route, state, action, target_phase, data)`` returns Dutch reasons; an empty result allows the
    transition. A reason names the alternatives that do lead past the guard (there is no override).
    """

    key: str
    label: str
    description: str
    source: str
    check: Callable[..., Iterable[str]] = field(repr=False, compare=False)
    fields: tuple[TransitionField, ...] = ()  # what the transition form must ask for this guard
    targets: tuple[str, ...] = ()  # phase keys this guard is about, so the form asks its fields only there
    # ``prefill(state)`` -> {field key: value} the form offers for this guard's fields when it opens (e.g. what the
    # student's request already recorded: typed once); a date as ISO (jjjj-mm-dd). None: the fields start empty.
    prefill: Callable[..., dict] | None = field(default=None, repr=False, compare=False)

    def __call__(self, route, state, action, target_phase, data) -> list[str]:
        return list(self.check(route, state, action, target_phase, data))


@dataclass(frozen=True)
class Route:
    """An ordered, cyclic sequence of phases for one sector; phases are kept sorted by ``order``."""

    key: str
    label: str
    sector: str  # "PO" or "VO", as portal.schools.models.SECTORS
    version: str
    phases: tuple[Phase, ...]
    entry_points: tuple[EntryPoint, ...] = ()
    source: str = ""
    # The documents the ``source`` fields cite, as readers know them: {"seed 004": "Ondersteuningsroute SWV 22.02"}.
    documents: dict[str, str] = field(default_factory=dict, hash=False)
    # The sector's own words for core roles and terms, e.g. {"mentor": "Leerkracht"} in primary education.
    terms: dict[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        phases = tuple(sorted(self.phases, key=lambda p: p.order))
        object.__setattr__(self, "phases", phases)
        _require_unique(self.key, "fase", [p.key for p in phases])
        _require_unique(self.key, "ingang", [e.key for e in self.entry_points])
        if not phases:
            raise ValueError(f"Route {self.key} heeft geen fasen.")
        for entry in self.entry_points:
            self.phase(entry.start_phase)
        for phase in phases:
            for key in phase.alternatives:
                self.phase(key)  # an unknown alternative stops start-up (KeyError naming it)
                if key == phase.key:
                    raise ValueError(f"Route {self.key}: fase {key} noemt zichzelf als alternatief.")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.phases)

    @property
    def first(self) -> Phase:
        return self.phases[0]

    def phase(self, key: str) -> Phase:
        return self.phases[self.index(key)]

    def index(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            raise KeyError(f"Route {self.key} kent geen fase {key!r}.") from None

    def has_phase(self, key: str) -> bool:
        return key in self.keys

    def is_last(self, key: str) -> bool:
        return self.index(key) == len(self.phases) - 1

    def next_phase(self, key: str) -> Phase:
        """The phase after ``key``; after the last phase the cycle starts again at the first."""
        return self.phases[(self.index(key) + 1) % len(self.phases)]

    def is_alternative(self, start: str, end: str) -> bool:
        """Whether ``end`` is one of the choices ``start`` leads to (``Phase.alternatives``)."""
        return end in self.phase(start).alternatives

    def between(self, start: str, end: str) -> tuple[Phase, ...]:
        """Phases strictly between two phases, in order (empty if ``end`` is not later)."""
        return self.phases[self.index(start) + 1 : self.index(end)]

    def before(self, key: str) -> tuple[Phase, ...]:
        return self.phases[: self.index(key)]

    def entry_point(self, key: str) -> EntryPoint:
        for entry in self.entry_points:
            if entry.key == key:
                return entry
        raise KeyError(f"Route {self.key} kent geen ingang {key!r}.")

    def meeting_type_keys(self) -> tuple[str, ...]:
        return _unique(k for p in self.phases for k in p.meeting_types)

    def form_keys(self) -> tuple[str, ...]:
        return _unique(k for p in self.phases for k in p.forms)

    def extend(self, phases: Iterable[Phase], version: str | None = None) -> Route:
        """A copy with phases added (a region plugin's additions), sorted into place by ``order``."""
        return dataclasses.replace(self, phases=self.phases + tuple(phases), version=version or self.version)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe snapshot, so a traject keeps the definition it started under."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Route:
        phases = tuple(Phase(**_tuples(p)) for p in data["phases"])
        entries = tuple(EntryPoint(**e) for e in data.get("entry_points", ()))
        rest = {k: v for k, v in data.items() if k not in ("phases", "entry_points")}
        return cls(phases=phases, entry_points=entries, **rest)


def _tuples(values: dict[str, Any]) -> dict[str, Any]:
    """JSON turns tuples into lists; turn them back so a restored phase equals the original."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))


def _require_unique(route_key: str, kind: str, keys: list[str]) -> None:
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"Route {route_key}: dubbele {kind}-sleutel(s): {', '.join(duplicates)}.")
