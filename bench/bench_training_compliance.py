"""Training compliance matrix for a whole force: time and queries for 2,000 officers.

Targets: under 2 s and a fixed 3 queries for 2,000 officers x 4 required courses (8,000 records)
on the embedded SQLite database. Measured in interleaved pairs (``--pairs``, at least 3) with its
baseline: one raw SQL query (officers x required courses, their records folded by ``GROUP BY``)
and plain Python deciding each status, which must give the same matrix. Runs on a throw-away
SQLite file, never on a configured database.
"""

import datetime
import itertools
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DB_FILE = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")

import django  # noqa: E402

django.setup()

from _pairs import load_averages_text, pairs_argument, run_pairs, verdict  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from officers.models import BCU, Officer, TrainingCourse, TrainingRecord  # noqa: E402
from officers.selectors import EXPIRING_WITHIN_DAYS, OfficerCompliance, training_compliance  # noqa: E402

OFFICERS = 2000
TARGET_SECONDS = 2.0
TARGET_QUERIES = 3
ON = datetime.date(2026, 9, 1)

# The whole matrix in one statement: every officer against every required course, the records
# completed by the day asked folded into what decides the status (any completion, any that
# never expires, the latest expiry).
BASELINE_SQL = """
SELECT o.id, o.collar_number, o.first_name, o.last_name, b.name, c.id,
       COUNT(r.id), MAX(r.id IS NOT NULL AND r.expires_on IS NULL), MAX(r.expires_on)
FROM officers_officer o
JOIN officers_bcu b ON b.id = o.bcu_id
CROSS JOIN officers_trainingcourse c
LEFT JOIN officers_trainingrecord r ON r.officer_id = o.id AND r.course_id = c.id AND r.completed_on <= %s
WHERE c.required_for_sso
GROUP BY o.id, c.id
ORDER BY o.last_name, o.first_name, o.id, c.name, c.id
"""


def fill() -> int:
    """2,000 officers, each with one completion of every required course (one in 25 completed its
    first course only after the day asked); returns the records made."""
    bcu = BCU.objects.create(code="BENCH", name="Bench BCU", force="Bench")
    Officer.objects.bulk_create(
        Officer(collar_number=f"B{n:05d}", first_name="Bench", last_name=f"Officer {n}", bcu=bcu)
        for n in range(OFFICERS)
    )
    courses = list(TrainingCourse.objects.filter(required_for_sso=True))
    records = []
    for index, officer in enumerate(Officer.objects.all()):
        for course in courses:
            completed = ON - datetime.timedelta(days=(index * 7) % 900)
            if index % 25 == 0 and course is courses[0]:
                completed = ON + datetime.timedelta(days=10)  # after the day asked: the course is missing
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
    return len(records)


def project() -> list[OfficerCompliance]:
    return training_compliance(officers=Officer.objects.all(), on=ON)


def comparable(rows: list[OfficerCompliance]) -> list[tuple]:
    """The project's matrix as the baseline builds it: an officer's identity, then each course's
    id, status and deciding expiry."""
    return [
        (
            row.officer.collar_number,
            row.officer.first_name,
            row.officer.last_name,
            row.officer.bcu.name,
            tuple((cell.course.pk, str(cell.status), cell.expires_on) for cell in row.courses),
        )
        for row in rows
    ]


def baseline() -> list[tuple]:
    expiring_after = ON + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, [ON])
        fetched = cursor.fetchall()
    matrix = []
    for _, cells in itertools.groupby(fetched, key=lambda row: row[0]):
        cells = list(cells)
        statuses = []
        for *_, course_id, completions, never_expires, latest in cells:
            if not completions:
                statuses.append((course_id, "missing", None))
            elif never_expires:
                statuses.append((course_id, "current", None))
            else:
                expires = datetime.date.fromisoformat(latest)
                status = "current" if expires > expiring_after else "expiring" if expires > ON else "expired"
                statuses.append((course_id, status, expires))
        matrix.append((*cells[0][1:5], tuple(statuses)))
    return matrix


def main() -> None:
    pairs = pairs_argument(__doc__.splitlines()[0])
    call_command("migrate", verbosity=0)
    records = fill()
    courses = TrainingCourse.objects.filter(required_for_sso=True).count()
    started_at = time.strftime("%d %b %Y %H:%M UTC", time.gmtime())
    print(f"Started {started_at}, load average {load_averages_text()}, {os.cpu_count()} CPUs")
    print(f"training_compliance: {OFFICERS:,} officers x {courses} required courses, {records:,} records")
    figures, ours, theirs = run_pairs("training_compliance", pairs, project, baseline, comparable)
    statuses = sorted({cell[1] for row in theirs.result for cell in row[4]})
    print()
    print(f"{len(theirs.result):,} rows, statuses {', '.join(statuses)}")
    print(f"queries: project {ours.queries}, baseline {theirs.queries}")
    print("\n".join(figures.summary()))
    print()
    median = figures.median_project()
    print(verdict(f"training_compliance < {TARGET_SECONDS} s (median)", f"{median:.3f} s", median < TARGET_SECONDS))
    print(
        verdict(f"training_compliance in {TARGET_QUERIES} queries", str(ours.queries), ours.queries == TARGET_QUERIES)
    )
    print(f"ratio project / baseline (median, no target): {statistics.median(figures.ratios):.2f}x")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DB_FILE.parent, ignore_errors=True)
