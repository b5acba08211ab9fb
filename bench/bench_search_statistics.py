"""Accountability figures on a large force: search_statistics and the open-data month.

Builds 50,000 search records in a throwaway SQLite file (or BENCH_DATABASE_URL) and prints
the time of each report table and of one month's open-data rows. Target: every table
under 1 s, since the report page shows four of them.
"""

import datetime
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")
workdir = tempfile.mkdtemp(prefix="bench-searches-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from officers.models import BCU, Officer  # noqa: E402
from schools.models import LocalAuthority, School  # noqa: E402
from searches.models import PupilPopulation, SearchRecord, SearchType, SelfDefinedEthnicity  # noqa: E402
from searches.open_data import open_data_rows  # noqa: E402
from searches.publication import council_release, public_release  # noqa: E402
from searches.selectors import GROUPINGS, search_statistics  # noqa: E402

RECORDS = 50_000
TARGET_SECONDS = 1.0

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
began = time.perf_counter()
public = public_release(datetime.date(2026, 6, 1))
took = (time.perf_counter() - began) * 1000
print(f"  public_release for 2026-06             {took:7.1f} ms  {len(public.figures):4d} counts")
began = time.perf_counter()
council = council_release(public, local_authority_ids=[la.pk])
took = (time.perf_counter() - began) * 1000
print(f"  council_release for 2026-06            {took:7.1f} ms  {len(council.figures):4d} counts")
print(f"slowest table {worst * 1000:.1f} ms: {'within' if worst <= TARGET_SECONDS else 'OVER'} target")
shutil.rmtree(workdir, ignore_errors=True)
