"""Writes: importing the public files, partner advice, scoring model versions, recomputing priorities.

Every import runs in one transaction per file: a bad line raises ``ImportFileError``
(naming file and line) and nothing of that file is written.
"""

from __future__ import annotations

import csv
import datetime
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import psycopg
from django.core.exceptions import ValidationError
from django.db import Error as DatabaseError  # InterfaceError too: a connection lost
from django.db import connection, connections, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.signals import bulk_saved
from officers.models import BCU, OfficerRole, OfficerStatus
from schools.models import LocalAuthority, School, SchoolStatus, Ward

from . import scoring, scoring_sql, selectors
from .geo import polygons_to_geojson, polygons_to_grid
from .geometry import simplify_polygons
from .importers import (
    CRIME_HEADER,
    CRIME_TYPES,
    OPEN_STATUSES,
    WGS84,
    BoundaryLevel,
    CrimeFile,
    CrimeSource,
    GiasRow,
    ImportFileError,
    ImportSummary,
    ProgressCallback,
    read_boundaries,
    read_census,
    read_crime_file,
    read_gias,
)
from .models import (
    Band,
    Boundary,
    CoverageLevel,
    CrimeAggregate,
    DataImport,
    PartnerAdvice,
    PriorityRun,
    PriorityScore,
    ScoringModel,
)

BATCH_SIZE = 1000
GIAS_FIELDS = [
    "name",
    "status",
    "phase",
    "establishment_type",
    "statutory_low_age",
    "statutory_high_age",
    "pupil_count",
    "fsm_count",
    "fsm_percentage",
    "postcode",
    "lsoa_code",
    "easting",
    "northing",
    "local_authority_id",
    "ward_id",
]
CENSUS_FIELDS = ["pupil_count", "fsm_count", "fsm_percentage"]
# Foreign keys are set from rows already fetched; validating them again costs a query each.
SCHOOL_CLEAN_EXCLUDE = ["local_authority", "ward", "bcu"]


class NoScoringModel(Exception):
    pass


def _validate_school(school: School, *, path: Path, line: int) -> None:
    try:
        school.full_clean(exclude=SCHOOL_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise ImportFileError(path, line, details) from None


def _chunks(items: Iterable) -> Iterable[list]:
    size, chunk = BATCH_SIZE, []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ---------------------------------------------------------------- GIAS


class _Places:
    """Local authorities and wards by code, created on first sight (a GIAS file names them)."""

    def __init__(self) -> None:
        self.authorities = {la.dfe_code: la for la in LocalAuthority.objects.exclude(dfe_code=None)}
        self.ward_ids = dict(Ward.objects.values_list("code", "pk"))
        self.bcu_of_authority: dict[int, int | None] = {}
        for la_id, bcu_id in BCU.local_authorities.through.objects.values_list("localauthority_id", "bcu_id"):
            # A local authority split between BCUs gives no single answer: leave the school's BCU blank.
            self.bcu_of_authority[la_id] = None if la_id in self.bcu_of_authority else bcu_id

    def authority(self, code: str, name: str) -> LocalAuthority:
        authority = self.authorities.get(code)
        if authority is None:
            # GIAS carries no GSS code for the LA: a placeholder stands in until corrected in the admin.
            authority, _ = LocalAuthority.objects.get_or_create(
                dfe_code=code, defaults={"name": name[:100], "gss_code": f"DFE{code}"}
            )
            self.authorities[code] = authority
        return authority

    def ward_id(self, code: str, name: str, authority: LocalAuthority) -> int | None:
        if not code:
            return None
        if code not in self.ward_ids:
            self.ward_ids[code] = Ward.objects.create(code=code, name=name[:100], local_authority=authority).pk
        return self.ward_ids[code]


@transaction.atomic
def import_gias_file(
    *, path: Path, include_all: bool = False, progress: ProgressCallback | None = None
) -> ImportSummary:
    """Upsert schools by URN from a GIAS extract.

    New schools are created only when open and state-funded (any status and type with
    ``include_all``); schools already in the portal are always updated, so a closure in
    GIAS closes the school here too.
    """
    summary = ImportSummary(path.name)
    places = _Places()
    seen: set[str] = set()
    for rows in _chunks(read_gias(path, progress)):
        summary.read += len(rows)
        _write_gias_rows(rows, path=path, include_all=include_all, places=places, seen=seen, summary=summary)
    _record_import(DataImport.Kind.GIAS, summary)
    return summary


def _write_gias_rows(
    rows: list[GiasRow], *, path: Path, include_all: bool, places: _Places, seen: set[str], summary: ImportSummary
) -> None:
    existing = {school.urn: school for school in School.objects.filter(urn__in=[row.urn for row in rows])}
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        if row.urn in seen:
            raise ImportFileError(path, row.line, f"URN {row.urn} appears more than once")
        seen.add(row.urn)
        school = existing.get(row.urn)
        if school is None and not (include_all or (row.state_funded and row.values["status"] in OPEN_STATUSES)):
            summary.skipped += 1
            summary.note("skipped: closed or not state-funded")
            continue
        if not row.la_code.isdigit() or row.la_code == "000":
            summary.rejected += 1
            summary.note("rejected: no local authority")
            continue
        authority = places.authority(row.la_code, row.la_name)
        values = {
            **row.values,
            "local_authority_id": authority.pk,
            "ward_id": places.ward_id(row.ward_code, row.ward_name, authority),
        }
        if school is None:
            school = School(urn=row.urn, bcu_id=places.bcu_of_authority.get(authority.pk), **values)
            _validate_school(school, path=path, line=row.line)
            to_create.append(school)
        elif any(getattr(school, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(school, name, value)
            school.updated_at = now
            _validate_school(school, path=path, line=row.line)
            to_update.append(school)
        else:
            summary.unchanged += 1
    if to_create:
        bulk_create_with_history(to_create, School, batch_size=BATCH_SIZE, default_change_reason="GIAS import")
    if to_update:
        bulk_update_with_history(
            to_update,
            School,
            fields=[*GIAS_FIELDS, "updated_at"],
            batch_size=BATCH_SIZE,
            default_change_reason="GIAS import",
        )
    if to_create or to_update:
        bulk_saved.send(sender=School, objs=[*to_create, *to_update])
    summary.created += len(to_create)
    summary.updated += len(to_update)


# ---------------------------------------------------------------- School census


@transaction.atomic
def import_census_file(*, path: Path, progress: ProgressCallback | None = None) -> ImportSummary:
    """Set pupil and FSM figures of known schools from a school-level census file.

    A file holding several years applies the latest year of each school. Suppressed or
    blank figures are missing: they leave the school's current figure as it is.
    """
    summary = ImportSummary(path.name)
    latest = {}
    for row in read_census(path, progress):
        summary.read += 1
        if row.suppressed:
            summary.notes["suppressed or missing values"] = summary.notes.get("suppressed or missing values", 0) + (
                row.suppressed
            )
        previous = latest.get(row.urn)
        if previous is not None and previous.period == row.period:
            raise ImportFileError(path, row.line, f"URN {row.urn} appears twice for {row.period or 'the same year'}")
        if previous is None or row.period > previous.period:
            latest[row.urn] = row
    summary.rejected = summary.read - len(latest)
    if summary.rejected:
        summary.notes["older years of a school"] = summary.rejected

    now = timezone.now()
    for urns in _chunks(list(latest)):
        schools = School.objects.filter(urn__in=urns)
        to_update = []
        for school in schools:
            row = latest.pop(school.urn)
            values = {name: getattr(row, name) for name in CENSUS_FIELDS if getattr(row, name) is not None}
            if all(getattr(school, name) == value for name, value in values.items()):
                summary.unchanged += 1
                continue
            for name, value in values.items():
                setattr(school, name, value)
            school.updated_at = now
            _validate_school(school, path=path, line=row.line)
            to_update.append(school)
        unknown = [urn for urn in urns if urn in latest]
        for urn in unknown:
            del latest[urn]
        if unknown:
            summary.rejected += len(unknown)
            summary.notes["rejected: URN not in the portal"] = summary.notes.get(
                "rejected: URN not in the portal", 0
            ) + len(unknown)
        if to_update:
            bulk_update_with_history(
                to_update,
                School,
                fields=[*CENSUS_FIELDS, "updated_at"],
                batch_size=BATCH_SIZE,
                default_change_reason="School census import",
            )
            bulk_saved.send(sender=School, objs=to_update)
        summary.updated += len(to_update)
    _record_import(DataImport.Kind.CENSUS, summary)
    return summary


# ---------------------------------------------------------------- police.uk street crime


CRIME_COLUMNS = ["month", "force", "lsoa_code", "crime_type", "count", "located_count", "longitude", "latitude"]
REPEATED_IDS_NOTE = "repeated Crime ID, counted once"
WITHOUT_LSOA_NOTE = "rejected: no LSOA (crime not located)"
REMOVED_NOTE = "aggregates no longer in the file, removed"


def import_crime_file(
    *, path: Path | None = None, source: CrimeSource | None = None, progress: ProgressCallback | None = None
) -> ImportSummary:
    """Replace this force's crime aggregates for the file's month with the file's totals.

    On PostgreSQL the file is copied as it is into a staging table and folded there (see
    ``_import_crime_by_copy``); any file that path cannot take as it is (a bad line, a blank line,
    columns in another order) is read line by line instead, which names the bad line or imports it.
    """
    source = source or CrimeSource.from_path(path)
    source.month  # noqa: B018 - a file name without month and force is refused before anything is read
    if connection.vendor == "postgresql":
        try:
            return _import_crime_by_copy(source)
        except _ReadLineByLine:
            pass
    return _import_crime_line_by_line(source, progress)


@dataclass(frozen=True)
class CrimeFileImported:
    """One file of ``import_crime_files`` committed: its summary and the seconds it took."""

    source: CrimeSource
    summary: ImportSummary
    seconds: float


class CrimeFileFailed(Exception):
    """A file of ``import_crime_files`` was bad or the database failed: nothing of it was written."""

    def __init__(self, source: CrimeSource, error: ImportFileError | DatabaseError) -> None:
        self.source, self.error = source, error
        super().__init__(str(error))


def import_crime_files(
    *, sources: Sequence[CrimeSource], jobs: int = 1, progress: ProgressCallback | None = None
) -> Iterator[CrimeFileImported]:
    """Import ``sources``, each file in its own transaction, yielding each file as it is committed.

    On PostgreSQL, ``jobs`` files are imported at once, each on a database connection of its own
    thread (the import's work is PostgreSQL's: one file keeps about one core busy). Two files of
    one force never run at once, so a force's files are applied in the order given. Inside an
    atomic block (a test's transaction) and on SQLite the files are imported one after another:
    another connection would neither see nor be undone with the block's writes.

    The first file that fails stops the run: no file is started after it, the files already
    running finish (and are yielded if committed), then ``CrimeFileFailed`` is raised.
    ``progress`` (rows read by the line-by-line reader) is only called when importing serially.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    if jobs == 1 or len(sources) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for source in sources:
            started = time.perf_counter()
            try:
                summary = import_crime_file(source=source, progress=progress)
            except (ImportFileError, DatabaseError) as error:
                raise CrimeFileFailed(source, error) from error
            yield CrimeFileImported(source, summary, time.perf_counter() - started)
        return
    yield from CrimeImportPool(sources, min(jobs, len(sources)), _import_one_crime_file).run()


def _import_one_crime_file(source: CrimeSource) -> ImportSummary:
    return import_crime_file(source=source)


class CrimeImportPool:
    """Threads each taking the next file of a force no other thread is importing: of those forces'
    next files, the largest (a large file started last would leave the other threads idle at the end)."""

    def __init__(
        self, sources: Sequence[CrimeSource], jobs: int, import_file: Callable[[CrimeSource], ImportSummary]
    ) -> None:
        self.import_file = import_file
        # Each force's files, in the order given.
        self.waiting: dict[str, deque[CrimeSource]] = {}
        for source in sources:
            self.waiting.setdefault(_force_key(source), deque()).append(source)
        self.jobs = jobs
        self.busy_forces: set[str] = set()
        self.stopping = False
        self.condition = threading.Condition()
        # What the threads report to the caller's thread: a file imported, a failure, or None (a thread ended).
        self.reports: queue.SimpleQueue = queue.SimpleQueue()

    def run(self) -> Iterator[CrimeFileImported]:
        threads = [threading.Thread(target=self._work, name=f"import-crime-{n}") for n in range(self.jobs)]
        for thread in threads:
            thread.start()
        failure: tuple[CrimeSource, BaseException] | None = None
        try:
            running = len(threads)
            while running:
                report = self.reports.get()
                if report is None:
                    running -= 1
                elif isinstance(report, CrimeFileImported):
                    yield report
                elif failure is None:
                    failure = report
        finally:
            self._stop()  # also when the caller stops reading: the running files finish, no other starts
            for thread in threads:
                thread.join()
        if failure:
            source, error = failure
            if isinstance(error, ImportFileError | DatabaseError):
                raise CrimeFileFailed(source, error) from error
            raise error

    def _work(self) -> None:
        try:
            while (source := self._next()) is not None:
                started = time.perf_counter()
                try:
                    summary = self.import_file(source)
                except BaseException as error:
                    self._stop()
                    self.reports.put((source, error))
                    return
                finally:
                    self._release(source)
                self.reports.put(CrimeFileImported(source, summary, time.perf_counter() - started))
        finally:
            connections.close_all()  # this thread's connections only: Django keeps one set per thread
            self.reports.put(None)

    def _next(self) -> CrimeSource | None:
        with self.condition:
            while not self.stopping and self.waiting:
                free = [force for force in self.waiting if force not in self.busy_forces]
                if not free:
                    self.condition.wait()
                    continue
                force = max(free, key=lambda force: self.waiting[force][0].size)
                files = self.waiting[force]
                source = files.popleft()
                if not files:
                    del self.waiting[force]
                self.busy_forces.add(force)
                return source
            return None

    def _release(self, source: CrimeSource) -> None:
        with self.condition:
            self.busy_forces.discard(_force_key(source))
            self.condition.notify_all()

    def _stop(self) -> None:
        with self.condition:
            self.stopping = True
            self.condition.notify_all()


def _force_key(source: CrimeSource) -> str:
    try:
        return source.force
    except ImportFileError:
        return source.name  # refused when imported, with its name


class _ReadLineByLine(Exception):
    """The staged file needs the line-by-line reader: to name its bad line, or for an unusual layout."""


def _import_crime_line_by_line(source: CrimeSource, progress: ProgressCallback | None) -> ImportSummary:
    crime = read_crime_file(source, progress)
    rows = _crime_rows(crime)
    with transaction.atomic():
        _start_crime_transaction(crime.force)
        previous = CrimeAggregate.objects.filter(force=crime.force, month=crime.month)
        replaced = set(previous.values_list("lsoa_code", "crime_type"))
        if replaced:
            previous.delete()
        _insert_rows(CrimeAggregate, CRIME_COLUMNS, rows)
        updated = sum(1 for key in crime.cells if key in replaced)
        return _crime_summary(
            source,
            read=crime.rows_read,
            without_lsoa=crime.rows_without_lsoa,
            repeated=crime.repeated_ids,
            cells=len(crime.cells),
            replaced=len(replaced),
            updated=updated,
        )


def _crime_summary(
    source: CrimeSource, *, read: int, without_lsoa: int, repeated: int, cells: int, replaced: int, updated: int
) -> ImportSummary:
    summary = ImportSummary(source.file_name, read=read, rejected=without_lsoa, updated=updated)
    summary.created = cells - updated
    if without_lsoa:
        summary.notes[WITHOUT_LSOA_NOTE] = without_lsoa
    if repeated:
        summary.notes[REPEATED_IDS_NOTE] = repeated
    if replaced > updated:
        summary.notes[REMOVED_NOTE] = replaced - updated
    _record_import(DataImport.Kind.CRIME, summary)
    return summary


def _start_crime_transaction(force: str) -> None:
    """Relax the commit's durability and serialise imports of one force (PostgreSQL).

    The commit is acknowledged before its WAL reaches disk: a crash could then lose the last
    few imports (never corrupt them), and an import is idempotent, so it is simply run again;
    this spares a disk flush per file. Two imports of one force at once would each delete, then
    both insert, the same month: the advisory lock makes the second wait.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(hashtext(%s))",
                [f"priorities.crime:{force}"],
            )


STAGING_TABLE = "priorities_crime_staging"
REMOVED_TABLE = "priorities_crime_removed"
# The file's 12 columns as they are; only the coordinates are typed, so COPY parses each once.
STAGING_COLUMNS = (
    "crime_id text, month text, reported_by text, falls_within text, longitude float8, latitude float8, "
    "location text, lsoa_code text, lsoa_name text, crime_type text, outcome text, context text"
)
COPY_CHUNK_BYTES = 1 << 20


def _import_crime_by_copy(source: CrimeSource) -> ImportSummary:
    """The PostgreSQL import: COPY the file into a temporary staging table, then fold, check and
    insert the cells with one statement, all in one transaction and a few round trips.

    Nothing is parsed in Python: each row is read once, by COPY. Any problem (a row COPY cannot
    take, a bad value found by the checks) rolls the transaction back and raises ``_ReadLineByLine``.
    """
    force, month = source.force, source.month
    with source.open_binary() as data:
        header = data.readline()
        if _crime_header(header) != CRIME_HEADER:
            raise _ReadLineByLine
        with transaction.atomic():
            _start_crime_transaction(force)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING_TABLE} ({STAGING_COLUMNS}); "
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {REMOVED_TABLE} (lsoa_code text, crime_type text); "
                    f"TRUNCATE {STAGING_TABLE}, {REMOVED_TABLE}"
                )
                try:
                    with cursor.cursor.copy(f"COPY {STAGING_TABLE} FROM STDIN (FORMAT csv)") as copy:
                        while chunk := data.read(COPY_CHUNK_BYTES):
                            copy.write(chunk)
                except psycopg.DataError:
                    # A row of another width, a coordinate that is not a number, bad UTF-8...
                    raise _ReadLineByLine from None
                read = cursor.cursor.rowcount
                if not read:
                    raise _ReadLineByLine
                cursor.execute(_HAS_REPEATED_IDS)
                (has_repeats,) = cursor.fetchone()
                # The fold leaves repeats out, but a repeat of another month is refused as the
                # reader refuses it: every row's month is checked, repeated or not.
                if has_repeats:
                    cursor.execute(_HAS_ROWS_OF_ANOTHER_MONTH, [f"{month:%Y-%m}"])
                    if cursor.fetchone()[0]:
                        raise _ReadLineByLine
                table = connection.ops.quote_name(CrimeAggregate._meta.db_table)
                # The cells replaced are kept aside to count those the file has again (updated).
                cursor.execute(
                    f"WITH removed AS (DELETE FROM {table} WHERE force = %(force)s AND month = %(month)s "
                    f"RETURNING lsoa_code, crime_type) INSERT INTO {REMOVED_TABLE} SELECT * FROM removed",
                    {"force": force, "month": month},
                )
                replaced = cursor.rowcount
                cursor.execute(
                    _fold_and_insert(table, skip_repeated_ids=has_repeats),
                    {
                        "month": month,
                        "month_text": f"{month:%Y-%m}",
                        "force": force,
                        "crime_types": sorted(CRIME_TYPES),
                    },
                )
                kept, without_lsoa, bad_cells, cells, updated = cursor.fetchone()
                if bad_cells:
                    raise _ReadLineByLine
            return _crime_summary(
                source,
                read=read,
                without_lsoa=without_lsoa,
                repeated=read - kept,
                cells=cells,
                replaced=replaced,
                updated=updated,
            )


def _crime_header(line: bytes) -> tuple[str, ...]:
    try:
        return tuple(name.strip() for name in next(csv.reader([line.decode("utf-8-sig")])))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return ()


# Most files repeat no Crime ID: finding that out costs one hash of the IDs, and spares the fold
# the anti-join that leaves the repeats out.
_HAS_REPEATED_IDS = (
    f"SELECT EXISTS (SELECT FROM {STAGING_TABLE} WHERE crime_id <> '' GROUP BY crime_id HAVING count(*) > 1)"
)

_HAS_ROWS_OF_ANOTHER_MONTH = f"SELECT EXISTS (SELECT FROM {STAGING_TABLE} WHERE month IS DISTINCT FROM %s)"

# A repeated Crime ID keeps its first row (the lowest ctid: COPY fills the emptied table in file order).
_WITHOUT_REPEATED_IDS = f"""
WHERE NOT EXISTS (
    SELECT FROM (
        SELECT crime_id, min(ctid) AS first FROM {STAGING_TABLE} WHERE crime_id <> ''
        GROUP BY crime_id HAVING count(*) > 1
    ) AS repeated
    WHERE repeated.crime_id = staged.crime_id AND repeated.first <> staged.ctid
)
"""


def _fold_and_insert(table: str, *, skip_repeated_ids: bool) -> str:
    """One statement: fold the staged rows into cells (rows without an LSOA fold into a cell of
    their own, to be counted), mark the cells ``read_crime_file`` would refuse, insert the good
    cells in the unique index's order (each insert lands next to the previous one), and return
    the figures: rows kept, rows without an LSOA, bad cells, cells inserted, cells updated.

    The bad cells: a row of another month, a bad LSOA code or crime type, coordinates off the globe
    or half given (NaN is above every number, and a missing longitude or latitude makes the
    comparison unknown: both fail the check). Only good cells are inserted, so no constraint of the
    table can fail; a bad cell makes the caller roll the whole file back.
    """
    columns = ", ".join(connection.ops.quote_name(name) for name in CRIME_COLUMNS)
    return f"""
WITH cells AS MATERIALIZED (
    SELECT *, NOT of_month OR lsoa_code IS NOT NULL AND (
                  lsoa_code !~ '^[A-Z][0-9]{{8}}$' OR crime_type IS NULL OR crime_type <> ALL(%(crime_types)s)
                  OR NOT on_the_globe
              ) AS bad
    FROM (
        SELECT NULLIF(lsoa_code, '') AS lsoa_code, crime_type, count(*) AS count, count(longitude) AS located,
               sum(longitude) / count(longitude) AS longitude,
               sum(latitude) FILTER (WHERE longitude IS NOT NULL) / count(longitude) AS latitude,
               bool_and(coalesce(
                   longitude IS NULL AND latitude IS NULL
                   OR longitude BETWEEN -180 AND 180 AND latitude BETWEEN -90 AND 90, false
               )) AS on_the_globe,
               bool_and(coalesce(month = %(month_text)s, false)) AS of_month
        FROM {STAGING_TABLE} AS staged
        {_WITHOUT_REPEATED_IDS if skip_repeated_ids else ""}
        GROUP BY 1, 2
    ) AS folded
), added AS (
    INSERT INTO {table} ({columns})
    SELECT %(month)s, %(force)s, lsoa_code, crime_type, count, located, longitude, latitude FROM cells
    WHERE lsoa_code IS NOT NULL AND NOT bad
    ORDER BY lsoa_code, crime_type
    RETURNING 1
)
SELECT sum(count)::bigint, coalesce(sum(count) FILTER (WHERE lsoa_code IS NULL), 0)::bigint,
       count(*) FILTER (WHERE bad), (SELECT count(*) FROM added),
       (SELECT count(*) FROM {REMOVED_TABLE} JOIN cells USING (lsoa_code, crime_type))
FROM cells
"""


def refresh_crime_statistics() -> None:
    """After a large import, refresh PostgreSQL's planner statistics so the recompute's scan is planned well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(CrimeAggregate._meta.db_table)}")


def _crime_rows(crime: CrimeFile) -> list[tuple]:
    """One row per cell, in ``CRIME_COLUMNS`` order, with the cell's mean point."""
    rows = []
    for (lsoa, crime_type), (count, located, longitude_sum, latitude_sum) in crime.cells.items():
        longitude, latitude = (longitude_sum / located, latitude_sum / located) if located else (None, None)
        rows.append((crime.month, crime.force, lsoa, crime_type, count, located, longitude, latitude))
    return rows


def _insert_rows(model, field_names: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert many rows fast: PostgreSQL ``COPY`` when available, batched INSERTs otherwise.

    The COPY text is built here rather than by psycopg's ``write_row`` (several times
    slower): values are numbers, dates, None or strings already validated to hold no tab,
    newline or backslash.
    """
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in field_names)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            lines = []
            for row in rows:
                lines.append("\t".join("\\N" if value is None else str(value) for value in row))
                if len(lines) == 10_000:
                    copy.write("\n".join(lines) + "\n")
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
    else:
        model.objects.bulk_create(
            (model(**dict(zip(field_names, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
        )


def _record_import(kind: str, summary: ImportSummary) -> None:
    DataImport.objects.create(
        kind=kind,
        file_name=summary.file_name[:255],
        rows_read=summary.read,
        created=summary.created,
        updated=summary.updated,
        rejected=summary.rejected,
    )


# ---------------------------------------------------------------- Scoring models and advice


@transaction.atomic
def scoring_model_record_change(*, scoring_model: ScoringModel) -> ScoringModel:
    """Count a saved change of the model's weights as a new version (runs keep the version they used)."""
    # Saved (not a queryset update) so the model's history records the new version number.
    locked = ScoringModel.objects.select_for_update().get(pk=scoring_model.pk)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    scoring_model.version = locked.version
    return scoring_model


@transaction.atomic
def create_partner_advice(
    *,
    school: School,
    author,
    organisation: str,
    adjustment: int,
    reason: str,
    advised_on: datetime.date | None = None,
) -> PartnerAdvice:
    advice = PartnerAdvice(
        school=school,
        author=author,
        organisation=organisation,
        adjustment=adjustment,
        reason=reason.strip(),
        advised_on=advised_on or timezone.localdate(),
    )
    advice.full_clean()
    advice.save()
    return advice


# ---------------------------------------------------------------- Recompute


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _as_points(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def recompute_priorities(
    *, scoring_model_id: int | None = None, as_of: datetime.date | None = None, in_sql: bool | None = None
) -> PriorityRun:
    """Score every open school with the active (or given) scoring model; one new run, one row per school.

    On PostgreSQL the scoring is one ``INSERT … SELECT`` (``scoring_sql``); elsewhere, or with
    ``in_sql=False``, it is done in Python (``scoring``). Both give the same figures;
    ``in_sql=True`` needs PostgreSQL.
    """
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    as_of = as_of or timezone.localdate()
    models = ScoringModel.objects.prefetch_related("crime_weights")
    model = models.filter(pk=scoring_model_id).first() if scoring_model_id else models.filter(is_active=True).first()
    if model is None:
        raise NoScoringModel(
            f"No scoring model with id {scoring_model_id}."
            if scoring_model_id
            else "No active scoring model: mark one active in the admin."
        )
    crime_weights = {weight.crime_type: weight.weight for weight in model.crime_weights.all()}
    last_month = selectors.latest_crime_month(on_or_before=as_of) or as_of.replace(day=1)
    first_month = _add_months(last_month, 1 - model.crime_months)
    parameters = {
        "as_of": as_of.isoformat(),
        "crime_months": model.crime_months,
        "crime_window": [first_month.isoformat(), last_month.isoformat()],
        "crime_radius_m": model.crime_radius_m,
        "advice_max_age_days": model.advice_max_age_days,
        "weights": {
            "crime": str(model.crime_weight),
            "fsm": str(model.fsm_weight),
            "pupils": str(model.pupils_weight),
            "advice": str(model.advice_weight),
            "coverage": str(model.coverage_weight),
        },
        "crime_type_weights": {crime_type: str(weight) for crime_type, weight in sorted(crime_weights.items())},
        "sso_expected": {"bands": list(model.sso_expected_bands), "phases": list(model.sso_expected_phases)},
    }
    with transaction.atomic():
        run = PriorityRun.objects.create(
            scoring_model=model, scoring_model_version=model.version, parameters=parameters, school_count=0
        )
        if in_sql:
            run.school_count = _score_in_sql(run, model, crime_weights, as_of, first_month, last_month)
        else:
            rows = _score_in_python(model, crime_weights, as_of, first_month, last_month)
            _insert_rows(PriorityScore, ["run_id", *SCORE_COLUMNS], [(run.pk, *row) for row in rows])
            run.school_count = len(rows)
        PriorityRun.objects.filter(pk=run.pk).update(school_count=run.school_count)
    return run


def _score_in_sql(
    run: PriorityRun,
    model: ScoringModel,
    crime_weights: dict[str, Decimal],
    as_of: datetime.date,
    first_month: datetime.date,
    last_month: datetime.date,
) -> int:
    """Insert the run's scores with one statement; the number of schools scored."""
    values = {
        "run_id": run.pk,
        "crime_types": list(crime_weights),
        "crime_type_weights": [scoring.weight_in_hundredths(weight) for weight in crime_weights.values()],
        "first_month": first_month,
        "last_month": last_month,
        "radius": model.crime_radius_m,
        "open_statuses": [SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE],  # as School.objects.open()
        "as_of": as_of,
        "advice_since": as_of - datetime.timedelta(days=model.advice_max_age_days),
        "primary": CoverageLevel.PRIMARY,
        "secondary": CoverageLevel.SECONDARY,
        "none": CoverageLevel.NONE,
        "primary_scale": scoring.COVERAGE_SCALE[CoverageLevel.PRIMARY],
        "secondary_scale": scoring.COVERAGE_SCALE[CoverageLevel.SECONDARY],
        "none_scale": scoring.COVERAGE_SCALE[CoverageLevel.NONE],
        "sso": OfficerRole.SSO,
        "left": OfficerStatus.LEFT,
        "advice_scale": scoring.ADVICE_SCALE,
        "crime_weight": model.crime_weight,
        "fsm_weight": model.fsm_weight,
        "pupils_weight": model.pupils_weight,
        "advice_weight": model.advice_weight,
        "coverage_weight": model.coverage_weight,
        "high": Band.HIGH,
        "medium": Band.MEDIUM,
        "low": Band.LOW,
    }
    with connection.cursor() as cursor:
        # Planned from CTEs without statistics, the statement looks costly enough for PostgreSQL to
        # compile it (JIT), which takes seconds, several times longer than running it.
        cursor.execute("SET LOCAL jit = off")
        # As the crime import: a run lost to a crash just before its commit is simply run again.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(scoring_sql.INSERT_SCORES, values)
        return cursor.rowcount


def _score_in_python(
    model: ScoringModel,
    crime_weights: dict[str, Decimal],
    as_of: datetime.date,
    first_month: datetime.date,
    last_month: datetime.date,
) -> list[list]:
    """The run's score rows (``SCORE_COLUMNS``), scored in Python."""
    index = scoring.CrimeExposureIndex(
        selectors.lsoa_crime(first_month=first_month, last_month=last_month, weights=crime_weights),
        model.crime_radius_m,
    )
    coverage = selectors.coverage_by_school(on=as_of)
    advice = selectors.advice_by_school(on=as_of, max_age_days=model.advice_max_age_days)
    schools = list(
        School.objects.open()
        .order_by("pk")
        .values_list("pk", "urn", "bcu_id", "lsoa_code", "easting", "northing", "pupil_count", "fsm_percentage")
    )
    exposures = [index.exposure(lsoa, east, north) for _, _, _, lsoa, east, north, _, _ in schools]
    crime_percentiles = scoring.percentiles([exposure for exposure, _ in exposures])
    pupil_percentiles = scoring.percentiles([pupils or 0 for *_, pupils, _ in schools])

    # Plain tuples, not model instances: 25,000 PriorityScore objects cost more than the scoring.
    rows, ranked = [], []
    for position, (school_id, urn, bcu_id, _, _, _, pupils, fsm_pct) in enumerate(schools):
        exposure, lsoa_count = exposures[position]
        mean_adjustment = scoring.mean_advice(advice.get(school_id, ()))
        level = coverage.get(school_id, CoverageLevel.NONE)
        crime = scoring.points(crime_percentiles[position], model.crime_weight)
        fsm = scoring.points(float(fsm_pct or 0), model.fsm_weight)
        pupil_points = scoring.points(pupil_percentiles[position], model.pupils_weight)
        advice_points = scoring.points(float(mean_adjustment) * scoring.ADVICE_SCALE, model.advice_weight)
        coverage_points = scoring.points(scoring.COVERAGE_SCALE[level], model.coverage_weight)
        total = crime + fsm + pupil_points + advice_points + coverage_points
        row = [
            school_id, bcu_id, total, 0, "", crime, fsm, pupil_points, advice_points, coverage_points,
            Decimal(f"{exposure:.2f}"), lsoa_count, _as_points(crime_percentiles[position]), fsm_pct, pupils,
            _as_points(pupil_percentiles[position]), mean_adjustment, level,
        ]  # fmt: skip
        rows.append(row)
        ranked.append(scoring.Ranked(key=row, group=bcu_id, total=total, tie_breaker=(len(urn), urn)))
    scoring.rank_within_groups(ranked)
    for item in ranked:
        item.key[3], item.key[4] = item.rank, item.band
    return rows


# ---------------------------------------------------------------- ONS boundaries (map outlines)

# Douglas-Peucker tolerance for outlines, in metres: about a pixel where a borough fills the map
# (zoom 12, 24 m a pixel in London), so the drawing looks the same while the data shrinks (see
# docs/data-imports.md#boundaries).
DEFAULT_OUTLINE_TOLERANCE_M = 25


@dataclass
class BoundaryImportSummary(ImportSummary):
    """An import of outlines: ``created``/``updated``/``unchanged`` count features matched to a
    local authority or ward of the portal; ``skipped`` those whose code is not in the portal."""

    level: str = ""
    unmatched_codes: list[str] = field(default_factory=list)
    # Local authorities or wards of the portal that the file has no outline for.
    without_outline: list[str] = field(default_factory=list)
    points_kept: int = 0

    @property
    def matched(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        what = "local authorities" if self.level == BoundaryLevel.LOCAL_AUTHORITY else "wards"
        text = (
            f"{self.file_name}: read {self.read} features; matched {self.matched} {what} of the portal "
            f"(created {self.created}, updated {self.updated}, unchanged {self.unchanged}); "
            f"unmatched {len(self.unmatched_codes)} (codes not in the portal)"
        )
        if self.without_outline:
            text += f"; {len(self.without_outline)} {what} of the portal have no outline in this file"
        return text


def set_boundary(
    *,
    local_authority: LocalAuthority | None = None,
    ward: Ward | None = None,
    geometry: dict,
    source: str,
    is_demo: bool = False,
    existing: Boundary | None = None,
) -> str:
    """Store the outline of one local authority or ward (``existing``: its current outline, if the
    caller has it). Answers "created", "updated" or "unchanged"."""
    source = source[: Boundary._meta.get_field("source").max_length]
    boundary = existing or Boundary(local_authority=local_authority, ward=ward)
    if existing is not None and (existing.geometry, existing.source, existing.is_demo) == (geometry, source, is_demo):
        return "unchanged"
    boundary.geometry, boundary.source, boundary.is_demo = geometry, source, is_demo
    boundary.imported_at = timezone.now()
    # The authority or ward was fetched by the caller (no query to check it exists again); that it
    # has one outline at most is the database's one-to-one constraint.
    boundary.full_clean(exclude=["local_authority", "ward"], validate_unique=False)
    boundary.point_count = sum(len(ring) for polygon in geometry["coordinates"] for ring in polygon)
    boundary.save()
    return "created" if existing is None else "updated"


@transaction.atomic
def import_boundary_file(
    *,
    path: Path,
    level: str | None = None,
    tolerance_m: float = DEFAULT_OUTLINE_TOLERANCE_M,
    progress: ProgressCallback | None = None,
) -> BoundaryImportSummary:
    """Store the outlines of the portal's local authorities (or wards) from an ONS boundary GeoJSON
    file, matched by GSS code and simplified to ``tolerance_m`` metres. One transaction: a bad
    feature anywhere in the file stops it and nothing is written."""
    boundary_file = read_boundaries(path, level=level)
    summary = BoundaryImportSummary(path.name, level=boundary_file.level, read=len(boundary_file.features))
    if boundary_file.level == BoundaryLevel.LOCAL_AUTHORITY:
        targets = {la.gss_code: la for la in LocalAuthority.objects.select_related("boundary")}
    else:
        targets = {ward.code: ward for ward in Ward.objects.select_related("boundary")}
    source = f"{path.name} ({boundary_file.code_field})"
    in_file = set()
    for feature in boundary_file.features:
        target = targets.get(feature.code)
        if target is None:
            summary.unmatched_codes.append(feature.code)
            summary.skipped += 1
            continue
        in_file.add(feature.code)
        polygons = feature.polygons
        if boundary_file.crs == WGS84:
            polygons = polygons_to_grid(polygons)
        simplified = simplify_polygons(polygons, tolerance_m)
        if not simplified:
            raise ImportFileError(
                path,
                None,
                f"feature {feature.number} ({feature.code}): nothing is left of it simplified to {tolerance_m:g} m; "
                "import it with a smaller --tolerance",
            )
        existing = getattr(target, "boundary", None)
        owner = "local_authority" if boundary_file.level == BoundaryLevel.LOCAL_AUTHORITY else "ward"
        outcome = set_boundary(
            **{owner: target},
            geometry=polygons_to_geojson(simplified),
            source=source,
            existing=existing,
        )
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        summary.points_kept += sum(len(ring) for polygon in simplified for ring in polygon)
        if progress and feature.number % 1000 == 0:
            progress(path.name, feature.number)
    summary.without_outline = sorted(str(target) for code, target in targets.items() if code not in in_file)
    if summary.unmatched_codes:
        summary.notes["skipped: code not in the portal"] = len(summary.unmatched_codes)
    _record_import(DataImport.Kind.BOUNDARIES, summary)
    return summary


# The columns of each score row built by ``recompute_priorities``, in its order.
SCORE_COLUMNS = [
    "school_id", "bcu_id", "total", "rank_in_bcu", "band", "crime", "fsm", "pupils", "advice", "coverage",
    "crime_input", "crime_lsoa_count", "crime_percentile", "fsm_input", "pupils_input", "pupils_percentile",
    "advice_input", "coverage_input",
]  # fmt: skip
