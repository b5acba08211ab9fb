"""Accountability figures on a large force: search_statistics and the open-data month.

Builds 50,000 search records in a throwaway SQLite file (or BENCH_DATABASE_URL), then measures,
each in interleaved pairs (``--pairs``, at least 3) with a baseline that must give the same result:

- every report table (``search_statistics`` by each grouping) against one raw SQL query counting
  by ``GROUP BY`` (and the pupil census by another, for the ethnicity tables), with plain Python
  building the same rows by the same publication rules (``core.suppression``'s primary and
  secondary suppression, percentages and rates). Target: every table under 1 s (median), since
  the report page shows four of them;
- one month's open-data rows, and the month's sets suppressed together (the public set, and a
  council's on top of it): ``core.suppression.suppress_together`` against its first
  implementation (kept as the reference in the tests), which must give the same figures. Target:
  a council's set at least 3 times faster than with the reference.
"""

import datetime
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")
from _pairs import load_average, load_averages_text, pairs_argument, run_pairs, spread, verdict  # noqa: E402

PAIRS = pairs_argument(__doc__.splitlines()[0])
workdir = tempfile.mkdtemp(prefix="bench-searches-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

import searches.publication  # noqa: E402
from core.suppression import (  # noqa: E402
    percentage,
    rate_per_thousand,
    relative_rate,
    suppress,
    suppress_column,
    suppress_together,
)
from officers.models import BCU, Officer  # noqa: E402
from schools.models import LocalAuthority, School  # noqa: E402
from searches.models import (  # noqa: E402
    ADULT_AGE,
    AGE_BAND_STARTS,
    INTIMATE_SEARCH_TYPES,
    AgeBand,
    BodyWornVideo,
    EthnicGroup,
    PupilPopulation,
    SearchRecord,
    SearchType,
    SelfDefinedEthnicity,
)
from searches.open_data import open_data_rows  # noqa: E402
from searches.publication import council_release, public_release  # noqa: E402
from searches.selectors import GROUPINGS, search_statistics  # noqa: E402
from tests.core.suppression_reference import reference_suppress_together  # noqa: E402

RECORDS = 50_000
TARGET_SECONDS = 1.0
TARGET_COUNCIL_RATIO = 3.0

call_command("migrate", verbosity=0)
rng = random.Random(6)
la = LocalAuthority.objects.create(gss_code="E09999001", name="Bench borough")
bcu = BCU.objects.create(code="BENCH", name="Bench BCU", force="Bench force")
bcu.local_authorities.add(la)
schools = School.objects.bulk_create(
    School(urn=str(800000 + n), name=f"Bench school {n}", local_authority=la, phase="secondary", bcu=bcu)
    for n in range(200)
)
officers = Officer.objects.bulk_create(
    Officer(collar_number=f"B{n:05d}", first_name="Bench", last_name=str(n), bcu=bcu) for n in range(100)
)
user = get_user_model().objects.create(username="bench")
PupilPopulation.objects.bulk_create(
    PupilPopulation(local_authority=la, year=2026, ethnicity=code, pupil_count=rng.randint(500, 20000))
    for code in SelfDefinedEthnicity.values
)
start = datetime.datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/London"))
SearchRecord.objects.bulk_create(
    (
        SearchRecord(
            reference=f"BENCH-{n}",
            officer=rng.choice(officers),
            bcu=bcu,
            school=rng.choice(schools),
            searched_at=start + datetime.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
            legal_power="mda_s23",
            search_type=rng.choice(SearchType.values),
            child_age=rng.randint(10, 18),
            self_defined_ethnicity=rng.choice(SelfDefinedEthnicity.values),
            officer_observed_ethnicity="W",
            gender="male",
            reason="Bench",
            outcome="nfa",
            referral_reference=rng.choice(["", "REF"]),
            recorded_by=user,
        )
        for n in range(RECORDS)
    ),
    batch_size=2000,
)

DATE_FROM, DATE_TO = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

# The baseline of the report tables: the nine counts of every row in one GROUP BY query.
CHILD = f"r.child_age < {ADULT_AGE}"
THOROUGH = f"{CHILD} AND r.search_type IN ('{SearchType.MORE_THOROUGH}', '{INTIMATE_SEARCH_TYPES[0]}', "
THOROUGH += f"'{INTIMATE_SEARCH_TYPES[1]}')"
INTIMATE = f"{CHILD} AND r.search_type IN ('{INTIMATE_SEARCH_TYPES[0]}', '{INTIMATE_SEARCH_TYPES[1]}')"
# (name, condition), in the order of the query's columns; None counts every search.
COUNTED = [
    ("searches", None),
    ("thorough_searches", THOROUGH),
    ("with_appropriate_adult", f"{THOROUGH} AND r.appropriate_adult_present"),
    ("intimate_searches", INTIMATE),
    ("referrals_made", f"{INTIMATE} AND r.referral_reference <> ''"),
    ("bwv_asked", "r.body_worn_video <> ''"),
    ("with_bwv", f"r.body_worn_video = '{BodyWornVideo.RECORDED}'"),
    ("follow_ups_done", f"{THOROUGH} AND r.follow_up_completed_on IS NOT NULL"),
    ("reviews_done", f"{THOROUGH} AND r.reviewed_on IS NOT NULL"),
]
# A count published beside the whole it is a part of: (part, whole).
PART_OF = {
    "with_appropriate_adult": "thorough_searches",
    "referrals_made": "intimate_searches",
    "with_bwv": "bwv_asked",
    "follow_ups_done": "thorough_searches",
    "reviews_done": "thorough_searches",
}
AGE_BAND_SQL = (
    "CASE "
    + " ".join(f"WHEN r.child_age >= {start} THEN '{band}'" for band, start in reversed(AGE_BAND_STARTS))
    + " END"
)
# Per grouping: the row key, its label (None: the keys and labels are the choices, every one shown),
# the joins the label needs, and the choices.
TABLES = {
    "ethnic_group": (
        "CASE WHEN r.self_defined_ethnicity = 'NS' THEN 'NS' ELSE substr(r.self_defined_ethnicity, 1, 1) END",
        None,
        "",
        EthnicGroup.choices,
    ),
    "ethnicity": ("r.self_defined_ethnicity", None, "", SelfDefinedEthnicity.choices),
    "observed_ethnic_group": ("r.officer_observed_ethnicity", None, "", EthnicGroup.choices),
    "age_band": (AGE_BAND_SQL, None, "", AgeBand.choices),
    "search_type": ("r.search_type", None, "", SearchType.choices),
    "bcu": ("r.bcu_id", "b.name", "LEFT JOIN officers_bcu b ON b.id = r.bcu_id", None),
    "school": (
        "r.school_id",
        "COALESCE(s.name, 'Not at a school')",
        "LEFT JOIN schools_school s ON s.id = r.school_id",
        None,
    ),
    "officer": (
        "r.officer_id",
        "o.collar_number || ' ' || o.first_name || ' ' || o.last_name",
        "LEFT JOIN officers_officer o ON o.id = r.officer_id",
        None,
    ),
}
COUNTS_SQL = ", ".join(
    "COUNT(*)" if condition is None else f"COUNT(CASE WHEN {condition} THEN 1 END)" for _, condition in COUNTED
)
# Pupils of each self-defined ethnicity: each authority's latest census up to the year asked.
POPULATION_SQL = """
SELECT p.local_authority_id, p.ethnicity, p.pupil_count
FROM searches_pupilpopulation p
JOIN (
    SELECT local_authority_id, MAX(year) AS year FROM searches_pupilpopulation
    WHERE local_authority_id IN ({ids}) AND year <= %s GROUP BY local_authority_id
) latest ON latest.local_authority_id = p.local_authority_id AND latest.year = p.year
"""


def table_sql(group_by: str) -> str:
    key, label, joins, _ = TABLES[group_by]
    return (
        f"SELECT {key}, {label or 'NULL'}, {COUNTS_SQL} FROM searches_searchrecord r {joins} "
        f"WHERE r.searched_at >= %s AND r.searched_at < %s GROUP BY {key}{f', {label}' if label else ''} "
        f"ORDER BY {key}"
    )


def bounds() -> list:
    """The first instant of DATE_FROM and of the day after DATE_TO in local time, as the database stores them."""
    zone = timezone.get_current_timezone()
    instants = [
        datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        for day in (DATE_FROM, DATE_TO + datetime.timedelta(days=1))
    ]
    return [connection.ops.adapt_datetimefield_value(instant) for instant in instants]


def populations(group_by: str, local_authority_ids: list[int]) -> dict[str, int]:
    """Pupils per row key (and all White pupils under "W") of an ethnicity table; {} for the others
    or when an authority has no census."""
    if group_by not in ("ethnic_group", "ethnicity"):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            POPULATION_SQL.format(ids=", ".join(["%s"] * len(local_authority_ids))),
            [*local_authority_ids, DATE_TO.year],
        )
        fetched = cursor.fetchall()
    if {authority for authority, _, _ in fetched} != set(local_authority_ids):
        return {}
    by_code: dict[str, int] = {}
    by_group: dict[str, int] = {}
    for _, code, pupils in fetched:
        group = "NS" if code == "NS" else code[0]
        by_code[code] = by_code.get(code, 0) + pupils
        by_group[group] = by_group.get(group, 0) + pupils
    if group_by == "ethnic_group":
        return by_group
    return {**by_code, "W": by_group.get("W", 0)}


def statistics_baseline(group_by: str, local_authority_ids: list[int]) -> list[dict]:
    """The rows ``search_statistics`` gives, from one raw GROUP BY query (two for an ethnicity table)."""
    with connection.cursor() as cursor:
        cursor.execute(table_sql(group_by), bounds())
        fetched = cursor.fetchall()
    choices = TABLES[group_by][3]
    if choices is None:
        keyed_labels = sorted(((key, label) for key, label, *_ in fetched), key=lambda item: item[1])
    else:
        keyed_labels = list(choices)
    by_key = {key: counts for key, _, *counts in fetched}
    raw_rows = [by_key.get(key, [0] * len(COUNTED)) for key, _ in keyed_labels]
    raw_total = [sum(column) for column in zip(*raw_rows, strict=True)] if raw_rows else [0] * len(COUNTED)
    rows = [{"key": key, "label": label} for key, label in keyed_labels]
    total = {"key": "total", "label": "All searches"}
    position = {name: index for index, (name, _) in enumerate(COUNTED)}
    for index, (name, _) in enumerate(COUNTED):
        whole = PART_OF.get(name)
        column, total[name] = suppress_column(
            [row[index] for row in raw_rows],
            raw_total[index],
            wholes=[row[position[whole]] for row in raw_rows] if whole else None,
            whole_total=raw_total[position[whole]] if whole else None,
        )
        for row, figure in zip(rows, column, strict=True):
            row[name] = figure
    pupils = populations(group_by, local_authority_ids)
    if group_by == "ethnicity":
        # All White children are the reference group, whatever the detail of the rows.
        white = suppress(sum(raw[0] for (key, _), raw in zip(keyed_labels, raw_rows, strict=True) if key[0] == "W"))
    else:
        white = next((row["searches"] for row in rows if row["key"] == "W"), None)
    for row in [*rows, total]:
        row["share_of_searches_pct"] = percentage(row["searches"], total["searches"])
        row["appropriate_adult_pct"] = percentage(
            row["with_appropriate_adult"], row["thorough_searches"], protect_complement=True
        )
        row["referral_pct"] = percentage(row["referrals_made"], row["intimate_searches"], protect_complement=True)
        row["bwv_pct"] = percentage(row["with_bwv"], row["bwv_asked"], protect_complement=True)
        row["follow_up_pct"] = percentage(row["follow_ups_done"], row["thorough_searches"], protect_complement=True)
        row["review_pct"] = percentage(row["reviews_done"], row["thorough_searches"], protect_complement=True)
        if row is total:
            population = sum(pupils.get(key, 0) for key, _ in keyed_labels) if pupils else None
        else:
            population = pupils.get(row["key"]) if pupils else None
        row["rate_per_1000_pupils"] = rate_per_thousand(row["searches"], population)
        row["relative_rate_vs_white"] = (
            relative_rate(row["searches"], population, white, pupils.get("W")) if pupils and row is not total else None
        )
    return [*rows, total]


def statistics_project(group_by: str, local_authority_ids: list[int]) -> list[dict]:
    return search_statistics(
        records=SearchRecord.objects.all(),
        date_from=DATE_FROM,
        date_to=DATE_TO,
        group_by=group_by,
        population_local_authority_ids=local_authority_ids,
    )


def open_data_with(implementation) -> list[dict]:
    """One month's open-data rows, suppressed together with ``implementation``."""
    searches.publication.suppress_together = implementation
    try:
        return open_data_rows(month=datetime.date(2026, 6, 1))
    finally:
        searches.publication.suppress_together = suppress_together


print(f"Started {time.strftime('%d %b %Y %H:%M UTC', time.gmtime())}, load average {load_averages_text()}, ", end="")
print(f"{os.cpu_count()} CPUs")
print(f"{RECORDS} search records on {django.db.connection.vendor}; target {TARGET_SECONDS:.1f} s per table (median)")
tables = {}
for group_by in GROUPINGS:
    tables[group_by] = run_pairs(
        f"search_statistics by {group_by}",
        PAIRS,
        lambda group_by=group_by: statistics_project(group_by, [la.pk]),
        lambda group_by=group_by: statistics_baseline(group_by, [la.pk]),
        lambda rows: rows,
    )
open_data = run_pairs(
    "open_data_rows for 2026-06",
    PAIRS,
    lambda: open_data_with(suppress_together),
    lambda: open_data_with(reference_suppress_together),
    lambda rows: rows,
)
for figures, ours, theirs in [*tables.values(), open_data]:
    print("\n".join(figures.summary()))
    print(f"  {len(theirs.result)} rows; queries: project {ours.queries}, baseline {theirs.queries}")
print()


def _sets(implementation) -> tuple[float, float, dict, dict]:
    """The public set and a council's for June, suppressed with ``implementation``: seconds and figures."""
    searches.publication.suppress_together = implementation
    try:
        began = time.perf_counter()
        public = public_release(datetime.date(2026, 6, 1))
        middle = time.perf_counter()
        council = council_release(public, local_authority_ids=[la.pk])
        ended = time.perf_counter()
    finally:
        searches.publication.suppress_together = suppress_together
    return middle - began, ended - middle, public.figures, council.figures


print(f"Suppressed together, June 2026 ({PAIRS} interleaved pairs; project, then the reference):")
timings: dict[str, list[float]] = {"public": [], "council": [], "public_reference": [], "council_reference": []}
same = True
for pair in range(1, PAIRS + 1):
    public_s, council_s, public_figures, council_figures = _sets(suppress_together)
    public_r, council_r, public_reference, council_reference = _sets(reference_suppress_together)
    same = same and public_figures == public_reference and council_figures == council_reference
    for name, took in (("public", public_s), ("council", council_s)):
        timings[name].append(took)
    for name, took in (("public_reference", public_r), ("council_reference", council_r)):
        timings[name].append(took)
    print(
        f"  pair {pair}: public {public_s:.2f} s, reference {public_r:.2f} s; "
        f"council {council_s:.2f} s, reference {council_r:.2f} s; load {load_average():.1f}"
    )
print(f"  {len(public_figures)} public counts, {len(council_figures)} council counts; min / median / max")
for name in ("public", "council"):
    ratios = [r / s for r, s in zip(timings[f"{name}_reference"], timings[name], strict=True)]
    print(f"  {name + ' set':<18} {spread(timings[name], 2)} s   (query and suppression)")
    print(f"  {name + ' reference':<18} {spread(timings[name + '_reference'], 2)} s")
    print(f"  {name + ' ratio':<18} {spread(ratios, 2)}   (reference / project)")
council_ratio = statistics.median(r / s for r, s in zip(timings["council_reference"], timings["council"], strict=True))
print(f"  same figures as the reference: {'yes' if same else 'NO'}")
print(f"load average {load_averages_text()}, {os.cpu_count()} CPUs")
print()
slowest = max(tables, key=lambda group_by: tables[group_by][0].median_project())
median = tables[slowest][0].median_project()
print(
    verdict(
        f"every report table < {TARGET_SECONDS:.0f} s (median; the slowest, by {slowest})",
        f"{median * 1000:.1f} ms",
        median < TARGET_SECONDS,
    )
)
print(
    verdict(
        f"council set >= {TARGET_COUNCIL_RATIO:.0f}x faster than the reference (median)",
        f"{council_ratio:.1f}x",
        council_ratio >= TARGET_COUNCIL_RATIO,
    )
)
shutil.rmtree(workdir, ignore_errors=True)
if not same:
    sys.exit("ERROR: the suppressed sets differ from the reference's: a faster wrong answer measures nothing")
