"""Why a school has its score: each component's input, scale, weight and points, in words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import PriorityScore
from .scoring import ADVICE_SCALE, COVERAGE_SCALE


@dataclass(frozen=True)
class ComponentLine:
    component: str
    input: str
    scaled: str
    weight: Decimal
    points: Decimal


def explain(score: PriorityScore) -> list[ComponentLine]:
    """One line per component; the points add up to ``score.total``. Needs ``score.run`` loaded."""
    parameters = score.run.parameters
    weights = {name: Decimal(value) for name, value in parameters["weights"].items()}
    window = parameters["crime_window"]
    fsm = f"{score.fsm_input}% eligible for free school meals" if score.fsm_input is not None else "FSM % missing"
    pupils = f"{score.pupils_input} pupils" if score.pupils_input is not None else "pupil count missing"
    return [
        ComponentLine(
            "Crime",
            f"{score.crime_input} weighted crimes, {window[0][:7]} to {window[1][:7]}, in {score.crime_lsoa_count} "
            f"LSOA(s) within {parameters['crime_radius_m']} m",
            f"{score.crime_percentile} (percentile among all schools)",
            weights["crime"],
            score.crime,
        ),
        ComponentLine("FSM", fsm, f"{score.fsm_input or 0}", weights["fsm"], score.fsm),
        ComponentLine(
            "Pupils",
            pupils,
            f"{score.pupils_percentile} (percentile among all schools)",
            weights["pupils"],
            score.pupils,
        ),
        ComponentLine(
            "Partner advice",
            f"mean adjustment {score.advice_input:+} (latest of each organisation)",
            f"{score.advice_input * ADVICE_SCALE} (adjustment × {ADVICE_SCALE})",
            weights["advice"],
            score.advice,
        ),
        ComponentLine(
            "SSO coverage",
            score.get_coverage_input_display(),
            str(COVERAGE_SCALE[score.coverage_input]),
            weights["coverage"],
            score.coverage,
        ),
    ]
