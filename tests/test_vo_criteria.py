"""The PrO / LWOO criteria check (``portal_vo.criteria``): the worked calculation, on its boundary values.

Pure Python except the last two tests, which render the template ``vo/assessment.html`` in the app.
"""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import pytest
from flask import render_template
from hypothesis import example, given, settings
from hypothesis import strategies as st

from portal_vo import criteria as C
from portal_vo.criteria import (BEGRIJPEND_LEZEN, INZICHTELIJK_REKENEN, NATIONAL, SPELLEN, TECHNISCH_LEZEN, IQRange,
                                assess, delay_of)

DL = 60  # the didactische leeftijd at the end of groep 8


def data(iq=None, *, test="WISC-V", se=False, evidence="", motivation="", **delays):
    """Form values: ``rekenen=30`` means DL 60, DLE 30 for inzichtelijk rekenen; a tuple gives (DL, DLE)."""
    names = {"rekenen": INZICHTELIJK_REKENEN, "begrijpend": BEGRIJPEND_LEZEN, "technisch": TECHNISCH_LEZEN,
             "spellen": SPELLEN}
    values = {"iq": iq, "iq_test": test, "social_emotional": se, "social_emotional_evidence": evidence,
              "motivation": motivation}
    for short, value in delays.items():
        dl, dle = value if isinstance(value, tuple) else (DL, value)
        values[f"dl_{names[short]}"], values[f"dle_{names[short]}"] = dl, dle
    return values


def pro(values, criteria=NATIONAL):
    return assess(values, criteria).pro


def lwoo(values, criteria=NATIONAL):
    return assess(values, criteria).lwoo


# --- the delay ------------------------------------------------------------------------------------------------

def test_delay_is_exact_fraction_of_dl():
    """R-LAW-PRO-2: the delay per domain is (DL - DLE) / DL, computed exactly and shown as a worked calculation."""
    assert delay_of(60, 30) == Fraction(1, 2)
    assert delay_of(60, 45) == Fraction(1, 4)
    assert delay_of(60, 70) == Fraction(-1, 6)  # ahead: no delay
    row = assess(data(70, rekenen=20)).rows[0]
    assert row.label == "inzichtelijk rekenen" and (row.dl, row.dle) == (60, 20)
    assert row.calculation_text == "(60 − 20) / 60 = 0,66" and row.percent_text == "66,6%"
    assert row.criterion_text == "PrO"


def test_delay_with_odd_months_has_no_float_surprise():
    """R-LAW-PRO-1: 0.5 is met exactly whatever the months; a threshold an SWV gives as a float is read as the
    decimal it was written as (0.3 is 3/10, not the binary float just below it)."""
    values = data(70, rekenen=(114, 57), begrijpend=(34, 17))
    assert pro(values).met
    swv = dataclasses.replace(NATIONAL, lwoo=dataclasses.replace(NATIONAL.lwoo, min_delay=0.3))
    assert swv.lwoo.min_delay == Fraction(3, 10)
    assert lwoo(data(80, rekenen=(70, 49), begrijpend=(70, 49)), swv).met


def test_dl_zero_or_missing_is_not_counted_and_says_why():
    """R-LAW-PRO-2: a domain left empty is not counted; DL <= 0, a negative DLE or half a pair is named."""
    result = assess(data(70, rekenen=(0, 0), begrijpend=(60, -1)) | {"dl_spellen": 60, "dle_spellen": ""})
    rows = {row.key: row for row in result.rows}
    assert rows[INZICHTELIJK_REKENEN].delay is None and "groter zijn dan 0" in rows[INZICHTELIJK_REKENEN].note
    assert rows[BEGRIJPEND_LEZEN].delay is None and "negatief" in rows[BEGRIJPEND_LEZEN].note
    assert rows[SPELLEN].delay is None and "zowel de DL als de DLE" in rows[SPELLEN].note
    assert rows[TECHNISCH_LEZEN].note == "niet ingevuld"
    assert not result.pro.met and not result.lwoo.met
    assert any(item.startswith("Inzichtelijk rekenen:") for item in result.missing)


def test_form_strings_are_read_as_numbers():
    """The form may hand strings: digits count, anything else is not a number."""
    values = {"iq": "70", "iq_test": "SON-R", "dl_inzichtelijk_rekenen": "60", "dle_inzichtelijk_rekenen": "30",
              "dl_begrijpend_lezen": " 60 ", "dle_begrijpend_lezen": "30", "dl_spellen": "zestig", "dle_spellen": "1"}
    result = assess(values)
    assert result.iq == 70 and result.pro.met
    assert result.rows[3].delay is None


# --- PrO (R-LAW-PRO-1) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("iq, met", [(54, False), (55, True), (80, True), (81, False)])
def test_pro_iq_boundaries(iq, met):
    """R-LAW-PRO-1: PrO needs an IQ of 55 up to and including 80."""
    verdict = pro(data(iq, rekenen=30, begrijpend=30))
    assert verdict.met is met
    assert verdict.checks[0].text == (f"IQ {iq} ligt binnen 55-80." if met else f"IQ {iq} ligt buiten 55-80.")


@pytest.mark.parametrize("dle, met", [(30, True), (31, False)])
def test_pro_delay_exactly_half_meets(dle, met):
    """R-LAW-PRO-1: a delay of exactly 0.5 (DL 60, DLE 30) meets PrO; 29/60 does not."""
    assert pro(data(70, rekenen=dle, begrijpend=dle)).met is met


def test_pro_needs_two_domains():
    """R-LAW-PRO-1: one domain with a delay of 0.5 or more is not enough."""
    verdict = pro(data(70, rekenen=10, begrijpend=40, technisch=50, spellen=60))
    assert not verdict.met
    assert verdict.checks[1].text == ("Leerachterstand van minstens 50% in ten minste twee domeinen, waarvan één "
                                      "inzichtelijk rekenen of begrijpend lezen: niet gehaald (alleen inzichtelijk "
                                      "rekenen).")


def test_pro_needs_rekenen_or_begrijpend_lezen():
    """R-LAW-PRO-1: technisch lezen and spellen alone, however far behind, do not meet PrO."""
    verdict = pro(data(65, technisch=10, spellen=0, rekenen=40, begrijpend=40))
    assert not verdict.met
    assert "niet gehaald (technisch lezen en spellen, geen inzichtelijk rekenen of begrijpend lezen)" in \
        verdict.checks[1].text
    assert pro(data(65, technisch=10, spellen=0, begrijpend=30)).met
    assert pro(data(65, technisch=10, rekenen=30)).met


def test_pro_only_spellen_reason():
    verdict = pro(data(60, spellen=20))
    assert verdict.checks[1].text.endswith(": niet gehaald (alleen spellen).")
    assert verdict.summary == "Voldoet niet aan de criteria voor praktijkonderwijs (PrO)."


def test_pro_met_names_the_domains():
    verdict = pro(data(60, rekenen=30, spellen=20))
    assert verdict.met and verdict.summary == "Voldoet aan de criteria voor praktijkonderwijs (PrO)."
    assert verdict.reasons == ("IQ 60 ligt binnen 55-80.",
                               "Leerachterstand van minstens 50% in ten minste twee domeinen, waarvan één "
                               "inzichtelijk rekenen of begrijpend lezen: gehaald (inzichtelijk rekenen en spellen).")


def test_missing_iq_fails_both_with_reason():
    result = assess(data(None, test="", rekenen=30, begrijpend=30))
    assert not result.pro.met and not result.lwoo.met
    assert result.pro.checks[0].text == "Geen IQ ingevuld (PrO vraagt een IQ van 55-80)."
    assert "Vul het IQ in." in result.missing
    assert "Noem de intelligentietest waarmee het IQ is gemeten." in result.missing


# --- LWOO (R-LAW-LWOO-1) ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("iq, met", [(74, False), (75, True), (90, True), (91, False), (120, False)])
def test_lwoo_iq_boundaries_without_social_emotional(iq, met):
    """R-LAW-LWOO-1: LWOO needs an IQ of 75 up to and including 90 without social-emotional problems."""
    assert lwoo(data(iq, rekenen=40, begrijpend=40)).met is met


@pytest.mark.parametrize("iq, met", [(90, True), (91, True), (120, True), (121, False)])
def test_lwoo_iq_91_120_only_with_demonstrated_social_emotional_problems(iq, met):
    """R-LAW-LWOO-1: an IQ of 91-120 qualifies only with demonstrated (and substantiated) social-emotional
    problems."""
    shown = data(iq, se=True, evidence="Faalangst, vastgesteld door de orthopedagoog (rapport mei).",
                 rekenen=40, begrijpend=40)
    assert lwoo(shown).met is met
    claimed = lwoo(data(iq, se=True, rekenen=40, begrijpend=40))
    assert claimed.met is (iq == 90)
    if 91 <= iq <= 120:
        assert claimed.checks[0].text == (f"IQ {iq} ligt binnen 91-120, maar de sociaal-emotionele problematiek "
                                          "is niet onderbouwd.")
        assert lwoo(data(iq, rekenen=40, begrijpend=40)).checks[0].text == (
            f"IQ {iq} ligt binnen 91-120, maar sociaal-emotionele problematiek is niet aangetoond.")
    assert lwoo(data(121, rekenen=40, begrijpend=40)).checks[0].text == "IQ 121 ligt buiten 75-90 en 91-120."


@pytest.mark.parametrize("dle, met", [(45, True), (46, False), (31, True), (30, False)])
def test_lwoo_delay_band(dle, met):
    """R-LAW-LWOO-1: the delay band is 0.25 <= d < 0.5: exactly 0.25 (45/60) meets, 14/60 does not; 29/60 meets,
    exactly 0.5 is above the band."""
    assert lwoo(data(85, rekenen=dle, begrijpend=dle)).met is met


def test_lwoo_not_technisch_lezen_and_spellen_alone():
    """R-LAW-LWOO-1: the pair technisch lezen + spellen alone does not meet LWOO; with a third domain it does."""
    verdict = lwoo(data(85, technisch=40, spellen=40))
    assert not verdict.met
    assert verdict.checks[1].text == ("Leerachterstand van 25% tot 50% in ten minste twee domeinen, niet alleen "
                                      "technisch lezen + spellen: niet gehaald (alleen technisch lezen en spellen).")
    assert lwoo(data(85, technisch=40, spellen=40, begrijpend=40)).met
    assert lwoo(data(85, technisch=40, rekenen=40)).met
    assert lwoo(data(85, spellen=40, begrijpend=40)).met


def test_lwoo_needs_two_domains():
    verdict = lwoo(data(85, rekenen=40, begrijpend=20, technisch=50))
    assert not verdict.met and verdict.checks[1].text.endswith("niet gehaald (alleen inzichtelijk rekenen).")


# --- the overlap (R-LAW-PRO-2) ----------------------------------------------------------------------------------

@pytest.mark.parametrize("iq, overlap", [(74, False), (75, True), (78, True), (80, True), (81, False)])
def test_overlap_75_80_asks_for_the_schools_motivation(iq, overlap):
    """R-LAW-PRO-2: IQ 75-80 is the overlap of PrO and LWOO: the school's motivation decides, and is asked for."""
    result = assess(data(iq, rekenen=30, begrijpend=30))
    assert result.needs_motivation is overlap
    motivation_asked = any("motivatie van de school" in item for item in result.missing)
    assert motivation_asked is overlap
    if overlap:
        assert result.overlap_text == (f"IQ {iq} valt in het overlapgebied 75-80 van PrO en LWOO: de motivatie "
                                       "van de school geeft de doorslag.")
        motivated = assess(data(iq, motivation="Praktisch ingesteld; leert het best door te doen.", rekenen=30,
                                begrijpend=30))
        assert motivated.needs_motivation and not any("motivatie" in item for item in motivated.missing)


def test_the_calculation_advises_and_says_so():
    """R-LAW-PRO-2: the result says the SWV decides."""
    assert "Het samenwerkingsverband besluit" in assess(data(70)).advice_note


# --- an SWV's own criteria (R-LAW-PRO-2) ---------------------------------------------------------------------

def test_swv_may_replace_the_criteria():
    """R-LAW-PRO-2: an SWV may set its own criteria; the reasons name the SWV's values."""
    swv = C.replace(NATIONAL, label="Criteria SWV Voorbeeld",
                    pro=dataclasses.replace(NATIONAL.pro, iq=IQRange(55, 82)),
                    lwoo=dataclasses.replace(NATIONAL.lwoo, max_delay=None))
    values = data(82, rekenen=30, begrijpend=30)
    assert not pro(values).met and pro(values, swv).met
    result = assess(values, swv)
    assert result.criteria_label == "Criteria SWV Voorbeeld"
    assert result.pro.checks[0].text == "IQ 82 ligt binnen 55-82."
    assert result.lwoo.met and "van minstens 25%" in result.lwoo.checks[1].text  # no upper bound
    assert result.rows[0].criterion_text == "PrO en LWOO"
    assert result.needs_motivation  # the overlap is now 75-82
    assert NATIONAL.pro.iq == IQRange(55, 80)  # the national criteria are untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        NATIONAL.pro.min_delay = Fraction(1, 3)


# --- properties ---------------------------------------------------------------------------------------------

MONTHS = st.integers(min_value=1, max_value=C.MONTHS_MAX)
PAIR = st.one_of(st.none(), MONTHS.flatmap(lambda dl: st.tuples(st.just(dl), st.integers(0, C.MONTHS_MAX))))
IQS = st.integers(min_value=C.IQ_MIN, max_value=C.IQ_MAX)


def _values(iq, pairs, se=False):
    values = {"iq": iq, "iq_test": "WISC-V", "social_emotional": se,
              "social_emotional_evidence": "Faalangst vastgesteld." if se else ""}
    for domain, pair in zip(C.DOMAINS, pairs):
        if pair is not None:
            values[domain.dl_field], values[domain.dle_field] = pair
    return values


def _outcome(result):
    return (result.pro.met, result.lwoo.met, result.pro.reasons, result.lwoo.reasons, result.needs_motivation)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(IQS, st.lists(PAIR, min_size=4, max_size=4), st.booleans(), st.randoms(use_true_random=False))
def test_verdict_does_not_depend_on_the_order_of_the_form_values(iq, pairs, se, rnd):
    """R-LAW-PRO-1, R-LAW-LWOO-1: the same values in any order give the same verdict and reasons."""
    values = _values(iq, pairs, se)
    items = list(values.items())
    rnd.shuffle(items)
    assert _outcome(assess(dict(items))) == _outcome(assess(values))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(IQS, st.lists(PAIR, min_size=4, max_size=4), st.integers(0, 3), st.integers(1, C.MONTHS_MAX))
def test_raising_a_delay_never_unmeets_pro(iq, pairs, index, less):
    """R-LAW-PRO-1: a larger delay in any domain (a lower DLE) never turns a met PrO into not met."""
    before = assess(_values(iq, pairs))
    pair = pairs[index]
    if pair is None:
        pairs[index] = (C.MONTHS_MAX, max(0, C.MONTHS_MAX - less))  # filling in a domain adds a delay too
    else:
        pairs[index] = (pair[0], max(0, pair[1] - less))
    after = assess(_values(iq, pairs))
    assert not before.pro.met or after.pro.met


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(IQS, st.lists(PAIR, min_size=4, max_size=4), st.booleans())
@example(85, [None, None, (60, 40), (60, 40)], False)  # technisch lezen + spellen alone
@example(100, [(60, 40), (60, 40), None, None], True)
def test_verdict_matches_an_integer_reference(iq, pairs, se):
    """R-LAW-PRO-1, R-LAW-LWOO-1: the verdicts equal a reference that compares DL - DLE with DL * threshold in
    integers (no fractions, no floats)."""
    result = assess(_values(iq, pairs, se))
    keys = [d.key for d in C.DOMAINS]
    pro_domains = {k for k, p in zip(keys, pairs) if p is not None and 2 * (p[0] - p[1]) >= p[0]}
    lwoo_domains = {k for k, p in zip(keys, pairs)
                    if p is not None and 4 * (p[0] - p[1]) >= p[0] and 2 * (p[0] - p[1]) < p[0]}
    pro_met = 55 <= iq <= 80 and len(pro_domains) >= 2 and bool(pro_domains & {INZICHTELIJK_REKENEN,
                                                                               BEGRIJPEND_LEZEN})
    lwoo_met = ((75 <= iq <= 90 or (se and 91 <= iq <= 120)) and len(lwoo_domains) >= 2
                and lwoo_domains != {TECHNISCH_LEZEN, SPELLEN})
    assert (result.pro.met, result.lwoo.met) == (pro_met, lwoo_met)
    assert result.needs_motivation is (75 <= iq <= 80)


def test_shuffled_domain_rows_keep_domain_order():
    """The table always lists the four domains in the same order."""
    items = list(data(70, spellen=20, rekenen=30, technisch=40, begrijpend=50).items())
    random.Random(4).shuffle(items)
    assert [row.key for row in assess(dict(items)).rows] == [d.key for d in C.DOMAINS]


def test_result_as_text_for_the_dossier():
    """R-LAW-PRO-2: the worked calculation as plain text (for a dossier entry or the letter)."""
    text = assess(data(78, motivation="Leert het best in de praktijk.", rekenen=30, spellen=20)).as_text()
    assert text.splitlines() == [
        "Berekening leerachterstand (Landelijke criteria PrO en LWOO); IQ 78, gemeten met WISC-V.",
        "- inzichtelijk rekenen: DL 60, DLE 30: (60 − 30) / 60 = 0,50 (50,0%); criterium: PrO",
        "- begrijpend lezen: niet ingevuld",
        "- technisch lezen: niet ingevuld",
        "- spellen: DL 60, DLE 20: (60 − 20) / 60 = 0,66 (66,6%); criterium: PrO",
        "Voldoet aan de criteria voor praktijkonderwijs (PrO).",
        "  voldaan: IQ 78 ligt binnen 55-80.",
        "  voldaan: Leerachterstand van minstens 50% in ten minste twee domeinen, waarvan één inzichtelijk rekenen "
        "of begrijpend lezen: gehaald (inzichtelijk rekenen en spellen).",
        "Voldoet niet aan de criteria voor leerwegondersteunend onderwijs (LWOO).",
        "  voldaan: IQ 78 ligt binnen 75-90.",
        "  niet voldaan: Leerachterstand van 25% tot 50% in ten minste twee domeinen, niet alleen technisch lezen + "
        "spellen: niet gehaald (in geen enkel domein).",
        "IQ 78 valt in het overlapgebied 75-80 van PrO en LWOO: de motivatie van de school geeft de doorslag.",
        "Motivatie van de school: Leert het best in de praktijk.",
        "Deze berekening is een advies. Het samenwerkingsverband besluit, en kan eigen criteria hanteren.",
    ]


# --- the template ---------------------------------------------------------------------------------------------

def test_template_shows_the_worked_calculation(app):
    """R-LAW-PRO-2: vo/assessment.html shows the table (domain, DL, DLE, achterstand, criterium), both verdicts,
    the overlap's motivation and that the SWV decides."""
    result = assess(data(78, motivation="Leert het best in de praktijk.", rekenen=30, begrijpend=40,
                         spellen=20))
    with app.test_request_context("/"):
        html = render_template("vo/assessment.html", result=result)
    for text in ("Domein", "DL", "DLE", "Achterstand", "Criterium", "inzichtelijk rekenen", "(60 − 30) / 60 = 0,50",
                 "50,0%", "33,3%", "Voldoet aan de criteria voor praktijkonderwijs (PrO).",
                 "Voldoet niet aan de criteria voor leerwegondersteunend onderwijs (LWOO).",
                 "IQ 78 valt in het overlapgebied 75-80", "Leert het best in de praktijk.",
                 "Het samenwerkingsverband besluit", "WISC-V"):
        assert text in html, text
    assert "niet ingevuld" in html  # technisch lezen was left empty


def test_template_escapes_the_schools_text(app):
    result = assess(data(78, test="<b>x</b>", motivation="<script>alert(1)</script>"))
    with app.test_request_context("/"):
        html = render_template("vo/assessment.html", result=result)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html
