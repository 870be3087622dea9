"""The SATS TEWS bands, one vital at a time, and the colour rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.emergency.tews import (
    AgeBand,
    Avpu,
    Colour,
    Discriminator,
    Mobility,
    Vital,
    Vitals,
    age_band,
    colour_of_score,
    colour_with_discriminators,
    tews,
)

from .conftest import NORMAL_ADULT

NORMAL_CHILD = Vitals(
    mobility=Mobility.WALKING,
    respiratory_rate=19,
    heart_rate=90,
    temperature=Decimal("37.0"),
    avpu=Avpu.ALERT,
    trauma=False,
)
NORMAL_INFANT = Vitals(
    mobility=Mobility.WALKING,
    respiratory_rate=30,
    heart_rate=120,
    temperature=Decimal("37.0"),
    avpu=Avpu.ALERT,
    trauma=False,
)


def _part(vitals: Vitals, band: AgeBand, vital: Vital, value: object) -> int:
    changed = Vitals(**{**vitals.__dict__, vital.value: value})
    return tews(changed, band).parts[vital]


def test_it_scores_normal_vitals_zero_in_every_band() -> None:
    assert tews(NORMAL_ADULT, AgeBand.ADULT).score == 0
    assert tews(NORMAL_CHILD, AgeBand.CHILD).score == 0
    assert tews(NORMAL_INFANT, AgeBand.INFANT).score == 0


@pytest.mark.parametrize(
    ("rate", "score"),
    [(8, 2), (9, 0), (14, 0), (15, 1), (20, 1), (21, 2), (29, 2), (30, 3)],
)
def test_it_scores_an_adults_respiratory_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.RESPIRATORY_RATE, rate) == score


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        (40, 2),
        (41, 1),
        (50, 1),
        (51, 0),
        (100, 0),
        (101, 1),
        (110, 1),
        (111, 2),
        (129, 2),
        (130, 3),
    ],
)
def test_it_scores_an_adults_heart_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.HEART_RATE, rate) == score


@pytest.mark.parametrize(
    ("pressure", "score"),
    [(70, 3), (71, 2), (80, 2), (81, 1), (100, 1), (101, 0), (199, 0), (200, 2)],
)
def test_it_scores_an_adults_systolic_pressure(pressure: int, score: int) -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.SYSTOLIC_BP, pressure) == score


@pytest.mark.parametrize(
    ("temperature", "score"), [("34.9", 2), ("35.0", 0), ("38.4", 0), ("38.5", 2)]
)
def test_it_scores_temperature(temperature: str, score: int) -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.TEMPERATURE, Decimal(temperature)) == score


@pytest.mark.parametrize(
    ("avpu", "score"),
    [(Avpu.CONFUSED, 1), (Avpu.ALERT, 0), (Avpu.VOICE, 1), (Avpu.PAIN, 2), (Avpu.UNRESPONSIVE, 3)],
)
def test_it_scores_avpu(avpu: str, score: int) -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.AVPU, avpu) == score


def test_it_scores_mobility_and_trauma() -> None:
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.MOBILITY, Mobility.WITH_HELP) == 1
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.MOBILITY, Mobility.IMMOBILE) == 2
    assert _part(NORMAL_ADULT, AgeBand.ADULT, Vital.TRAUMA, True) == 1


@pytest.mark.parametrize(
    ("rate", "score"), [(14, 3), (15, 2), (16, 2), (17, 0), (21, 0), (22, 1), (26, 1), (27, 3)]
)
def test_it_scores_a_childs_respiratory_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_CHILD, AgeBand.CHILD, Vital.RESPIRATORY_RATE, rate) == score


@pytest.mark.parametrize(
    ("rate", "score"), [(59, 3), (60, 2), (79, 2), (80, 0), (99, 0), (100, 1), (129, 1), (130, 3)]
)
def test_it_scores_a_childs_heart_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_CHILD, AgeBand.CHILD, Vital.HEART_RATE, rate) == score


@pytest.mark.parametrize(
    ("rate", "score"), [(19, 3), (20, 2), (25, 2), (26, 0), (39, 0), (40, 1), (49, 1), (50, 3)]
)
def test_it_scores_an_infants_respiratory_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_INFANT, AgeBand.INFANT, Vital.RESPIRATORY_RATE, rate) == score


@pytest.mark.parametrize(
    ("rate", "score"), [(69, 3), (70, 2), (79, 2), (80, 0), (130, 0), (131, 1), (159, 1), (160, 3)]
)
def test_it_scores_an_infants_heart_rate(rate: int, score: int) -> None:
    assert _part(NORMAL_INFANT, AgeBand.INFANT, Vital.HEART_RATE, rate) == score


def test_it_needs_blood_pressure_from_adults_only() -> None:
    without = Vitals(**{**NORMAL_ADULT.__dict__, "systolic_bp": None})
    assert tews(without, AgeBand.ADULT).missing == (Vital.SYSTOLIC_BP,)
    assert tews(NORMAL_CHILD, AgeBand.CHILD).missing == ()
    assert Vital.SYSTOLIC_BP not in tews(NORMAL_ADULT, AgeBand.CHILD).parts


def test_it_chooses_the_band_by_age_then_height() -> None:
    assert age_band(age_years=13) is AgeBand.ADULT
    assert age_band(age_years=12) is AgeBand.CHILD
    assert age_band(age_years=10, height_cm=155) is AgeBand.ADULT
    assert age_band(age_years=3) is AgeBand.CHILD
    assert age_band(age_years=2) is AgeBand.INFANT
    assert age_band(age_years=None, height_cm=90) is AgeBand.INFANT
    assert age_band(age_years=None, height_cm=120) is AgeBand.CHILD


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (0, Colour.GREEN),
        (2, Colour.GREEN),
        (3, Colour.YELLOW),
        (4, Colour.YELLOW),
        (5, Colour.ORANGE),
        (6, Colour.ORANGE),
        (7, Colour.RED),
        (12, Colour.RED),
    ],
)
def test_it_colours_a_score(score: int, colour: Colour) -> None:
    assert colour_of_score(score) is colour


def test_discriminators_force_red_or_orange_but_never_lower_the_colour() -> None:
    assert colour_with_discriminators(Colour.GREEN, [Discriminator.AIRWAY_COMPROMISE]) is Colour.RED
    assert colour_with_discriminators(Colour.GREEN, [Discriminator.SEIZURE_CURRENT]) is Colour.RED
    assert colour_with_discriminators(Colour.GREEN, [Discriminator.BURN_OVER_20]) is Colour.ORANGE
    assert colour_with_discriminators(Colour.RED, [Discriminator.BURN_OVER_20]) is Colour.RED
    assert colour_with_discriminators(Colour.YELLOW, []) is Colour.YELLOW
