"""Accountability figures on a large force: search_statistics and the open-data month.

Builds 50,000 search records in a throwaway SQLite file (or BENCH_DATABASE_URL) and prints
the time of each report table and of one month's open-data rows. Target: every table
under 1 s, since the report page shows four of them.

Then the month's sets suppressed together (the public set, and a council's on top of it), in
interleaved pairs (``--pairs``, at least 3): ``core.suppression.suppress_together`` against its
first implementation (kept as the reference in the tests), which must give the same figures.
Target: a council's set at least 3 times faster than with the reference.
"""

import argparse
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs of the suppression timings (at least 3)")
arguments = parser.parse_args()
if arguments.pairs < 3:
    parser.error("--pairs must be at least 3")
workdir = tempfile.mkdtemp(prefix="bench-searches-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

import searches.publication  # noqa: E402
from core.suppression import suppress_together  # noqa: E402
from officers.models import BCU, Officer  # noqa: E402
from schools.models import LocalAuthority, School  # noqa: E402
from searches.models import PupilPopulation, SearchRecord, SearchType, SelfDefinedEthnicity  # noqa: E402
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

print(f"{RECORDS} search records on {django.db.connection.vendor}; target {TARGET_SECONDS:.1f} s per table")
worst = 0.0
for group_by in GROUPINGS:
    began = time.perf_counter()
    rows = search_statistics(
        records=SearchRecord.objects.all(),
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 12, 31),
        group_by=group_by,
        population_local_authority_ids=[la.pk],
    )
    took = time.perf_counter() - began
    worst = max(worst, took)
    print(f"  search_statistics by {group_by:<22} {took * 1000:7.1f} ms  {len(rows):4d} rows")
began = time.perf_counter()
rows = open_data_rows(month=datetime.date(2026, 6, 1))
print(f"  open_data_rows for 2026-06             {(time.perf_counter() - began) * 1000:7.1f} ms  {len(rows):4d} rows")


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


def _spread(values: list[float]) -> str:
    return f"{min(values):6.2f} / {statistics.median(values):6.2f} / {max(values):6.2f}"


print(f"Suppressed together, June 2026 ({arguments.pairs} interleaved pairs; project, then the reference):")
timings: dict[str, list[float]] = {"public": [], "council": [], "public_reference": [], "council_reference": []}
same = True
for pair in range(1, arguments.pairs + 1):
    public_s, council_s, public_figures, council_figures = _sets(suppress_together)
    public_r, council_r, public_reference, council_reference = _sets(reference_suppress_together)
    same = same and public_figures == public_reference and council_figures == council_reference
    for name, took in (("public", public_s), ("council", council_s)):
        timings[name].append(took)
    for name, took in (("public_reference", public_r), ("council_reference", council_r)):
        timings[name].append(took)
    print(
        f"  pair {pair}: public {public_s:.2f} s, reference {public_r:.2f} s; "
        f"council {council_s:.2f} s, reference {council_r:.2f} s; load {os.getloadavg()[0]:.1f}"
    )
print(f"  {len(public_figures)} public counts, {len(council_figures)} council counts; min / median / max")
for name in ("public", "council"):
    ratios = [r / s for r, s in zip(timings[f"{name}_reference"], timings[name], strict=True)]
    print(f"  {name + ' set':<18} {_spread(timings[name])} s   (query and suppression)")
    print(f"  {name + ' reference':<18} {_spread(timings[name + '_reference'])} s")
    print(f"  {name + ' ratio':<18} {_spread(ratios)}   (reference / project)")
council_ratio = statistics.median(r / s for r, s in zip(timings["council_reference"], timings["council"], strict=True))
print(f"  same figures as the reference: {'yes' if same else 'NO'}")
print(
    f"  council set {council_ratio:.1f}x faster (median): "
    f"{'met' if council_ratio >= TARGET_COUNCIL_RATIO else 'MISSED'} (target {TARGET_COUNCIL_RATIO:.0f}x)"
)
print("load average {:.1f} {:.1f} {:.1f}, {} CPUs".format(*os.getloadavg(), os.cpu_count()))
print(f"slowest table {worst * 1000:.1f} ms: {'within' if worst <= TARGET_SECONDS else 'OVER'} target")
shutil.rmtree(workdir, ignore_errors=True)
