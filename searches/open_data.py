"""The monthly open-data CSV of searches, in the schema documented in docs/bcu-managers.md ("Open data").

One row per BCU, search type, age band and self-defined broad ethnic group with at least
one search in the month. Counts of 1 to 4 are "c"; so is any count from which one of them, or the
few searches of a row without an appropriate adult, a referral or body-worn video, could be worked
out with the other figures published about the month (``searches.publication``).
"""

from __future__ import annotations

import datetime
import re
from typing import TextIO

from core.csv_export import write_csv
from core.suppression import percentage

from .models import AgeBand, EthnicGroup, SearchType
from .publication import open_data_figures, public_release

COLUMNS = [
    "month",
    "force",
    "bcu_code",
    "bcu_name",
    "search_type",
    "age_band",
    "self_defined_ethnic_group",
    "searches",
    "appropriate_adult_present",
    "referral_made",
    "body_worn_video_recorded",
    "body_worn_video_pct",
]

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(value: str) -> datetime.date:
    """The first day of a "YYYY-MM" month; ``ValueError`` with a clear message otherwise."""
    match = MONTH_PATTERN.match(value or "")
    if not match:
        raise ValueError(f"Month must be given as YYYY-MM, e.g. 2026-10, not {value!r}.")
    return datetime.date(int(match[1]), int(match[2]), 1)


def open_data_rows(*, month: datetime.date) -> list[dict]:
    """The suppressed rows of one month's open-data file, suppressed together with everything else
    published about the month's searches (``searches.publication``)."""
    rows = []
    for counts in open_data_figures(public_release(month)):
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "force": counts["force"],
                "bcu_code": counts["bcu_code"],
                "bcu_name": counts["bcu_name"],
                "search_type": SearchType(counts["search_type"]).label,
                "age_band": AgeBand(counts["age_band"]).label,
                "self_defined_ethnic_group": EthnicGroup(counts["ethnic_group"]).label,
                "searches": counts["searches"],
                "appropriate_adult_present": counts["with_appropriate_adult"],
                "referral_made": counts["referrals_made"],
                "body_worn_video_recorded": counts["with_bwv"],
                "body_worn_video_pct": _percent(percentage(counts["with_bwv"], counts["searches"])),
            }
        )
    return rows


def _percent(figure) -> object:
    return "" if figure is None else figure


def open_data_table(*, month: datetime.date) -> list[list]:
    """One month's rows as lists of cells in ``COLUMNS`` order."""
    return [[row[name] for name in COLUMNS] for row in open_data_rows(month=month)]


def write_open_data_csv(output: TextIO, *, month: datetime.date) -> int:
    """Write one month's open-data CSV (header first) to ``output``; return the rows written."""
    return write_csv(output, COLUMNS, open_data_table(month=month))
