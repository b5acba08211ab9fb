"""The monthly open-data CSV of searches, in the schema documented in docs/bcu-managers.md ("Open data").

One row per BCU, search type, age band and self-defined broad ethnic group with at least
one search in the month. Counts of 1 to 4 are "c"; so are the appropriate-adult and
referral counts whenever they, or the searches in the row without one, are 1 to 4, and the
body-worn video count (and its percentage) likewise.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import TextIO

from core.csv_export import write_csv
from core.suppression import percentage, suppress, suppress_part

from .models import INTIMATE_SEARCH_TYPES, AgeBand, EthnicGroup, SearchType
from .selectors import open_data_counts

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
    """The suppressed rows of one month's open-data file."""
    last_day = datetime.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    rows = []
    for counts in open_data_counts(date_from=month, date_to=last_day):
        searches = suppress(counts["searches"])
        referral_applies = counts["search_type"] in INTIMATE_SEARCH_TYPES and counts["age_band"] != AgeBand.ADULT
        rows.append(
            {
                "month": f"{month:%Y-%m}",
                "force": counts["force"],
                "bcu_code": counts["bcu_code"],
                "bcu_name": counts["bcu_name"],
                "search_type": SearchType(counts["search_type"]).label,
                "age_band": AgeBand(counts["age_band"]).label,
                "self_defined_ethnic_group": EthnicGroup(counts["ethnic_group"]).label,
                "searches": searches,
                "appropriate_adult_present": suppress_part(counts["with_appropriate_adult"], searches),
                "referral_made": suppress_part(counts["referrals_made"], searches) if referral_applies else "",
                "body_worn_video_recorded": suppress_part(counts["with_bwv"], searches),
                "body_worn_video_pct": _percent(percentage(suppress_part(counts["with_bwv"], searches), searches)),
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
