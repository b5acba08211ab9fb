"""Concern statistics and the concern-no-action reminder over a large area.

Targets: concern_statistics for 1,000 schools and 50,000 concerns in one query and under 2 s;
the concern-no-action kind over 50,000 concerns (a fifth of them stale) under 5 s, on the
embedded SQLite database. Runs on a throw-away SQLite file, never on a configured database.
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from safeguarding.models import Category, Concern, ConcernStatus, Pupil  # noqa: E402
from safeguarding.reminders import concern_no_action  # noqa: E402
from safeguarding.selectors import concern_statistics  # noqa: E402
from schools.models import DSLContact, LocalAuthority, School  # noqa: E402

SCHOOLS = 1000
CONCERNS = 50_000
STATISTICS_TARGET_SECONDS = 2.0
REMINDER_TARGET_SECONDS = 5.0


def main() -> None:
    call_command("migrate", verbosity=0)
    authority = LocalAuthority.objects.create(gss_code="E09999999", name="Bench")
    School.objects.bulk_create(
        School(urn=str(900000 + n), name=f"Bench School {n:04d}", local_authority=authority, phase="primary")
        for n in range(SCHOOLS)
    )
    school_ids = list(School.objects.values_list("pk", flat=True))
    DSLContact.objects.bulk_create(
        DSLContact(school_id=pk, name="Bench DSL", email=f"dsl{pk}@bench.invalid") for pk in school_ids
    )
    user = get_user_model().objects.create(username="bench")
    categories, statuses = list(Category.values), [ConcernStatus.OPEN, ConcernStatus.UNDER_REVIEW]
    now = timezone.now()
    Pupil.objects.bulk_create(
        (Pupil(school_id=school_ids[n % SCHOOLS], reference=f"B-{n}") for n in range(CONCERNS)), batch_size=2000
    )
    pupil_ids = dict(Pupil.objects.values_list("reference", "pk"))
    Concern.objects.bulk_create(
        (
            Concern(
                school_id=school_ids[n % SCHOOLS],
                logged_by=user,
                pupil_reference=f"B-{n}",
                pupil_id=pupil_ids[f"B-{n}"],
                year_group="5",
                category=categories[n % len(categories)],
                severity="low",
                description="Bench",
                status=statuses[n % 2],
                created_at=now - datetime.timedelta(days=(1 if n % 5 else 30)),
            )
            for n in range(CONCERNS)
        ),
        batch_size=2000,
    )

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        rows = concern_statistics(schools=School.objects.all())
        statistics_seconds = time.perf_counter() - start
    print(
        f"concern_statistics: {len(rows)} schools, {CONCERNS} concerns: {statistics_seconds:.2f} s, "
        f"{len(queries)} queries (target: 1 query, < {STATISTICS_TARGET_SECONDS} s)"
    )

    start = time.perf_counter()
    due = list(concern_no_action(timezone.localdate()))
    reminder_seconds = time.perf_counter() - start
    print(
        f"concern-no-action: {len(due)} reminders due from {CONCERNS} concerns: {reminder_seconds:.2f} s "
        f"(target: < {REMINDER_TARGET_SECONDS} s)"
    )
    if (
        len(queries) != 1
        or statistics_seconds > STATISTICS_TARGET_SECONDS
        or reminder_seconds > REMINDER_TARGET_SECONDS
    ):
        sys.exit("safeguarding benchmark missed its target")


if __name__ == "__main__":
    main()
