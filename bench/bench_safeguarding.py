"""Concern statistics and the concern-no-action reminder over a large area.

Targets: concern_statistics for 1,000 schools and 50,000 concerns in one query and under 2 s;
the concern-no-action kind over 50,000 concerns (a fifth of them stale) under 5 s, on the
embedded SQLite database. Each is measured in interleaved pairs (``--pairs``, at least 3) with a
baseline that must give the same result: for the statistics, one raw SQL query counting by
``GROUP BY`` and plain Python building the same rows; for the reminder, one raw SQL query
selecting the same quiet concerns with their schools' current DSL addresses, and plain Python
counting the school days and writing the same reminders. Runs on a throw-away SQLite file, never
on a configured database.
"""

import datetime
import os
import secrets
import shutil
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.reminders import Reminder  # noqa: E402
from safeguarding.models import ACTIVE_STATUSES, Category, Concern, ConcernAction, ConcernStatus, Pupil  # noqa: E402
from safeguarding.reminders import SCHOOL_DAYS_WITHOUT_ACTION, add_school_days, concern_no_action  # noqa: E402
from safeguarding.selectors import concern_statistics  # noqa: E402
from safeguarding.services import concern_url  # noqa: E402
from schools.models import DSLContact, LocalAuthority, School  # noqa: E402

SCHOOLS = 1000
CONCERNS = 50_000
STATISTICS_TARGET_SECONDS = 2.0
STATISTICS_TARGET_QUERIES = 1
REMINDER_TARGET_SECONDS = 5.0
# Both do what their baseline does (one pass over the same rows, the same Python after it): more
# than 3 times the raw query's time would mean the ORM's query took a worse plan.
RATIO_TARGET = 3.0

STATISTICS_SQL = f"""
SELECT s.id, s.urn, s.name, COUNT(c.id),
       {", ".join(f"COUNT(CASE WHEN c.category = '{c}' THEN 1 END)" for c in Category.values)},
       {", ".join(f"COUNT(CASE WHEN c.status = '{s}' THEN 1 END)" for s in ConcernStatus.values)},
       COUNT(CASE WHEN c.shared_with_police THEN 1 END)
FROM schools_school s
LEFT JOIN safeguarding_concern c ON c.school_id = s.id
GROUP BY s.id
ORDER BY s.name
"""

# Active concerns logged before the day after ``quiet_since`` began (Europe/London), with no
# action after it, and their schools' current DSL addresses (a concern with none is never due).
REMINDER_SQL = f"""
SELECT c.id, c.created_at, a.last_action, d.emails
FROM safeguarding_concern c
JOIN (
    SELECT school_id, group_concat(email, char(10)) AS emails
    FROM schools_dslcontact WHERE is_current GROUP BY school_id
) d ON d.school_id = c.school_id
LEFT JOIN (
    SELECT concern_id, MAX(taken_on) AS last_action FROM safeguarding_concernaction GROUP BY concern_id
) a ON a.concern_id = c.id
WHERE c.status IN ({", ".join(f"'{s}'" for s in ACTIVE_STATUSES)})
  AND c.created_at < %s
  AND (a.last_action IS NULL OR a.last_action <= %s)
ORDER BY c.id
"""


def fill() -> int:
    """1,000 schools (one in 100 with no current DSL), 50,000 concerns (a fifth logged 30 days ago,
    one in 7 shared with police), and actions on a third of the stale ones (half of those recent);
    returns the actions made."""
    authority = LocalAuthority.objects.create(gss_code="E09999999", name="Bench")
    School.objects.bulk_create(
        School(urn=str(900000 + n), name=f"Bench School {n:04d}", local_authority=authority, phase="primary")
        for n in range(SCHOOLS)
    )
    school_ids = list(School.objects.values_list("pk", flat=True))
    DSLContact.objects.bulk_create(
        DSLContact(school_id=pk, name="Bench DSL", email=f"dsl{pk}@bench.invalid", is_current=bool(index % 100))
        for index, pk in enumerate(school_ids)
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
                shared_with_police=n % 7 == 0,
                shared_at=now if n % 7 == 0 else None,
                created_at=now - datetime.timedelta(days=(1 if n % 5 else 30)),
            )
            for n in range(CONCERNS)
        ),
        batch_size=2000,
    )
    today = timezone.localdate()
    stale = Concern.objects.filter(created_at__lt=now - datetime.timedelta(days=10)).values_list("pk", flat=True)
    actions = [
        ConcernAction(
            concern_id=pk,
            taken_on=today - datetime.timedelta(days=2 if pk % 2 else 20),
            summary="Bench",
            recorded_by=user,
        )
        for pk in stale
        if pk % 3 == 0
    ]
    ConcernAction.objects.bulk_create(actions, batch_size=2000)
    return len(actions)


def statistics_project() -> list[dict]:
    return concern_statistics(schools=School.objects.all())


def statistics_baseline() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(STATISTICS_SQL)
        fetched = cursor.fetchall()
    categories, statuses = Category.values, ConcernStatus.values
    rows = []
    for school_id, urn, name, total, *counts in fetched:
        rows.append(
            {
                "school_id": school_id,
                "urn": urn,
                "name": name,
                "total": total,
                "by_category": dict(zip(categories, counts[: len(categories)], strict=True)),
                "by_status": dict(zip(statuses, counts[len(categories) : -1], strict=True)),
                "shared_with_police": counts[-1],
            }
        )
    return rows


def reminder_project() -> list[Reminder]:
    return list(concern_no_action(timezone.localdate()))


def reminder_baseline() -> list[Reminder]:
    on = timezone.localdate()
    quiet_since = on - datetime.timedelta(days=SCHOOL_DAYS_WITHOUT_ACTION)
    london = timezone.get_current_timezone()
    # The first instant of the day after ``quiet_since`` in London, as the database stores it (UTC text).
    next_day = datetime.datetime.combine(quiet_since + datetime.timedelta(days=1), datetime.time(), london)
    before = next_day.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with connection.cursor() as cursor:
        cursor.execute(REMINDER_SQL, [before, quiet_since.isoformat()])
        fetched = cursor.fetchall()
    reminders = []
    for pk, created_at, last_action, emails in fetched:
        if isinstance(created_at, str):
            created_at = datetime.datetime.fromisoformat(created_at).replace(tzinfo=datetime.UTC)
        last_activity = created_at.astimezone(london).date()
        if last_action is not None:
            last_activity = max(last_activity, datetime.date.fromisoformat(str(last_action)))
        due_on = add_school_days(last_activity, SCHOOL_DAYS_WITHOUT_ACTION)
        if due_on > on:
            continue
        reminders.append(
            Reminder(
                kind="concern-no-action",
                object_key=f"concern:{pk}",
                due_on=due_on,
                recipients=tuple(sorted(set(emails.split("\n")))),
                subject=f"Safeguarding concern {pk}: no action for {SCHOOL_DAYS_WITHOUT_ACTION} school days",
                body=(
                    f"Safeguarding concern {pk} is still open and has had no action recorded in its "
                    f"chronology for {SCHOOL_DAYS_WITHOUT_ACTION} school days.\n\n"
                    f"Open it in the portal: {concern_url(pk)}\n"
                ),
            )
        )
    return reminders


def main() -> None:
    pairs = pairs_argument(__doc__.splitlines()[0])
    call_command("migrate", verbosity=0)
    actions = fill()
    started_at = time.strftime("%d %b %Y %H:%M UTC", time.gmtime())
    print(f"Started {started_at}, load average {load_averages_text()}, {os.cpu_count()} CPUs")
    print(f"{SCHOOLS:,} schools, {CONCERNS:,} concerns, {actions:,} actions")
    stats, stats_ours, stats_theirs = run_pairs(
        "concern_statistics", pairs, statistics_project, statistics_baseline, lambda rows: rows
    )
    reminder, reminder_ours, reminder_theirs = run_pairs(
        "concern-no-action", pairs, reminder_project, reminder_baseline, lambda reminders: reminders
    )
    print()
    print(f"concern_statistics: {len(stats_theirs.result):,} schools")
    print(f"  queries: project {stats_ours.queries}, baseline {stats_theirs.queries}")
    print(f"concern-no-action: {len(reminder_theirs.result):,} reminders due")
    print(f"  queries: project {reminder_ours.queries}, baseline {reminder_theirs.queries}")
    print("\n".join(stats.summary() + reminder.summary()))
    print()
    median = stats.median_project()
    print(
        verdict(
            f"concern_statistics < {STATISTICS_TARGET_SECONDS} s (median)",
            f"{median:.3f} s",
            median < STATISTICS_TARGET_SECONDS,
        )
    )
    print(
        verdict(
            f"concern_statistics in {STATISTICS_TARGET_QUERIES} query",
            str(stats_ours.queries),
            stats_ours.queries == STATISTICS_TARGET_QUERIES,
        )
    )
    median = reminder.median_project()
    print(
        verdict(
            f"concern-no-action < {REMINDER_TARGET_SECONDS} s (median)",
            f"{median:.3f} s",
            median < REMINDER_TARGET_SECONDS,
        )
    )
    for figures in (stats, reminder):
        ratio = figures.median_ratio()
        print(
            verdict(
                f"{figures.name} <= {RATIO_TARGET:.0f}x its raw SQL baseline (median ratio)",
                f"{ratio:.2f}x",
                ratio <= RATIO_TARGET,
            )
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(DB_FILE.parent, ignore_errors=True)
