"""Council API schools list under concurrent load, against gunicorn on PostgreSQL.

National-size data (25,000 schools in 150 local authorities, 6,000 current postings, a
priority run scoring every school) in its own database ``ssoportal_bench_api`` (created,
migrated and filled on the first run, reused after), vacuumed and analysed, with the
planner cost of the production PostgreSQL (random_page_cost 1.1, docker-compose.yml).
gunicorn serves the portal on 127.0.0.1:8177; 8, then 4, then 1 concurrent client(s) request
random pages of 100 schools for a bounded number of requests and time. The baseline is a
raw psycopg query of the same page (count, schools with LA, ward, BCU, current postings and
latest score) serialised with json.dumps, under the same concurrency.

Targets: API p95 under 100 ms, and API p50 under 4 x the raw query's p50.
Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432). Not run in CI.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
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

import psycopg  # noqa: E402

SCHOOLS = 25_000
AUTHORITIES = 150
WARDS_PER_AUTHORITY = 40
POSTED_SCHOOLS = 6_000
PORT = 8177
WORKERS = 4
# Concurrent clients per run: heavy load, as many clients as workers, one client alone (the cost of a request).
CONCURRENCY = (8, 4, 1)
REQUESTS = 400
MAX_SECONDS = 90
PAGE_SIZE = 100
TARGET_P95_MS = 100
TARGET_RATIO = 4
RANDOM_PAGE_COST = 1.1  # as the postgres service of docker-compose.yml


def ensure_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def fill() -> None:
    """Create the national data set unless it is already there."""
    import django

    django.setup()
    from django.core.management import call_command

    from schools.models import School

    call_command("migrate", verbosity=0)
    if School.objects.count() >= SCHOOLS:
        return
    fill_tables()


def fill_tables() -> None:
    import datetime

    from officers.models import BCU, Officer, Posting, PostingRole
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
    start = datetime.date(2025, 9, 1)
    Posting.objects.bulk_create(
        (
            Posting(officer=officer, school=school, role=PostingRole.PRIMARY, start_date=start)
            for officer, school in zip(officers, rng.sample(schools, POSTED_SCHOOLS), strict=True)
        ),
        batch_size=2000,
    )
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
    print(f"filled {SCHOOLS} schools in {time.perf_counter() - started:.0f} s")


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

    client = ApiClient.objects.filter(name="Bench national client").first() or create_api_client(
        name="Bench national client", local_authorities=LocalAuthority.objects.all(), scopes=[Scope.SCHOOLS_READ]
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


def run_load(request_page, threads: int) -> list[float]:
    """Latencies (ms) of REQUESTS page requests from ``threads`` threads, stopping at MAX_SECONDS."""
    pages = SCHOOLS // PAGE_SIZE
    rng = random.Random(11)
    plan = [rng.randint(1, pages) for _ in range(REQUESTS)]
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
    return latencies


def main() -> None:
    ensure_database()
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
    }
    gunicorn = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "ssoportal.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
         "--log-level", "warning"],
        cwd=REPO, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{PORT}/api/v1/schools/?page_size={PAGE_SIZE}&page="
        headers = {"Authorization": f"Bearer {secret}"}

        def api_page(page: int) -> None:
            with urllib.request.urlopen(urllib.request.Request(url + str(page), headers=headers), timeout=30) as r:
                body = r.read()
            assert len(json.loads(body)["results"]) == PAGE_SIZE

        for _ in range(60):
            try:
                api_page(1)
                break
            except OSError:
                time.sleep(0.5)
        for page in range(1, 4 * WORKERS):  # warm every worker
            api_page(page)
        api = {threads: run_load(api_page, threads) for threads in CONCURRENCY}

        local = threading.local()

        def raw_page(page: int) -> None:
            if not hasattr(local, "conn"):
                local.conn = psycopg.connect(DATABASE_URL, autocommit=True)
            count = local.conn.execute(RAW_COUNT).fetchone()[0]
            rows = local.conn.execute(RAW_PAGE, [PAGE_SIZE, (page - 1) * PAGE_SIZE]).fetchall()
            body = json.dumps({"count": count, "results": [dict(zip(FIELDS, row, strict=True)) for row in rows]},
                              default=str).encode()  # fmt: skip
            assert body

        raw_page(1)
        raw = {threads: run_load(raw_page, threads) for threads in CONCURRENCY}
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    print(f"schools list, {PAGE_SIZE} per page, {SCHOOLS} schools, gunicorn x{WORKERS}, {os.cpu_count()} CPUs")
    for threads in CONCURRENCY:
        report(threads, api[threads], raw[threads])


def report(threads: int, api: list[float], raw: list[float]) -> None:
    api_p50, api_p95 = percentile(api, 0.5), percentile(api, 0.95)
    raw_p50, raw_p95 = percentile(raw, 0.5), percentile(raw, 0.95)
    ratio = api_p50 / raw_p50
    print(f"{threads} concurrent client(s):")
    print(f"  API: {len(api)} requests, p50 {api_p50:.1f} ms, p95 {api_p95:.1f} ms")
    print(f"  raw: {len(raw)} pages, p50 {raw_p50:.1f} ms, p95 {raw_p95:.1f} ms (psycopg + json.dumps)")
    print(f"  p95 target < {TARGET_P95_MS} ms: {'met' if api_p95 < TARGET_P95_MS else 'NOT met'}")
    print(f"  ratio p50 API/raw {ratio:.2f} (p95 {api_p95 / raw_p95:.2f}); target < {TARGET_RATIO}: "
          f"{'met' if ratio < TARGET_RATIO else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
