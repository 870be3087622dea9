"""The Triage Early Warning Score (TEWS) of the South African Triage Scale (SATS), and
the colour it gives.

The tables are the SATS ones: Emergency Medicine Society of South Africa, "The South
African Triage Scale (SATS) Training manual 2012", section 5 (Triage Early Warning
Score), the adult TEWS chart (over 12 years or taller than 150 cm) and the paediatric
charts (3–12 years or 95–150 cm; under 3 years or shorter than 95 cm); the bands are the
ones PIH's ED triage (openmrs-module-edtriageapp, ``EdTriageConceptFactory.js``) scores
from. Each band is written as ``(lowest value, score)``: a value scores the band with the
highest lower bound it reaches, so a table reads left to right as on the chart. A score
of 7 or more is red, 5–6 orange, 3–4 yellow, 0–2 green (SATS chart); a discriminator
(an "emergency" or "very urgent" sign of the chart) raises the colour to red or orange
whatever the score.

Pure functions: no database, so the bands are tested one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    ADULT = "adult", _("Adult (over 12 years or taller than 150 cm)")
    CHILD = "child", _("Child (3 to 12 years)")
    INFANT = "infant", _("Infant (under 3 years)")


class Colour(models.TextChoices):
    # the order is the board's: most urgent first
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")


#: minutes within which a patient of each colour must be seen (SATS chart)
ATTEND_WITHIN_MINUTES = {
    Colour.RED: 0,
    Colour.ORANGE: 10,
    Colour.YELLOW: 60,
    Colour.GREEN: 240,
}

#: position on the board: red first
COLOUR_RANK = {colour: rank for rank, colour in enumerate(Colour)}


class Mobility(models.TextChoices):
    WALKING = "walking", _("Walking")
    WITH_HELP = "with_help", _("With help")
    IMMOBILE = "immobile", _("Stretcher or immobile")


class Avpu(models.TextChoices):
    CONFUSED = "confused", _("Confused")
    ALERT = "alert", _("Alert")
    VOICE = "voice", _("Reacts to voice")
    PAIN = "pain", _("Reacts to pain")
    UNRESPONSIVE = "unresponsive", _("Unresponsive")


class Discriminator(models.TextChoices):
    """Signs on the SATS chart that set the colour whatever the score."""

    # emergency signs: red
    AIRWAY_COMPROMISE = "airway_compromise", _("Airway compromise")
    CARDIAC_ARREST = "cardiac_arrest", _("Cardiac arrest")
    SEIZURE_CURRENT = "seizure_current", _("Seizure, current")
    BURN_FACIAL_INHALATION = "burn_facial", _("Burn of the face or inhalation burn")
    HYPOGLYCAEMIA = "hypoglycaemia", _("Hypoglycaemia (glucose under 3 mmol/l)")
    # very urgent signs: orange
    SEIZURE_POST_ICTAL = "seizure_post_ictal", _("Seizure, post-ictal")
    BURN_OVER_20 = "burn_over_20", _("Burn over 20% of the body")
    FOCAL_NEUROLOGY = "focal_neurology", _("Focal neurology, acute")
    CHEST_PAIN = "chest_pain", _("Chest pain")
    OPEN_FRACTURE = "open_fracture", _("Open fracture")
    POISONING = "poisoning", _("Poisoning or overdose")
    SEVERE_PAIN = "severe_pain", _("Severe pain")


RED_DISCRIMINATORS = frozenset(
    {
        Discriminator.AIRWAY_COMPROMISE,
        Discriminator.CARDIAC_ARREST,
        Discriminator.SEIZURE_CURRENT,
        Discriminator.BURN_FACIAL_INHALATION,
        Discriminator.HYPOGLYCAEMIA,
    }
)


class Vital(StrEnum):
    MOBILITY = "mobility"
    RESPIRATORY_RATE = "respiratory_rate"
    HEART_RATE = "heart_rate"
    SYSTOLIC_BP = "systolic_bp"
    TEMPERATURE = "temperature"
    AVPU = "avpu"
    TRAUMA = "trauma"


Bands = Sequence[tuple[Decimal, int]]


def _bands(*pairs: tuple[str | int, int]) -> Bands:
    return tuple((Decimal(str(low)), score) for low, score in pairs)


_NEGATIVE = -1  # the first band starts below any value typed

#: breaths per minute
RESPIRATORY_RATE: dict[str, Bands] = {
    AgeBand.ADULT: _bands((_NEGATIVE, 2), (9, 0), (15, 1), (21, 2), (30, 3)),
    AgeBand.CHILD: _bands((_NEGATIVE, 3), (15, 2), (17, 0), (22, 1), (27, 3)),
    AgeBand.INFANT: _bands((_NEGATIVE, 3), (20, 2), (26, 0), (40, 1), (50, 3)),
}
#: beats per minute
HEART_RATE: dict[str, Bands] = {
    AgeBand.ADULT: _bands((_NEGATIVE, 2), (41, 1), (51, 0), (101, 1), (111, 2), (130, 3)),
    AgeBand.CHILD: _bands((_NEGATIVE, 3), (60, 2), (80, 0), (100, 1), (130, 3)),
    AgeBand.INFANT: _bands((_NEGATIVE, 3), (70, 2), (80, 0), (131, 1), (160, 3)),
}
#: mmHg; the paediatric charts do not score blood pressure
SYSTOLIC_BP: Bands = _bands((_NEGATIVE, 3), (71, 2), (81, 1), (101, 0), (200, 2))
#: °C, one decimal: "cold" under 35, "hot" over 38.4 (all three charts)
TEMPERATURE: Bands = _bands((_NEGATIVE, 2), ("35.0", 0), ("38.5", 2))

MOBILITY_SCORE = {Mobility.WALKING: 0, Mobility.WITH_HELP: 1, Mobility.IMMOBILE: 2}
AVPU_SCORE = {Avpu.CONFUSED: 1, Avpu.ALERT: 0, Avpu.VOICE: 1, Avpu.PAIN: 2, Avpu.UNRESPONSIVE: 3}


@dataclass(frozen=True)
class Vitals:
    """What the triage nurse typed; None: not measured."""

    mobility: str | None = None
    respiratory_rate: int | None = None
    heart_rate: int | None = None
    systolic_bp: int | None = None
    temperature: Decimal | None = None
    avpu: str | None = None
    trauma: bool | None = None


@dataclass(frozen=True)
class TewsResult:
    score: int
    #: each vital's part of the score (what the triage page shows beside the field)
    parts: dict[Vital, int]
    #: what the band scores that was not measured (counted as 0)
    missing: tuple[Vital, ...]
    colour: Colour


def age_band(*, age_years: int | None, height_cm: int | None = None) -> AgeBand:
    """SATS: the adult chart over 12 years or taller than 150 cm, the infant chart under
    3 years (or shorter than 95 cm), the child chart between. Height decides when the
    age is not known."""
    if (age_years is not None and age_years > 12) or (height_cm is not None and height_cm > 150):
        return AgeBand.ADULT
    if age_years is not None:
        return AgeBand.INFANT if age_years < 3 else AgeBand.CHILD
    if height_cm is not None:
        return AgeBand.INFANT if height_cm < 95 else AgeBand.CHILD
    return AgeBand.ADULT


def _banded(value: Decimal | int, bands: Bands) -> int:
    score = bands[0][1]
    for low, band_score in bands:
        if value >= low:
            score = band_score
    return score


def required_vitals(band: AgeBand) -> tuple[Vital, ...]:
    """What the band's chart scores: systolic blood pressure on the adult chart only."""
    return tuple(v for v in Vital if v is not Vital.SYSTOLIC_BP or band is AgeBand.ADULT)


def colour_of_score(score: int) -> Colour:
    if score >= 7:
        return Colour.RED
    if score >= 5:
        return Colour.ORANGE
    if score >= 3:
        return Colour.YELLOW
    return Colour.GREEN


def colour_with_discriminators(colour: Colour, discriminators: Collection[str]) -> Colour:
    """The more urgent of the score's colour and the signs' colour."""
    if any(sign in RED_DISCRIMINATORS for sign in discriminators):
        forced = Colour.RED
    elif discriminators:
        forced = Colour.ORANGE
    else:
        return colour
    return min(colour, forced, key=COLOUR_RANK.__getitem__)


def tews(vitals: Vitals, band: AgeBand) -> TewsResult:
    parts: dict[Vital, int] = {}
    missing: list[Vital] = []
    for vital in required_vitals(band):
        value = getattr(vitals, vital.value)
        if value is None or value == "":
            missing.append(vital)
            continue
        parts[vital] = _score(vital, value, band)
    score = sum(parts.values())
    return TewsResult(
        score=score, parts=parts, missing=tuple(missing), colour=colour_of_score(score)
    )


def _score(vital: Vital, value: object, band: AgeBand) -> int:
    if vital is Vital.MOBILITY:
        return MOBILITY_SCORE[Mobility(str(value))]
    if vital is Vital.AVPU:
        return AVPU_SCORE[Avpu(str(value))]
    if vital is Vital.TRAUMA:
        return 1 if value else 0
    if vital is Vital.RESPIRATORY_RATE:
        return _banded(value, RESPIRATORY_RATE[band])  # type: ignore[arg-type]
    if vital is Vital.HEART_RATE:
        return _banded(value, HEART_RATE[band])  # type: ignore[arg-type]
    if vital is Vital.SYSTOLIC_BP:
        return _banded(value, SYSTOLIC_BP)  # type: ignore[arg-type]
    return _banded(value, TEMPERATURE)  # type: ignore[arg-type]
