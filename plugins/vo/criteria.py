"""The PrO and LWOO criteria check as a worked calculation: pure Python, no Flask, no database.

A school that asks the samenwerkingsverband (SWV) for a toelaatbaarheidsverklaring praktijkonderwijs (TLV PrO) or
an aanwijzing leerwegondersteunend onderwijs (LWOO) shows the student's IQ (with the test named) and, per domain
(inzichtelijk rekenen, begrijpend lezen, technisch lezen, spellen), the didactische leeftijd (DL: months of
education followed) and the didactische leeftijdsequivalent (DLE: the months of education the student's result
corresponds to). The leerachterstand per domain is ``(DL - DLE) / DL``; a delay of 0.5 is "three years behind" at
the end of primary school (DL 60).

``assess(data, criteria)`` computes it and says, for PrO and for LWOO separately, whether the criteria are met and
why (every reason in Dutch, all at once). The calculation advises; the SWV decides. The criteria are frozen data:
an SWV plugin may set its own with ``dataclasses.replace(NATIONAL, ...)`` (R-LAW-PRO-2).

National defaults, as they stand since 2016 (see ``docs/route-sources.md``, "PrO and LWOO criteria"):

- PrO (R-LAW-PRO-1): IQ 55-80 and a delay of at least 0.5 in at least two domains, at least one of them inzichtelijk
  rekenen or begrijpend lezen.
- LWOO (R-LAW-LWOO-1): IQ 75-90, or 91-120 with demonstrated social-emotional problems; a delay of 0.25 up to (not
  including) 0.5 in at least two domains, not the pair technisch lezen + spellen alone.
- IQ 75-80 is the overlap of both: the school's motivation decides (R-LAW-PRO-2).

Every comparison is exact: the delay is a ``fractions.Fraction`` and the thresholds are Fractions, so a delay of
exactly 0.5 meets PrO and one of exactly 0.25 meets LWOO, whatever the months.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any, Mapping


def N_(text: str) -> str:
    """Mark a label for translation (extracted by Babel); it is translated where it is shown."""
    return text


# --- domains ----------------------------------------------------------------------------------------------------

INZICHTELIJK_REKENEN = "inzichtelijk_rekenen"
BEGRIJPEND_LEZEN = "begrijpend_lezen"
TECHNISCH_LEZEN = "technisch_lezen"
SPELLEN = "spellen"


@dataclass(frozen=True)
class Domain:
    key: str
    label: str

    @property
    def dl_field(self) -> str:
        return f"dl_{self.key}"

    @property
    def dle_field(self) -> str:
        return f"dle_{self.key}"


DOMAINS = (
    Domain(INZICHTELIJK_REKENEN, N_("inzichtelijk rekenen")),
    Domain(BEGRIJPEND_LEZEN, N_("begrijpend lezen")),
    Domain(TECHNISCH_LEZEN, N_("technisch lezen")),
    Domain(SPELLEN, N_("spellen")),
)
DOMAIN_LABELS = {d.key: d.label for d in DOMAINS}

# Bounds the form enforces (months of education; the DL of a student leaving primary school is about 60).
MONTHS_MAX = 120
IQ_MIN, IQ_MAX = 40, 160

FIELDS = ("iq", "iq_test", *(name for d in DOMAINS for name in (d.dl_field, d.dle_field)),
          "social_emotional", "social_emotional_evidence", "motivation")


# --- criteria (data an SWV may replace) -------------------------------------------------------------------------

def _fraction(value: Any) -> Fraction:
    """A threshold as an exact Fraction; a float goes through its shortest decimal form (0.3 is 3/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


@dataclass(frozen=True)
class IQRange:
    """An inclusive IQ range: ``IQRange(55, 80)`` holds 55 and 80."""

    low: int
    high: int

    def __post_init__(self):
        if self.low > self.high:
            raise ValueError(f"IQRange({self.low}, {self.high}): low above high")

    def __contains__(self, iq: object) -> bool:
        return isinstance(iq, int) and self.low <= iq <= self.high

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


@dataclass(frozen=True)
class ProCriteria:
    """PrO (R-LAW-PRO-1): IQ in ``iq``; a delay of at least ``min_delay`` in at least ``min_domains`` domains, at
    least one of them in ``one_of``."""

    iq: IQRange = IQRange(55, 80)
    min_delay: Fraction = Fraction(1, 2)
    min_domains: int = 2
    one_of: tuple[str, ...] = (INZICHTELIJK_REKENEN, BEGRIJPEND_LEZEN)

    def __post_init__(self):
        object.__setattr__(self, "min_delay", _fraction(self.min_delay))
        object.__setattr__(self, "one_of", tuple(self.one_of))

    def meets_delay(self, delay: Fraction) -> bool:
        return delay >= self.min_delay


@dataclass(frozen=True)
class LwooCriteria:
    """LWOO (R-LAW-LWOO-1): IQ in ``iq``, or in ``iq_with_social_emotional`` when social-emotional problems are
    demonstrated; a delay in ``[min_delay, max_delay)`` (``max_delay`` None: no upper bound) in at least
    ``min_domains`` domains, unless the qualifying domains are exactly one of ``excluded_sets``."""

    iq: IQRange = IQRange(75, 90)
    iq_with_social_emotional: IQRange | None = IQRange(91, 120)
    min_delay: Fraction = Fraction(1, 4)
    max_delay: Fraction | None = Fraction(1, 2)
    min_domains: int = 2
    excluded_sets: tuple[frozenset[str], ...] = (frozenset({TECHNISCH_LEZEN, SPELLEN}),)

    def __post_init__(self):
        object.__setattr__(self, "min_delay", _fraction(self.min_delay))
        if self.max_delay is not None:
            object.__setattr__(self, "max_delay", _fraction(self.max_delay))
        object.__setattr__(self, "excluded_sets", tuple(frozenset(s) for s in self.excluded_sets))

    def meets_delay(self, delay: Fraction) -> bool:
        return delay >= self.min_delay and (self.max_delay is None or delay < self.max_delay)


@dataclass(frozen=True)
class Criteria:
    """The criteria an assessment uses: the national ones (``NATIONAL``) or an SWV's own, e.g.
    ``replace(NATIONAL, label="Criteria SWV ...", pro=dataclasses.replace(NATIONAL.pro, iq=IQRange(55, 82)))``.
    """

    label: str = N_("Landelijke criteria PrO en LWOO")
    source: str = ("Regeling leerwegondersteunend onderwijs en praktijkonderwijs (ministerie van OCW), "
                   "landelijke criteria sinds 2016")
    pro: ProCriteria = field(default_factory=ProCriteria)
    lwoo: LwooCriteria = field(default_factory=LwooCriteria)

    @property
    def overlap(self) -> IQRange | None:
        """The IQ range where both PrO and LWOO are possible (nationally 75-80): the school's motivation decides."""
        low, high = max(self.pro.iq.low, self.lwoo.iq.low), min(self.pro.iq.high, self.lwoo.iq.high)
        return IQRange(low, high) if low <= high else None


NATIONAL = Criteria()


def replace(criteria: Criteria, **changes) -> Criteria:
    """``dataclasses.replace`` under a name a plugin can import from here."""
    return dataclasses.replace(criteria, **changes)


# --- the result --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DomainRow:
    """One line of the worked calculation."""

    key: str
    label: str
    dl: int | None
    dle: int | None
    delay: Fraction | None  # None: not filled in, or not computable (see ``note``)
    meets_pro: bool = False
    meets_lwoo: bool = False
    note: str = ""

    @property
    def percent(self) -> Decimal | None:
        """The delay in percent, rounded down to one decimal (so 49.99% never shows as 50.0%)."""
        if self.delay is None:
            return None
        return (Decimal(self.delay.numerator * 100) / Decimal(self.delay.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_FLOOR)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{_dutch(self.percent)}%"

    @property
    def fraction_text(self) -> str:
        """The delay as a decimal fraction with two decimals, rounded down: ``0,50``."""
        if self.delay is None:
            return ""
        value = (Decimal(self.delay.numerator) / Decimal(self.delay.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_FLOOR)
        return _dutch(value)

    @property
    def calculation_text(self) -> str:
        """The worked calculation: ``(60 − 30) / 60 = 0,50``."""
        if self.delay is None:
            return ""
        return f"({self.dl} − {self.dle}) / {self.dl} = {self.fraction_text}"

    @property
    def criterion_text(self) -> str:
        """Which band the delay meets: PrO, LWOO, both (when an SWV's criteria overlap) or none."""
        if self.delay is None:
            return self.note
        if self.meets_pro and self.meets_lwoo:
            return "PrO en LWOO"
        if self.meets_pro:
            return "PrO"
        if self.meets_lwoo:
            return "LWOO"
        return "geen"


@dataclass(frozen=True)
class Check:
    """One criterion and whether it is met, with the reason in Dutch."""

    met: bool
    text: str


@dataclass(frozen=True)
class Verdict:
    key: str  # "pro" or "lwoo"
    label: str
    checks: tuple[Check, ...]

    @property
    def met(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(check.text for check in self.checks)

    @property
    def summary(self) -> str:
        return (f"Voldoet aan de criteria voor {self.label}." if self.met
                else f"Voldoet niet aan de criteria voor {self.label}.")


ADVICE_NOTE = N_("Deze berekening is een advies. Het samenwerkingsverband besluit, en kan eigen criteria "
                  "hanteren.")


@dataclass(frozen=True)
class Result:
    iq: int | None
    iq_test: str
    rows: tuple[DomainRow, ...]
    pro: Verdict
    lwoo: Verdict
    needs_motivation: bool  # the IQ lies in the overlap of PrO and LWOO: the school's motivation decides
    motivation: str
    overlap_text: str  # the sentence that says so ("" outside the overlap)
    missing: tuple[str, ...]  # what the school still has to fill in, in Dutch
    criteria_label: str
    advice_note: str = ADVICE_NOTE

    @property
    def verdicts(self) -> tuple[Verdict, Verdict]:
        return (self.pro, self.lwoo)

    def as_text(self) -> str:
        """The worked calculation as plain Dutch text, for a dossier entry or a letter."""
        iq = "niet ingevuld" if self.iq is None else str(self.iq)
        lines = [f"Berekening leerachterstand ({self.criteria_label}); IQ {iq}"
                 + (f", gemeten met {self.iq_test}" if self.iq_test else "") + "."]
        for row in self.rows:
            if row.delay is None:
                lines.append(f"- {row.label}: {row.note}")
            else:
                lines.append(f"- {row.label}: DL {row.dl}, DLE {row.dle}: {row.calculation_text} "
                             f"({row.percent_text}); criterium: {row.criterion_text}")
        for verdict in self.verdicts:
            lines.append(verdict.summary)
            lines += [f"  {'voldaan' if check.met else 'niet voldaan'}: {check.text}" for check in verdict.checks]
        if self.overlap_text:
            lines.append(self.overlap_text)
            lines.append(f"Motivatie van de school: {self.motivation or 'nog niet gegeven'}")
        lines.append(self.advice_note)
        return "\n".join(lines)


# --- the calculation ---------------------------------------------------------------------------------------------

NUMBER_WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier"}


def delay_of(dl: int, dle: int) -> Fraction:
    """The leerachterstand ``(DL - DLE) / DL`` as an exact fraction (negative when the student is ahead)."""
    if dl <= 0:
        raise ValueError("DL must be positive")
    return Fraction(dl - dle, dl)


def assess(data: Mapping[str, Any], criteria: Criteria = NATIONAL) -> Result:
    """The worked calculation for the values of the form (see ``FIELDS``); a domain may be left empty."""
    iq = _int(data.get("iq"))
    iq_test = _text(data.get("iq_test"))
    social_emotional = bool(data.get("social_emotional"))
    evidence = _text(data.get("social_emotional_evidence"))
    motivation = _text(data.get("motivation"))

    rows = tuple(_row(domain, data.get(domain.dl_field), data.get(domain.dle_field), criteria)
                 for domain in DOMAINS)
    pro = Verdict("pro", "praktijkonderwijs (PrO)", (_pro_iq(iq, criteria.pro), _pro_delay(rows, criteria.pro)))
    lwoo = Verdict("lwoo", "leerwegondersteunend onderwijs (LWOO)",
                   (_lwoo_iq(iq, social_emotional, evidence, criteria.lwoo), _lwoo_delay(rows, criteria.lwoo)))

    overlap = criteria.overlap
    needs_motivation = overlap is not None and iq in overlap
    overlap_text = ""
    if needs_motivation:
        overlap_text = (f"IQ {iq} valt in het overlapgebied {overlap} van PrO en LWOO: de motivatie van de school "
                        "geeft de doorslag.")

    missing = []
    if iq is None:
        missing.append("Vul het IQ in.")
    if not iq_test:
        missing.append("Noem de intelligentietest waarmee het IQ is gemeten.")
    needed = min(criteria.pro.min_domains, criteria.lwoo.min_domains)
    if sum(row.delay is not None for row in rows) < needed:
        missing.append(f"Vul voor ten minste {_count(needed)} domeinen de DL en de DLE in.")
    for row in rows:
        if row.note and row.note != NOT_FILLED:
            missing.append(f"{row.label.capitalize()}: {row.note}")
    if needs_motivation and not motivation:
        missing.append(f"Het IQ valt in het overlapgebied {overlap}: geef de motivatie van de school voor PrO of "
                       "LWOO.")
    if social_emotional and not evidence:
        missing.append("Onderbouw de sociaal-emotionele problematiek (waaruit blijkt die?).")

    return Result(iq=iq, iq_test=iq_test, rows=rows, pro=pro, lwoo=lwoo, needs_motivation=needs_motivation,
                  motivation=motivation, overlap_text=overlap_text, missing=tuple(missing),
                  criteria_label=criteria.label)


NOT_FILLED = "niet ingevuld"


def _row(domain: Domain, raw_dl: Any, raw_dle: Any, criteria: Criteria) -> DomainRow:
    dl, dle = _int(raw_dl), _int(raw_dle)
    note = ""
    if _blank(raw_dl) and _blank(raw_dle):
        note = NOT_FILLED
    elif dl is None or dle is None:
        note = "vul zowel de DL als de DLE in (hele maanden)."
    elif dl <= 0:
        note = "de DL moet groter zijn dan 0."
    elif dle < 0:
        note = "de DLE kan niet negatief zijn."
    if note:
        return DomainRow(domain.key, domain.label, dl, dle, None, note=note)
    delay = delay_of(dl, dle)
    return DomainRow(domain.key, domain.label, dl, dle, delay, meets_pro=criteria.pro.meets_delay(delay),
                     meets_lwoo=criteria.lwoo.meets_delay(delay))


def _pro_iq(iq: int | None, pro: ProCriteria) -> Check:
    if iq is None:
        return Check(False, f"Geen IQ ingevuld (PrO vraagt een IQ van {pro.iq}).")
    if iq in pro.iq:
        return Check(True, f"IQ {iq} ligt binnen {pro.iq}.")
    return Check(False, f"IQ {iq} ligt buiten {pro.iq}.")


def _pro_delay(rows: tuple[DomainRow, ...], pro: ProCriteria) -> Check:
    qualifying = [row for row in rows if row.meets_pro]
    one_of = " of ".join(DOMAIN_LABELS.get(key, key) for key in pro.one_of)
    rule = (f"Leerachterstand van minstens {_percent(pro.min_delay)} in ten minste {_count(pro.min_domains)} domeinen, "
            f"waarvan één {one_of}")
    met = len(qualifying) >= pro.min_domains and any(row.key in pro.one_of for row in qualifying)
    if met:
        return Check(True, f"{rule}: gehaald ({_labels(qualifying)}).")
    if len(qualifying) >= pro.min_domains:
        detail = f"{_labels(qualifying)}, geen {one_of}"
    elif qualifying:
        detail = f"alleen {_labels(qualifying)}"
    else:
        detail = "in geen enkel domein"
    return Check(False, f"{rule}: niet gehaald ({detail}).")


def _lwoo_iq(iq: int | None, social_emotional: bool, evidence: str, lwoo: LwooCriteria) -> Check:
    second = lwoo.iq_with_social_emotional
    ranges = f"{lwoo.iq}" + (f" of {second} met aangetoonde sociaal-emotionele problematiek" if second else "")
    if iq is None:
        return Check(False, f"Geen IQ ingevuld (LWOO vraagt een IQ van {ranges}).")
    if iq in lwoo.iq:
        return Check(True, f"IQ {iq} ligt binnen {lwoo.iq}.")
    if second is not None and iq in second:
        if social_emotional and evidence:
            return Check(True, f"IQ {iq} ligt binnen {second} en sociaal-emotionele problematiek is aangetoond.")
        if social_emotional:
            return Check(False, f"IQ {iq} ligt binnen {second}, maar de sociaal-emotionele problematiek is niet "
                                "onderbouwd.")
        return Check(False, f"IQ {iq} ligt binnen {second}, maar sociaal-emotionele problematiek is niet "
                            "aangetoond.")
    outside = f"{lwoo.iq}" + (f" en {second}" if second else "")
    return Check(False, f"IQ {iq} ligt buiten {outside}.")


def _lwoo_delay(rows: tuple[DomainRow, ...], lwoo: LwooCriteria) -> Check:
    qualifying = [row for row in rows if row.meets_lwoo]
    band = (f"van {_percent(lwoo.min_delay)} tot {_percent(lwoo.max_delay)}" if lwoo.max_delay is not None
            else f"van minstens {_percent(lwoo.min_delay)}")
    excluded = "; ".join(" + ".join(DOMAIN_LABELS.get(k, k) for k in _ordered(s)) for s in lwoo.excluded_sets)
    rule = f"Leerachterstand {band} in ten minste {_count(lwoo.min_domains)} domeinen"
    if excluded:
        rule += f", niet alleen {excluded}"
    keys = frozenset(row.key for row in qualifying)
    if len(qualifying) >= lwoo.min_domains and keys not in lwoo.excluded_sets:
        return Check(True, f"{rule}: gehaald ({_labels(qualifying)}).")
    if qualifying:
        detail = f"alleen {_labels(qualifying)}"
    else:
        detail = "in geen enkel domein"
    return Check(False, f"{rule}: niet gehaald ({detail}).")


# --- helpers ---------------------------------------------------------------------------------------------------

def _ordered(keys) -> list[str]:
    order = [d.key for d in DOMAINS]
    return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))


def _labels(rows) -> str:
    labels = [row.label for row in rows]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]


def _count(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def _percent(value: Fraction) -> str:
    """A threshold in percent, Dutch style: 1/2 -> ``50%``, 3/8 -> ``37,5%``."""
    number = Decimal(value.numerator * 100) / Decimal(value.denominator)
    text = _dutch(number.quantize(Decimal("0.1"), rounding=ROUND_FLOOR))
    return (text[:-2] if text.endswith(",0") else text) + "%"


def _dutch(number: Decimal) -> str:
    return str(number).replace(".", ",")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int(value: Any) -> int | None:
    """A whole number from the form (int or digits), else None; a bool is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
