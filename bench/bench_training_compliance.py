"""Training compliance matrix for a whole force: time and queries for 2,000 officers.

Target: under 2 s and a fixed 3 queries for 2,000 officers x 4 required courses (8,000 records)
on the embedded SQLite database. Runs on a throw-away SQLite file, never on a configured database.
"""

import datetime
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB_FILE = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from officers.models import BCU, Officer, TrainingCourse, TrainingRecord  # noqa: E402
from officers.selectors import training_compliance  # noqa: E402

OFFICERS = 2000
TARGET_SECONDS = 2.0


def main() -> None:
    call_command("migrate", verbosity=0)
    bcu = BCU.objects.create(code="BENCH", name="Bench BCU", force="Bench")
    Officer.objects.bulk_create(
        Officer(collar_number=f"B{n:05d}", first_name="Bench", last_name=f"Officer {n}", bcu=bcu)
        for n in range(OFFICERS)
    )
    courses = list(TrainingCourse.objects.filter(required_for_sso=True))
    on = datetime.date(2026, 9, 1)
    records = []
    for index, officer in enumerate(Officer.objects.all()):
        for course in courses:
            completed = on - datetime.timedelta(days=(index * 7) % 900)
            records.append(
                TrainingRecord(
                    officer=officer,
                    course=course,
                    completed_on=completed,
                    expires_on=course.expiry_for(completed),
                    provider="Bench",
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=1000)

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        rows = training_compliance(officers=Officer.objects.all(), on=on)
    elapsed = time.perf_counter() - started
    print(f"training_compliance: {len(rows)} officers x {len(courses)} courses, {len(records)} records")
    print(f"  {elapsed:.3f} s (target < {TARGET_SECONDS} s), {len(queries.captured_queries)} queries (target 3)")
    DB_FILE.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
