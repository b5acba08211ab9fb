"""Council API lists under concurrent load, against gunicorn on PostgreSQL, in interleaved pairs.

National-size data (25,000 schools in 150 local authorities, 6,000 officers with a current
posting and an ended one each, their training records of the four required courses, a priority
run scoring every school) in its own database ``ssoportal_bench_api`` (created, migrated and
filled on the first run, reused after; rebuilt when ``FILL_VERSION`` changes), vacuumed and
analysed, with the planner cost of the production PostgreSQL (random_page_cost 1.1,
docker-compose.yml). gunicorn serves the portal on 127.0.0.1:8177.

Each pair runs, at 8, then 4, then 1 concurrent client(s), one round of each: the schools list
(random pages of 100), its baseline (a raw psycopg query of the same page: count, schools with
LA, ward, BCU, current postings and latest score, serialised with json.dumps), the postings list
and the training compliance list (random full pages of 100 each). A round is a bounded number of
requests and time. Printed: each pair, then min / median / max of every figure and ratio, the
load average, and whether each target is met (on the median of the pairs):

- schools list p95 under 100 ms at 8 clients;
- schools list p50 within 3 x the raw query's p50, at every concurrency;
- postings and training compliance within 2 x the schools list's cost per row (p50 of a page
  divided by the rows in it), at every concurrency.

Usage: python bench/bench_api.py [--pairs 3] [--requests 300]
Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432). Not run in CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "ssoportal_bench_api"
DATABASE_URL = f"{PG}/{DB_NAME}"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoportal.settings")

import _pairs  # noqa: E402  (beside this file)
import psycopg  # noqa: E402

# Kept as the database's comment once a fill completes: a database of another version (or a
# fill cut short) is dropped and filled again. Bump it whenever fill_tables() changes.
FILL_VERSION = "bench_api fill 2: schools, current and ended postings, training records"
SCHOOLS = 25_000
AUTHORITIES = 150
WARDS_PER_AUTHORITY = 40
POSTED_SCHOOLS = 6_000
PORT = 8177
WORKERS = 4
# Concurrent clients per round: heavy load, as many clients as workers, one client alone (the cost of a request).
CONCURRENCY = (8, 4, 1)
REQUESTS = 300
MAX_SECONDS = 30
PAGE_SIZE = 100
TARGET_P95_MS = 100
TARGET_RAW_RATIO = 3
TARGET_PER_ROW_RATIO = 2
RANDOM_PAGE_COST = 1.1  # as the postgres service of docker-compose.yml
# The lists measured against the schools list's cost per row: name and path under /api/v1/.
PER_ROW_LISTS = {"postings": "postings/", "training": "training-compliance/"}


def ensure_database() -> bool:
    """Create the database unless a complete fill of this version is there; True if it is."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if found and found[0] == FILL_VERSION:
            return True
        if found:
            print(f"{DB_NAME} holds another fill ({found[0] or 'none completed'}): dropped and filled again")
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return False


def fill() -> None:
    """Migrate (a new index reaches a reused database too), and create the national data set
    unless this version of it is already there."""
    filled = ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if filled:
        return
    fill_tables()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{DB_NAME}\" IS '{FILL_VERSION}'")


def fill_tables() -> None:
    from officers.models import BCU, Officer, Posting, PostingRole, TrainingCourse, TrainingRecord
    from priorities.models import Band, CoverageLevel, PriorityRun, PriorityScore, ScoringModel
    from schools.models import LocalAuthority, Phase, School, Ward

    rng = random.Random(7)
    started = time.perf_counter()
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(gss_code=f"E08{n:06d}", dfe_code=f"{100 + n}", name=f"Bench Authority {n:03d}")
        for n in range(AUTHORITIES)
    )
    wards = Ward.objects.bulk_create(
        Ward(code=f"E05{a * WARDS_PER_AUTHORITY + w:06d}", name=f"Ward {w}", local_authority=authority)
        for a, authority in enumerate(authorities)
        for w in range(WARDS_PER_AUTHORITY)
    )
    bcus = BCU.objects.bulk_create(BCU(code=f"BB{n:03d}", name=f"Bench BCU {n}", force="Bench") for n in range(30))
    phases = [Phase.PRIMARY] * 7 + [Phase.SECONDARY] * 2 + [Phase.NURSERY]
    schools = []
    for n in range(SCHOOLS):
        ward = wards[rng.randrange(len(wards))]
        schools.append(
            School(
                urn=str(200000 + n),
                name=f"{rng.choice(['St Mary', 'Oakfield', 'Riverside', 'Hillcrest', 'Park'])} School {n}",
                local_authority_id=ward.local_authority_id,
                ward=ward,
                lsoa_code=f"E01{n:06d}",
                phase=rng.choice(phases),
                establishment_type="Community school",
                pupil_count=rng.randint(50, 1800),
                fsm_percentage=Decimal(rng.randint(10, 600)) / 10,
                postcode="BE1 1AA",
                bcu=bcus[ward.local_authority_id % len(bcus)],
            )
        )
    schools = School.objects.bulk_create(schools, batch_size=2000)
    officers = Officer.objects.bulk_create(
        (
            Officer(collar_number=f"BN{n:05d}", first_name="Bench", last_name=f"Officer {n}", bcu=bcus[n % 30])
            for n in range(POSTED_SCHOOLS)
        ),
        batch_size=2000,
    )
    # Every officer: a current posting, and an ended one at another school before it (half of
    # the postings list is history, as in a force some years in).
    start = datetime.date(2025, 9, 1)
    current = zip(officers, rng.sample(schools, POSTED_SCHOOLS), strict=True)
    Posting.objects.bulk_create(
        (
            Posting(officer=officer, school=school, role=PostingRole.PRIMARY, start_date=start)
            for officer, school in current
        ),
        batch_size=2000,
    )
    ended = zip(officers, rng.sample(schools, POSTED_SCHOOLS), strict=True)
    Posting.objects.bulk_create(
        (
            Posting(officer=officer, school=school, role=PostingRole.PRIMARY, start_date=datetime.date(2023, 9, 1),
                    end_date=datetime.date(2025, 8, 31))
            for officer, school in ended
        ),
        batch_size=2000,
    )  # fmt: skip
    # Training: per officer and required course, none (missing), one or two completions over
    # the last four years (current, expiring or expired by the course's validity).
    courses = list(TrainingCourse.objects.filter(required_for_sso=True))
    today = datetime.date.today()
    records = []
    for officer in officers:
        for course in courses:
            for _ in range(rng.choice((0, 1, 1, 2))):
                completed_on = today - datetime.timedelta(days=rng.randint(1, 4 * 365))
                records.append(
                    TrainingRecord(
                        officer=officer,
                        course=course,
                        completed_on=completed_on,
                        expires_on=course.expiry_for(completed_on),
                        provider="Bench College",
                    )
                )
    TrainingRecord.objects.bulk_create(records, batch_size=2000)
    model = ScoringModel.objects.first() or ScoringModel.objects.create(name="Bench")
    run = PriorityRun.objects.create(scoring_model=model, scoring_model_version=model.version, parameters={})
    scores = []
    for rank, school in enumerate(schools):
        points = Decimal(rng.randint(0, 2000)) / 100
        scores.append(
            PriorityScore(
                run=run,
                school=school,
                bcu_id=school.bcu_id,
                total=points * 5,
                rank_in_bcu=rank % 900 + 1,
                band=rng.choice(Band.values),
                crime=points,
                fsm=points,
                pupils=points,
                advice=points,
                coverage=points,
                crime_input=Decimal(0),
                coverage_input=CoverageLevel.values[0],
            )
        )
    PriorityScore.objects.bulk_create(scores, batch_size=2000)
    print(
        f"filled {SCHOOLS} schools, {2 * POSTED_SCHOOLS} postings and {len(records)} training records "
        f"in {time.perf_counter() - started:.0f} s"
    )


def analyse() -> None:
    # What autovacuum gives a live database after a bulk load: fresh planner statistics and a
    # visibility map (so counts can be answered from an index alone).
    # And the planner cost of the production server (docker-compose.yml): SSD, data cached.
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{DB_NAME}" SET random_page_cost = {RANDOM_PAGE_COST}')
        conn.execute("VACUUM ANALYZE")


def issue_national_token() -> str:
    import django

    django.setup()
    from api.models import ApiClient, Scope
    from api.services import create_api_client, issue_api_token
    from schools.models import LocalAuthority

    scopes = [Scope.SCHOOLS_READ, Scope.POSTINGS_READ, Scope.TRAINING_READ]
    client = ApiClient.objects.filter(name="Bench national client").first() or create_api_client(
        name="Bench national client", local_authorities=LocalAuthority.objects.all(), scopes=scopes
    )
    return issue_api_token(client=client)[1]


RAW_COUNT = "SELECT count(*) FROM schools_school"
RAW_PAGE = """
SELECT s.urn, s.name, la.gss_code, la.name, w.code, w.name, s.phase, s.status, s.establishment_type,
       s.statutory_low_age, s.statutory_high_age, s.pupil_count, s.fsm_percentage::text, s.postcode, b.code,
       (SELECT coalesce(json_agg(json_build_object(
            'id', p.id, 'role', p.role, 'officer_collar_number', o.collar_number,
            'officer_name', o.first_name || ' ' || o.last_name, 'start_date', p.start_date, 'end_date', p.end_date)
            ORDER BY p.role, p.start_date, p.id), '[]')
        FROM officers_posting p JOIN officers_officer o ON o.id = p.officer_id
        WHERE p.school_id = s.id AND p.start_date <= current_date
          AND (p.end_date IS NULL OR p.end_date >= current_date)),
       (SELECT json_build_object('total', ps.total::text, 'rank_in_bcu', ps.rank_in_bcu, 'band', ps.band,
            'crime', ps.crime::text, 'fsm', ps.fsm::text, 'pupils', ps.pupils::text, 'advice', ps.advice::text,
            'coverage', ps.coverage::text)
        FROM priorities_priorityscore ps
        WHERE ps.school_id = s.id
          AND ps.run_id = (SELECT id FROM priorities_priorityrun ORDER BY computed_at DESC, id DESC LIMIT 1)),
       s.updated_at
FROM (SELECT * FROM schools_school ORDER BY urn LIMIT %s OFFSET %s) s
JOIN schools_localauthority la ON la.id = s.local_authority_id
LEFT JOIN schools_ward w ON w.id = s.ward_id
LEFT JOIN officers_bcu b ON b.id = s.bcu_id
ORDER BY s.urn
"""
FIELDS = ["urn", "name", "local_authority", "local_authority_name", "ward", "ward_name", "phase", "status",
          "establishment_type", "statutory_low_age", "statutory_high_age", "pupil_count", "fsm_percentage",
          "postcode", "bcu", "current_postings", "priority", "updated_at"]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_load(request_page: Callable[[int], None], threads: int, pages: int, requests: int) -> dict[str, float]:
    """p50 and p95 (ms) of ``requests`` requests of random pages 1 to ``pages`` from ``threads``
    threads, stopping at MAX_SECONDS."""
    rng = random.Random(11)
    plan = [rng.randint(1, pages) for _ in range(requests)]
    deadline = time.monotonic() + MAX_SECONDS
    latencies: list[float] = []
    lock = threading.Lock()

    def one(page: int) -> None:
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        request_page(page)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, plan))
    return {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95), "n": len(latencies)}


def api_requester(secret: str, path: str) -> tuple[Callable[[int], None], int]:
    """A function requesting one full page of ``path``, and the number of full pages."""
    url = f"http://127.0.0.1:{PORT}/api/v1/{path}?page_size={PAGE_SIZE}&page="
    headers = {"Authorization": f"Bearer {secret}"}

    def get(page: int) -> dict:
        with urllib.request.urlopen(urllib.request.Request(url + str(page), headers=headers), timeout=30) as r:
            return json.loads(r.read())

    def request_page(page: int) -> None:
        assert len(get(page)["results"]) == PAGE_SIZE

    for _ in range(60):
        try:
            count = get(1)["count"]
            break
        except OSError:
            time.sleep(0.5)
    else:
        raise SystemExit(f"gunicorn did not answer /api/v1/{path}")
    return request_page, count // PAGE_SIZE


def raw_requester() -> Callable[[int], None]:
    local = threading.local()

    def raw_page(page: int) -> None:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(DATABASE_URL, autocommit=True)
        count = local.conn.execute(RAW_COUNT).fetchone()[0]
        rows = local.conn.execute(RAW_PAGE, [PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
        body = json.dumps({"count": count, "results": [dict(zip(FIELDS, row, strict=True)) for row in rows]},
                          default=str).encode()  # fmt: skip
        assert body

    return raw_page


def spread(values: list[float], digits: int = 1) -> str:
    return _pairs.spread(values, digits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pairs (at least 3)")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per round")
    arguments = parser.parse_args()
    _pairs.check_pairs(parser, arguments.pairs)
    print(
        f"Started {time.strftime('%d %b %Y %H:%M UTC', time.gmtime())}, load average {_pairs.load_averages_text()}, "
        f"{os.cpu_count()} CPUs"
    )
    fill()
    analyse()
    secret = issue_national_token()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_THROTTLE_RATE": "100000000/hour",
        # No collectstatic for an API benchmark: WhiteNoise's warning about it is noise here.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    gunicorn = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "ssoportal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
         "--log-level", "warning"],
        cwd=REPO, env=env, start_new_session=True,
    )  # fmt: skip
    # rounds[(threads, name)]: one {"p50", "p95", "n"} per pair; loads: the 1-minute load per pair.
    rounds: dict[tuple[int, str], list[dict[str, float]]] = {}
    loads: list[float] = []
    try:
        lists = {"schools": api_requester(secret, "schools/")}
        lists |= {name: api_requester(secret, path) for name, path in PER_ROW_LISTS.items()}
        raw_page = raw_requester()
        # A worker's first request of a list loads the rest of the portal (about half a second).
        # Requests one after another would all go to the worker that answered the last one, so
        # every worker is warmed with twice as many clients at once as there are workers.
        for request_page, pages in lists.values():
            run_load(request_page, 2 * WORKERS, pages, 8 * WORKERS)
        raw_page(1)
        rounds_of = {"schools": lists["schools"]} | {"raw": (raw_page, SCHOOLS // PAGE_SIZE)}
        rounds_of |= {name: lists[name] for name in PER_ROW_LISTS}
        print(
            f"{PAGE_SIZE} rows a page; full pages: schools {lists['schools'][1]}, "
            + ", ".join(f"{name} {lists[name][1]}" for name in PER_ROW_LISTS)
            + f"; gunicorn x{WORKERS}; up to {arguments.requests} requests or {MAX_SECONDS} s a round"
        )
        for pair in range(1, arguments.pairs + 1):
            for threads in CONCURRENCY:
                figures = {}
                for name, (request_page, pages) in rounds_of.items():
                    figures[name] = run_load(request_page, threads, pages, arguments.requests)
                    rounds.setdefault((threads, name), []).append(figures[name])
                print(
                    f"pair {pair}, {threads} client(s): "
                    + ", ".join(f"{name} p50 {f['p50']:.1f} p95 {f['p95']:.1f}" for name, f in figures.items())
                    + f" ms; load {_pairs.load_average():.1f}"
                )
            loads.append(_pairs.load_average())
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    report(rounds, loads, arguments.pairs)


def report(rounds: dict[tuple[int, str], list[dict[str, float]]], loads: list[float], pairs: int) -> None:
    print(f"\n{SCHOOLS} schools, {PAGE_SIZE} rows a page, {pairs} interleaved pairs; min / median / max (ms)")
    verdicts = []
    for threads in CONCURRENCY:
        schools, raw = rounds[(threads, "schools")], rounds[(threads, "raw")]
        raw_ratios = [api["p50"] / base["p50"] for api, base in zip(schools, raw, strict=True)]
        print(f"{threads} concurrent client(s):")
        print(f"  schools p50        {spread([f['p50'] for f in schools])}, p95 {spread([f['p95'] for f in schools])}")
        print(f"  raw p50            {spread([f['p50'] for f in raw])}, p95 {spread([f['p95'] for f in raw])}")
        print(f"  ratio p50 schools / raw    {spread(raw_ratios, 2)}")
        for name in PER_ROW_LISTS:
            listed = rounds[(threads, name)]
            # Every page is full (PAGE_SIZE rows), so the cost per row is the page's p50 / PAGE_SIZE.
            per_row = [f["p50"] / PAGE_SIZE for f in listed]
            ratios = [f["p50"] / api["p50"] for f, api in zip(listed, schools, strict=True)]
            print(
                f"  {name:<18} p50 {spread([f['p50'] for f in listed])}, p95 {spread([f['p95'] for f in listed])}, "
                f"per row {spread(per_row, 3)}"
            )
            print(f"  ratio per row {name} / schools {spread(ratios, 2)}")
            median = statistics.median(ratios)
            verdicts.append(
                (f"{name} cost per row <= {TARGET_PER_ROW_RATIO}x the schools list's at {threads} client(s) "
                 f"(median ratio): {median:.2f}x", median <= TARGET_PER_ROW_RATIO)
            )  # fmt: skip
        median = statistics.median(raw_ratios)
        verdicts.append(
            (f"schools p50 <= {TARGET_RAW_RATIO}x raw at {threads} client(s) (median ratio): {median:.2f}x",
             median <= TARGET_RAW_RATIO)
        )  # fmt: skip
    p95 = statistics.median(f["p95"] for f in rounds[(CONCURRENCY[0], "schools")])
    verdicts.insert(
        0,
        (f"schools p95 < {TARGET_P95_MS} ms at {CONCURRENCY[0]} clients (median): {p95:.1f} ms", p95 < TARGET_P95_MS),
    )
    print(f"  load average (1 min)       {spread(loads)}")
    print()
    for text, met in verdicts:
        print(f"{text}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
