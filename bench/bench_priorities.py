"""Benchmark: import national-size public data and recompute every school's priority, on PostgreSQL.

Generates synthetic files in the real formats (GIAS extract in Windows-1252, school-level
census, police.uk street-level crime as month folders of one file per force) into a temp
dir, then times, each in its own process so its peak memory is its own:

- ``import_gias``, ``import_census`` and ``import_crime`` (the management commands);
- ``psql \\copy`` of the same crime rows into a bare table, the floor any import could reach,
  interleaved with the import;
- ``recompute_priorities``, interleaved with its baseline: ``bench/baseline_recompute.sql``, one
  SQL statement computing the same scores, run by ``psql``; then both results are compared school
  by school, and with one run of the Python scoring (``--in-python``);
- import and recompute end to end, interleaved with ``bench/baseline_pandas.py`` (when its own
  environment exists: ``make bench-baseline``); the last pair's answers are compared school by
  school (total, rank and band), and the benchmark exits non-zero, after its figures, if they differ.
  Each pair also times ``psql \\copy`` of the cells the import stored, into the emptied table: with
  the single SQL, the floor of any importer keeping those cells, however fast it parsed.

Every timed run starts from an idle server (``settle``). Targets: crime import >= 300k rows/s and
<= 2x ``psql \\copy``; end to end no slower than pandas; recompute <= 1.5x the single SQL; peak
memory < 300 MB per step. Every target compares each side's own figure of its work, start-up
excluded: the commands' own times, without Python's and Django's start-up (the recompute's as it
prints it, the import's from the rows and rows/s it prints), ``psql``'s whole process (it has next
to no start-up) and the time the pandas script prints (without its interpreter's and libraries'
start-up). Whole processes are printed too, for information. Usage:

    python bench/bench_priorities.py                    # national size: 25k schools, 2 x 550k crimes
    python bench/bench_priorities.py --scale 0.05       # a quick run
    python bench/bench_priorities.py --only recompute   # the recompute pairs alone (one crime import)

The database is ``DATABASE_URL`` or postgres://postgres@127.0.0.1:5432/ssoportal_bench; its
name must end in "bench", because it is dropped and recreated (then migrated) on every run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import _pairs  # beside this file

# Benchmarks sign nothing that outlives them: a throwaway key when none is set.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ssoportal_bench"
# The pandas baseline's own environment (bench/requirements-baseline.txt), never the project's.
BASELINE_PYTHON = Path(os.environ.get("BENCH_BASELINE_PYTHON", ROOT / ".cache" / "bench-baseline" / "bin" / "python"))
NATIONAL = {"schools": 25_000, "closed_or_independent": 25_000, "lsoas": 35_700, "crimes_per_month": 550_000}
MONTHS = [f"2025-{month:02d}" for month in range(10, 13)] + [f"2026-{month:02d}" for month in range(1, 10)]
FORCES = [
    "avon-and-somerset", "bedfordshire", "btp", "cambridgeshire", "cheshire", "city-of-london", "cleveland",
    "cumbria", "derbyshire", "devon-and-cornwall", "dorset", "durham", "dyfed-powys", "essex", "gloucestershire",
    "greater-manchester", "gwent", "hampshire", "hertfordshire", "humberside", "kent", "lancashire",
    "leicestershire", "lincolnshire", "merseyside", "metropolitan", "norfolk", "north-wales", "north-yorkshire",
    "northamptonshire", "northumbria", "nottinghamshire", "south-wales", "south-yorkshire", "staffordshire",
    "suffolk", "surrey", "sussex", "thames-valley", "warwickshire", "west-mercia", "west-midlands",
    "west-yorkshire", "wiltshire",
]  # fmt: skip
CRIME_TYPES = {
    "Violence and sexual offences": 30,
    "Anti-social behaviour": 17,
    "Other theft": 8,
    "Criminal damage and arson": 8,
    "Public order": 9,
    "Vehicle crime": 6,
    "Shoplifting": 7,
    "Burglary": 4,
    "Drugs": 3,
    "Other crime": 2,
    "Robbery": 1,
    "Theft from the person": 2,
    "Bicycle theft": 2,
    "Possession of weapons": 1,
}
GIAS_COLUMNS = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)", "ReasonEstablishmentOpened (code)",
    "ReasonEstablishmentOpened (name)", "OpenDate", "ReasonEstablishmentClosed (code)",
    "ReasonEstablishmentClosed (name)", "CloseDate", "PhaseOfEducation (code)", "PhaseOfEducation (name)",
    "StatutoryLowAge", "StatutoryHighAge", "Boarders (code)", "Boarders (name)", "NurseryProvision (name)",
    "OfficialSixthForm (code)", "OfficialSixthForm (name)", "Gender (code)", "Gender (name)",
    "ReligiousCharacter (code)", "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)",
    "Diocese (name)", "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity",
    "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys",
    "NumberOfGirls", "PercentageFSM", "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)",
    "Trusts (name)", "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)",
    "Federations (code)", "Federations (name)", "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)",
    "OfstedLastInsp", "LastChangedDate", "Street", "Locality", "Address3", "Town", "County (name)", "Postcode",
    "SchoolWebsite", "TelephoneNum", "HeadTitle (name)", "HeadFirstName", "HeadLastName",
    "HeadPreferredJobTitle", "BSOInspectorateName (name)", "InspectorateReport", "DateOfLastInspectionVisit",
    "NextInspectionVisit", "TeenMoth (name)", "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)",
    "PlacesPRU", "FTProv (name)", "EdByOther (name)", "Section41Approved (name)", "SEN1 (name)", "SEN2 (name)",
    "SEN3 (name)", "SEN4 (name)", "SEN5 (name)", "SEN6 (name)", "SEN7 (name)", "SEN8 (name)", "SEN9 (name)",
    "SEN10 (name)", "SEN11 (name)", "SEN12 (name)", "SEN13 (name)", "TypeOfResourcedProvision (name)",
    "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity", "SenUnitOnRoll", "SenUnitCapacity",
    "GOR (code)", "GOR (name)", "DistrictAdministrative (code)", "DistrictAdministrative (name)",
    "AdministrativeWard (code)", "AdministrativeWard (name)", "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)", "UrbanRural (code)", "UrbanRural (name)", "GSSLACode (name)", "Easting",
    "Northing", "MSOA (name)", "LSOA (name)", "InspectorateName (name)", "SENStat", "SENNoStat",
    "BoardingEstablishment (name)", "PropsName", "PreviousLA (code)", "PreviousLA (name)",
    "PreviousEstablishmentNumber", "OfstedRating (name)", "RSCRegion (name)", "Country (name)", "UPRN",
    "SiteName", "QABName (code)", "QABName (name)", "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)", "LSOA (code)", "FSM",
    "AccreditationExpiryDate",
]  # fmt: skip
CRIME_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
PHASES = [("Primary", 4, 11, 60), ("Secondary", 11, 18, 20), ("Nursery", 2, 5, 5), ("Not applicable", 3, 19, 8)]
PHASES += [("All-through", 4, 18, 2), ("16 plus", 16, 19, 3), ("Middle deemed secondary", 9, 13, 2)]
NAMES = ["St Aidan's", "Brontë", "Fiertè", "Oakfield", "Riverside", "Highfield", "Saint-Étienne", "Meadowbank"]


def generate(directory: Path, scale: float, rng: random.Random, months: int = len(MONTHS)) -> dict[str, object]:
    """Write the synthetic files; return their paths and row counts."""
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    towns = [(rng.uniform(150_000, 650_000), rng.uniform(60_000, 640_000)) for _ in range(300)]
    lsoa_count = max(50, int(NATIONAL["lsoas"] * scale))
    lsoas = []
    for number in range(lsoa_count):
        town = number % len(towns)
        east, north = towns[town]
        lsoas.append((f"E01{number:06d}", town, east + rng.gauss(0, 3000), north + rng.gauss(0, 3000)))
    longitudes, latitudes = to_wgs84.transform([row[2] for row in lsoas], [row[3] for row in lsoas])

    gias = directory / "edubasealldata20260901.csv"
    census = directory / "spc_school_level_underlying_data_2025.csv"
    schools = max(20, int(NATIONAL["schools"] * scale))
    others = int(NATIONAL["closed_or_independent"] * scale)
    phase_names = [phase for phase, *_ in PHASES]
    phase_weights = [weight for *_, weight in PHASES]
    with (
        open(gias, "w", encoding="cp1252", newline="") as gias_file,
        open(census, "w", encoding="utf-8", newline="") as census_file,
    ):
        gias_writer = csv.writer(gias_file, quoting=csv.QUOTE_ALL)
        census_writer = csv.writer(census_file)
        gias_writer.writerow(GIAS_COLUMNS)
        census_writer.writerow(
            [
                "time_period", "time_identifier", "geographic_level", "country_code", "la_name", "urn",
                "school_name", "ward_code", "headcount of pupils",
                "number of pupils known to be eligible for free school meals",
                "% of pupils known to be eligible for free school meals",
            ]
        )  # fmt: skip
        index = {name: position for position, name in enumerate(GIAS_COLUMNS)}
        for number in range(schools + others):
            code, town, east, north = rng.choice(lsoas)
            phase = rng.choices(phase_names, phase_weights)[0]
            low, high = next((low, high) for name, low, high, _ in PHASES if name == phase)
            is_open_state = number < schools
            pupils = rng.randint(40, 1800)
            fsm_pct = round(min(80.0, max(1.0, rng.gauss(24, 12))), 1)
            la_code = f"{300 + town % 150}"
            row = [""] * len(GIAS_COLUMNS)
            values = {
                "URN": str(100000 + number),
                "LA (code)": la_code,
                "LA (name)": f"Authority {la_code}",
                "EstablishmentNumber": str(2000 + number % 7000),
                "EstablishmentName": f"{rng.choice(NAMES)} {phase} School {number}",
                "TypeOfEstablishment (name)": "Community school",
                "EstablishmentTypeGroup (name)": "Local authority maintained schools"
                if is_open_state or number % 2
                else "Independent schools",
                "EstablishmentStatus (name)": "Open" if is_open_state or not number % 2 else "Closed",
                "PhaseOfEducation (name)": phase,
                "StatutoryLowAge": str(low),
                "StatutoryHighAge": str(high),
                "CensusDate": "16-01-2026",
                "NumberOfPupils": str(pupils),
                "PercentageFSM": f"{fsm_pct:.1f}",
                "FSM": str(round(pupils * fsm_pct / 100)),
                "Town": "Townsville",
                "Postcode": f"ZZ{town % 99} {number % 9}AA",
                "DistrictAdministrative (code)": f"E0{7000000 + town}",
                "AdministrativeWard (code)": f"E05{town:03d}{number % 20:03d}",
                "AdministrativeWard (name)": f"Ward {town}-{number % 20}",
                "Easting": str(int(east + rng.gauss(0, 300))),
                "Northing": str(int(north + rng.gauss(0, 300))),
                "LSOA (code)": code,
                "Country (name)": "England",
            }
            for name, value in values.items():
                row[index[name]] = value
            gias_writer.writerow(row)
            if is_open_state:
                fsm = values["FSM"] if rng.random() > 0.02 else "x"
                census_writer.writerow(
                    [
                        "202425", "Academic year", "School", "E92000001", values["LA (name)"], values["URN"],
                        values["EstablishmentName"], values["AdministrativeWard (code)"], str(pupils), fsm,
                        f"{fsm_pct:.1f}" if fsm != "x" else "x",
                    ]
                )  # fmt: skip

    crime_dir = directory / "crime"
    per_month = int(NATIONAL["crimes_per_month"] * scale)
    type_names, type_weights = list(CRIME_TYPES), list(CRIME_TYPES.values())
    # Busier LSOAs (town centres) get more crime: a skewed pick, as in the real data.
    lsoa_weights = [rng.paretovariate(1.5) for _ in lsoas]
    # police.uk snaps every crime to one of a fixed set of anonymous map points: about a dozen per LSOA.
    snap_points = [
        [
            (f"{longitudes[i] + rng.uniform(-0.004, 0.004):.6f}", f"{latitudes[i] + rng.uniform(-0.003, 0.003):.6f}")
            for _ in range(12)
        ]
        for i in range(len(lsoas))
    ]
    crime_rows = 0
    for month in MONTHS[:months]:
        month_dir = crime_dir / month
        month_dir.mkdir(parents=True)
        picks = rng.choices(range(len(lsoas)), lsoa_weights, k=per_month)
        types = rng.choices(type_names, type_weights, k=per_month)
        writers = {}
        handles = []
        for force in FORCES:
            handle = open(month_dir / f"{month}-{force}-street.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            handles.append(handle)
            writers[force] = csv.writer(handle, lineterminator="\n")
            writers[force].writerow(CRIME_HEADER)
        for number, (pick, crime_type) in enumerate(zip(picks, types, strict=True)):
            code, town, _, _ = lsoas[pick]
            force = FORCES[town % len(FORCES)]
            located = number % 50 != 0
            longitude, latitude = snap_points[pick][number % 12]
            asb = crime_type == "Anti-social behaviour"
            writers[force].writerow(
                [
                    "" if asb else f"{number:016x}{month}",
                    month,
                    force,
                    force,
                    longitude if located else "",
                    latitude if located else "",
                    "On or near Supermarket" if located else "No location",
                    code if located else "",
                    f"Area {town} {pick % 100:03d}A" if located else "",
                    crime_type,
                    "" if asb else "Investigation complete; no suspect identified",
                    "",
                ]
            )
        for handle in handles:
            handle.close()
        crime_rows += per_month
    return {"gias": gias, "census": census, "crime": crime_dir, "crime_rows": crime_rows, "schools": schools}


def fresh_database(url: str) -> None:
    """Drop and recreate the benchmark's own database, so every run starts from the same empty state."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.endswith("bench"):
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name must end in 'bench'.")
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command`` in a child process: (seconds, its peak resident memory in MB, its last output line)."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        output = stdout.read().decode().strip().splitlines()
        errors = stderr.read().decode().strip()
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n" + "\n".join(output) + errors[-2000:])
    return elapsed, usage.ru_maxrss / 1024, output[-1] if output else ""  # ru_maxrss: kilobytes on Linux


# Each side's own figure of its work, from the last line it prints: the recompute's "in 0.52s.",
# the pandas script's "in 1.23s". The import's "in 3.1s" has 0.1 s steps (about 3 % of a
# 3 s import): its time is worked out from its rows and rows/s instead (``import_figures``).
IMPORT_RATE = re.compile(r": read (\d+),.* \(([\d,]+) rows/s\)$")
RECOMPUTE_OWN_TIME = re.compile(r" in ([\d.]+)s\.$")
PANDAS_OWN_TIME = re.compile(r" in ([\d.]+)s$")


def own_seconds(summary: str, pattern: re.Pattern[str], what: str) -> float:
    """The seconds ``what`` printed for its own work, or stop: a benchmark without its figure is no benchmark."""
    match = pattern.search(summary)
    if match is None:
        sys.exit(f"{what} printed no time of its own in its last line: {summary!r}")
    return float(match[1])


def import_figures(summary: str) -> tuple[float, float]:
    """The import's own (seconds, rows/s), from the rows read and the rows/s in its last line: the
    rows/s it printed, and a time to about a millionth of itself (the rate is printed to the row)."""
    match = IMPORT_RATE.search(summary)
    if match is None:
        sys.exit(f"import_crime printed no rows and rows/s in its last line: {summary!r}")
    read, rate = int(match[1]), float(match[2].replace(",", ""))
    return read / rate, rate


def psql_copy_script(folder: Path) -> str:
    r"""``\copy`` of every file into a bare 12-column text table: the floor of any import of these files."""
    lines = [
        f"\\copy bench_crime_copy FROM '{path}' WITH (FORMAT csv, HEADER true)"
        for path in sorted(folder.rglob("*-street.csv"))
    ]
    return "\n".join(lines) + "\n"


STORED_CELL_COLUMNS = "month, force, lsoa_code, crime_type, count, located_count, longitude, latitude"


def export_stored_cells(url: str, path: Path) -> int:
    """Write the crime cells the import stored to ``path`` as CSV; returns how many."""
    import psycopg

    with psycopg.connect(url) as connection, open(path, "wb") as out, connection.cursor() as cursor:
        statement = f"COPY (SELECT {STORED_CELL_COLUMNS} FROM priorities_crimeaggregate) TO STDOUT (FORMAT csv)"
        with cursor.copy(statement) as copy:
            for data in copy:
                out.write(data)
        return cursor.execute("SELECT count(*) FROM priorities_crimeaggregate").fetchone()[0]


def sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


# Each timed run starts from a quiet server, so that one side of a pair does not pay for the
# other: without it, autovacuum vacuums and analyses the 1.1M rows the baseline's copy wrote
# while the next import runs, and so on. What the last run wrote is vacuumed (autovacuum then has
# nothing left to do) and flushed before the clock starts.
SETTLE_TIMEOUT_S = 60


def settle(url: str) -> None:
    """Make PostgreSQL idle before a timed run: VACUUM ANALYZE, CHECKPOINT, no autovacuum worker left."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while time.monotonic() < deadline:
            (workers,) = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            ).fetchone()
            if not workers:
                return
            time.sleep(0.2)


def figure_line(label: str, text: str) -> None:
    """One line of a summary: the label, then the figures in a column of their own."""
    print(f"  {label:<40}{text}")


def spread(values: list[float]) -> str:
    return _pairs.spread(values, 2)


# The baseline's result against a run's, school by school: how many differ in each group of figures.
COMPARE_WITH_BASELINE = """
SELECT count(*) FILTER (WHERE p.school_id IS NULL OR b.school_id IS NULL),
       count(*) FILTER (WHERE (p.total, p.rank_in_bcu, p.band) IS DISTINCT FROM (b.total, b.rank_in_bcu, b.band)),
       count(*) FILTER (WHERE (p.crime, p.fsm, p.pupils, p.advice, p.coverage)
                              IS DISTINCT FROM (b.crime, b.fsm, b.pupils, b.advice, b.coverage)),
       count(*) FILTER (WHERE (p.crime_input, p.crime_lsoa_count, p.crime_percentile, p.fsm_input, p.pupils_input,
                               p.pupils_percentile, p.advice_input, p.coverage_input, p.bcu_id)
                              IS DISTINCT FROM (b.crime_input, b.crime_lsoa_count, b.crime_percentile, b.fsm_input,
                                                b.pupils_input, b.pupils_percentile, b.advice_input,
                                                b.coverage_input, b.bcu_id)),
       count(*)
FROM (SELECT * FROM priorities_priorityscore WHERE run_id = %s) AS p
FULL JOIN bench_recompute_baseline AS b USING (school_id)
"""


def compare_with_baseline(url: str, run_id: int) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        missing, ranked, points, inputs, count = connection.execute(COMPARE_WITH_BASELINE, [run_id]).fetchone()
    if missing == ranked == points == inputs == 0:
        return f"all {count:,} schools equal (every figure, rank and band)"
    return (
        f"{count:,} schools: {missing} in one only; total, rank or band differ for {ranked}, points for {points}, "
        f"inputs for {inputs}"
    )


# The project's latest run, as the pandas baseline writes its answer: URN, total, rank and band.
LATEST_RUN = """
SELECT s.urn, p.total, p.rank_in_bcu, p.band
FROM priorities_priorityscore AS p JOIN schools_school AS s ON s.id = p.school_id
WHERE p.run_id = (SELECT max(id) FROM priorities_priorityrun)
"""
SHOWN_DIFFERENCES = 5


def compare_with_pandas(url: str, answer: Path) -> tuple[bool, list[str]]:
    """The pandas baseline's answer against the project's latest run, school by school (joined on
    URN): whether they agree, and the lines that say so. Totals are compared exactly: both are
    hundredths, the project's a decimal and pandas's worked out in integers."""
    import psycopg

    with answer.open(newline="") as handle:
        theirs = {
            row["URN"]: (Decimal(row["total"]), int(row["rank_in_bcu"]), row["band"]) for row in csv.DictReader(handle)
        }
    with psycopg.connect(url) as connection:
        ours = {urn: (total, rank, band) for urn, total, rank, band in connection.execute(LATEST_RUN)}
    urns = sorted(ours.keys() | theirs.keys(), key=lambda urn: (len(urn), urn))
    differ = [urn for urn in urns if ours.get(urn) != theirs.get(urn)]
    if not differ:
        return True, [f"all {len(ours):,} schools equal (total, rank and band)"]

    def shown(figures: tuple | None) -> str:
        return "absent" if figures is None else f"total {figures[0]}, rank {figures[1]}, {figures[2]}"

    lines = [
        f"{len(differ):,} of {len(urns):,} schools differ (total, rank or band; {len(ours):,} in the project's run, "
        f"{len(theirs):,} in pandas's answer); the first {min(len(differ), SHOWN_DIFFERENCES)}:"
    ]
    lines += [
        f"  URN {urn}: project {shown(ours.get(urn))}; pandas {shown(theirs.get(urn))}"
        for urn in differ[:SHOWN_DIFFERENCES]
    ]
    return False, lines


def recompute_pairs(url: str, env: dict[str, str], manage: list[str], pairs: int) -> dict[str, object]:
    """``recompute_priorities`` and the single-SQL baseline by ``psql``, interleaved, on the same date."""
    as_of = time.strftime("%Y-%m-%d")
    # JIT off for the baseline as the recompute has it off: planned from CTEs without statistics,
    # the statement looks costly enough to be compiled, which takes longer than running it.
    baseline_env = {**env, "PGOPTIONS": "-c jit=off -c client_min_messages=warning"}
    baseline = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-v", f"as_of={as_of}"]
    baseline += ["-f", str(ROOT / "bench" / "baseline_recompute.sql")]
    figures: dict[str, list] = {"whole": [], "inside": [], "sql": [], "start-up": [], "loads": [], "peaks": []}
    for pair in range(1, pairs + 1):
        # The floor of any Django command: the same process doing nothing but start (--help sets
        # Django up as the command does, without its system checks, then prints and exits).
        figures["start-up"].append(run([*manage, "recompute_priorities", "--help"], env)[0])
        settle(url)
        seconds, peak, summary = run([*manage, "recompute_priorities", "--as-of", as_of], env)
        inside = own_seconds(summary, RECOMPUTE_OWN_TIME, "recompute_priorities")
        settle(url)
        sql_seconds = run(baseline, baseline_env)[0]
        figures["whole"].append(seconds)
        figures["inside"].append(inside)
        figures["peaks"].append(peak)
        figures["sql"].append(sql_seconds)
        figures["loads"].append(_pairs.load_average())
        print(
            f"recompute pair {pair}: the service {inside:5.2f} s (whole process {seconds:5.2f} s), "
            f"single SQL {sql_seconds:5.2f} s, ratio {inside / sql_seconds:4.2f}, load {figures['loads'][-1]:.1f}"
        )
    run_id = int(re.search(r"Run (\d+):", summary)[1])
    figures["agreement"] = compare_with_baseline(url, run_id)
    seconds, _, summary = run([*manage, "recompute_priorities", "--as-of", as_of, "--in-python"], env)
    figures["python"] = seconds
    figures["python_agreement"] = compare_with_baseline(url, int(re.search(r"Run (\d+):", summary)[1]))
    return figures


def print_recompute(figures: dict[str, object], schools: int) -> None:
    whole, inside, sql_runs, loads = figures["whole"], figures["inside"], figures["sql"], figures["loads"]
    ratios = [project / baseline for project, baseline in zip(inside, sql_runs, strict=True)]
    whole_ratios = [project / baseline for project, baseline in zip(whole, sql_runs, strict=True)]
    print()
    print(f"Recompute, {schools:,} schools, {len(whole)} interleaved pairs; min / median / max")
    figure_line("recompute_priorities, the service", f"{spread(inside)} s (the command's own figure)")
    figure_line("single SQL by psql, whole process", f"{spread(sql_runs)} s")
    figure_line("ratio the service / single SQL", spread(ratios))
    figure_line("information: whole process", f"{spread(whole)} s (with Python's and Django's start-up)")
    figure_line("information: ratio whole process / SQL", spread(whole_ratios))
    floors = [(start + baseline) / baseline for start, baseline in zip(figures["start-up"], sql_runs, strict=True)]
    figure_line("start-up alone (--help)", f"{spread(figures['start-up'])} s")
    figure_line(
        "whole-process floor: start-up+SQL / SQL", f"{spread(floors)} (a command doing the SQL's work for free)"
    )
    figure_line("load average (1 min)", f"{min(loads):.1f} / {statistics.median(loads):.1f} / {max(loads):.1f}")
    figure_line("scored in Python (--in-python), once", f"{figures['python']:.2f} s, whole process")
    figure_line("SQL recompute against the baseline:", figures["agreement"])
    figure_line("Python scoring against the baseline:", figures["python_agreement"])
    median = statistics.median(ratios)
    print(f"recompute <= 1.5x single SQL (median ratio, the service's own time): {median:.2f}x: ", end="")
    print("met" if median <= 1.5 else "MISSED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national density; 0.05 for a quick run")
    parser.add_argument("--months", type=int, default=2, help="months of crime files (2 = 1.1M rows at scale 1)")
    parser.add_argument("--pairs", type=int, default=3, help="interleaved project/baseline pairs (at least 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--only", choices=["recompute"], help="only the recompute pairs (after one crime import)")
    parser.add_argument("--generate-into", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    _pairs.check_pairs(parser, arguments.pairs)
    if arguments.generate_into:
        data = generate(arguments.generate_into, arguments.scale, random.Random(4), arguments.months)
        print(json.dumps({key: str(value) for key, value in data.items()}))
        return
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not shutil.which("psql"):
        sys.exit("This benchmark's baseline is psql's \\copy: install the PostgreSQL client (psql).")
    fresh_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_LOG_LEVEL": "WARNING"}
    python = sys.executable
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    print(
        f"Started {time.strftime('%d %b %Y %H:%M %Z')}, load average {_pairs.load_averages_text()}, "
        f"{os.cpu_count()} CPUs"
    )

    directory = Path(tempfile.mkdtemp(prefix="bench-priorities-"))
    try:
        started = time.perf_counter()
        # Generated in a child process: a child's peak memory (ru_maxrss) starts from its parent's
        # at fork, so the parent stays small for the figures of the timed steps to be their own.
        generated = subprocess.run(
            [python, __file__, "--scale", str(arguments.scale), "--months", str(arguments.months)]
            + ["--generate-into", str(directory)],
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(generated.stdout)
        rows, schools = int(data["crime_rows"]), int(data["schools"])
        print(
            f"Generated {schools:,} open schools and {rows:,} crime rows in {arguments.months} months x "
            f"{len(FORCES)} forces (scale {arguments.scale}) in {time.perf_counter() - started:.0f} s"
        )
        fill_peaks = []  # the memory target is every step's, the fill's included
        for step in ("import_gias", "import_census"):
            seconds, peak, _ = run(
                [*manage, step, str(data["gias" if step == "import_gias" else "census"]), "-v0"], env
            )
            fill_peaks.append(peak)
            print(f"{step:<14} {seconds:6.2f} s, peak {peak:4.0f} MB (once, to fill the database: no time target)")

        if arguments.only == "recompute":
            run([*manage, "import_crime", data["crime"]], env)
            print_recompute(recompute_pairs(url, env, manage, arguments.pairs), schools)
            return

        script = directory / "copy.sql"
        script.write_text(psql_copy_script(Path(data["crime"])))
        sql(url, "CREATE TABLE bench_crime_copy (" + ", ".join(f"c{i} text" for i in range(12)) + ")")
        imports, inside, rates, copies, loads = [], [], [], [], []
        peaks = list(fill_peaks)
        for pair in range(1, arguments.pairs + 1):
            # The same starting point for both: an empty table.
            sql(url, "TRUNCATE priorities_crimeaggregate")
            settle(url)
            seconds, peak, summary = run([*manage, "import_crime", data["crime"]], env)
            imports.append(seconds)
            # The command's own figure: the import without Python's and Django's start-up.
            own, rate = import_figures(summary)
            inside.append(own)
            rates.append(rate)
            peaks.append(peak)
            sql(url, "TRUNCATE bench_crime_copy")
            settle(url)
            copy_seconds, _, _ = run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(script)], env)
            copies.append(copy_seconds)
            loads.append(_pairs.load_average())
            print(
                f"pair {pair}: import_crime {inside[-1]:6.2f} s "
                f"(whole process {seconds:6.2f} s, peak {peak:4.0f} MB), "
                f"psql \\copy {copy_seconds:6.2f} s, "
                f"ratio {inside[-1] / copy_seconds:4.2f}, load {loads[-1]:.1f}   [{summary}]"
            )
        sql(url, "DROP TABLE bench_crime_copy")

        recompute = recompute_pairs(url, env, manage, arguments.pairs)
        peaks.extend(recompute["peaks"])

        # End to end: import then recompute, against the pandas script doing both from the raw files.
        ends: dict[str, list[float]] = {"own": [], "whole": [], "pandas_own": [], "pandas_whole": [], "cells": []}
        cells_copy, cells = directory / "cells.sql", 0
        answer, pandas_agrees, agreement = directory / "pandas-answer.csv", True, []
        if BASELINE_PYTHON.exists():
            for pair in range(1, arguments.pairs + 1):
                sql(url, "TRUNCATE priorities_crimeaggregate")
                settle(url)
                seconds, _, summary = run([*manage, "import_crime", data["crime"]], env)
                own = import_figures(summary)[0]
                recompute_seconds, _, summary = run([*manage, "recompute_priorities"], env)
                own += own_seconds(summary, RECOMPUTE_OWN_TIME, "recompute_priorities")
                ends["own"].append(own)
                ends["whole"].append(seconds + recompute_seconds)
                # Every pair writes its answer (in the whole process's time); the last is checked.
                baseline = [
                    str(BASELINE_PYTHON),
                    str(ROOT / "bench" / "baseline_pandas.py"),
                    data["crime"],
                    data["gias"],
                    str(answer),
                ]
                settle(url)
                pandas_seconds, _, summary = run(baseline, env)
                ends["pandas_own"].append(own_seconds(summary, PANDAS_OWN_TIME, "baseline_pandas.py"))
                ends["pandas_whole"].append(pandas_seconds)
                # The floor of any importer keeping what this one keeps: the cells it stored, copied
                # by psql into the emptied table (its unique index included), as if parsing were free.
                if pair == 1:
                    cells = export_stored_cells(url, directory / "cells.csv")
                    cells_copy.write_text(
                        f"\\copy priorities_crimeaggregate ({STORED_CELL_COLUMNS}) "
                        f"FROM '{directory / 'cells.csv'}' WITH (FORMAT csv)\n"
                    )
                sql(url, "TRUNCATE priorities_crimeaggregate")
                settle(url)
                cells_seconds, _, _ = run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-f", str(cells_copy)], env)
                ends["cells"].append(cells_seconds)
                print(
                    f"end to end {pair}: import + recompute {own:6.2f} s "
                    f"(whole processes {ends['whole'][-1]:6.2f} s), "
                    f"pandas {ends['pandas_own'][-1]:6.2f} s (whole process {pandas_seconds:6.2f} s), "
                    f"ratio {own / ends['pandas_own'][-1]:4.2f}; stored cells by psql \\copy {cells_seconds:5.2f} s"
                )
            # A faster wrong answer measures nothing: the last pair's answers, school by school.
            pandas_agrees, agreement = compare_with_pandas(url, answer)
        else:
            print(f"End to end against pandas skipped: no {BASELINE_PYTHON} (see bench/requirements-baseline.txt).")
    finally:
        if arguments.keep:
            print(f"Files kept in {directory}")
        else:
            shutil.rmtree(directory)

    ratios = [project / baseline for project, baseline in zip(inside, copies, strict=True)]
    process_ratios = [project / baseline for project, baseline in zip(imports, copies, strict=True)]
    median_rate, median_ratio, peak = statistics.median(rates), statistics.median(ratios), max(peaks)
    print()
    print(f"{rows:,} crime rows, {arguments.pairs} interleaved pairs; min / median / max")
    figure_line("import_crime, the import itself", f"{spread(inside)} s (the command's own figure)")
    figure_line("psql \\copy, the whole process", f"{spread(copies)} s")
    figure_line("import rows/s", f"{min(rates):,.0f} / {median_rate:,.0f} / {max(rates):,.0f}")
    figure_line("ratio import itself / psql \\copy", spread(ratios))
    figure_line("information: whole process", f"{spread(imports)} s (with Python's and Django's start-up)")
    figure_line("information: ratio whole / psql \\copy", spread(process_ratios))
    figure_line("load average (1 min)", f"{min(loads):.1f} / {statistics.median(loads):.1f} / {max(loads):.1f}")
    if ends["own"]:
        end_ratios = [ours / pandas for ours, pandas in zip(ends["own"], ends["pandas_own"], strict=True)]
        whole_ratios = [ours / pandas for ours, pandas in zip(ends["whole"], ends["pandas_whole"], strict=True)]
        pandas_own, pandas_whole = statistics.median(ends["pandas_own"]), statistics.median(ends["pandas_whole"])
        print()
        print(f"End to end, {arguments.pairs} interleaved pairs; min / median / max")
        figure_line("import + recompute, own figures", f"{spread(ends['own'])} s (the two commands' own figures)")
        figure_line("pandas, its own figure", f"{spread(ends['pandas_own'])} s (as the script prints it)")
        figure_line("ratio own figures / pandas", spread(end_ratios))
        figure_line("information: whole processes", f"{spread(ends['whole'])} s (two start-ups included)")
        figure_line("information: pandas, whole process", f"{spread(ends['pandas_whole'])} s (its start-up included)")
        figure_line("information: ratio whole / pandas", spread(whole_ratios))
        # The floors of this design, whatever the project's own code costs (the medians measured
        # above): the bare copy of the raw rows and the scoring statement alone; with two start-ups
        # on top when whole processes are compared.
        floor = statistics.median(copies) + statistics.median(recompute["sql"])
        figure_line(
            "own-figure floor / pandas",
            f"{floor / pandas_own:.2f} (psql \\copy + single SQL: {floor:.2f} s, over pandas's own figure, medians)",
        )
        cells_floor = statistics.median(ends["cells"]) + statistics.median(recompute["sql"])
        figure_line(
            "stored-cells floor / pandas",
            f"{cells_floor / pandas_own:.2f} (psql \\copy of the {cells:,} cells stored + single SQL: "
            f"{cells_floor:.2f} s, over pandas's own figure, medians): any importer keeping these cells",
        )
        floor += 2 * statistics.median(recompute["start-up"])
        figure_line(
            "whole-process floor / pandas",
            f"{floor / pandas_whole:.2f} (two start-ups + psql \\copy + single SQL: {floor:.2f} s, "
            "over pandas's whole process, medians)",
        )
        figure_line("pandas against the project:", agreement[0])
        for line in agreement[1:]:
            print(f"    {line}")
    print()
    if ends["own"]:
        median = statistics.median(end_ratios)
        print(
            f"end to end no slower than pandas (median ratio, import's + recompute's own times against pandas's): "
            f"{median:.2f}x: {'met' if median <= 1 else 'MISSED'}"
        )
    print(
        f"import >= 300,000 rows/s (median, the command's own time): {median_rate:,.0f}: "
        f"{'met' if median_rate >= 300_000 else 'MISSED'}"
    )
    print(
        f"import <= 2.0x psql \\copy (median ratio, the command's own time): {median_ratio:.2f}x: "
        f"{'met' if median_ratio <= 2 else 'MISSED'}"
    )
    print(f"peak memory of any step < 300 MB: {peak:.0f} MB: {'met' if peak < 300 else 'MISSED'}")
    print_recompute(recompute, schools)
    if not pandas_agrees:
        sys.exit(
            "ERROR: the pandas baseline's answer differs from the project's (see above): its time measures nothing"
        )


if __name__ == "__main__":
    main()
