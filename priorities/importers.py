"""Streaming readers for the public data files (GIAS, school census, police.uk street crime).

Readers never hold a whole file: they yield parsed rows (or fold them into small
aggregates) and raise ``ImportFileError`` naming the file and line on bad input. The
writes live in ``priorities/services.py``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import IO

from schools.models import Phase, SchoolStatus

from .models import CrimeType

PROGRESS_EVERY_ROWS = 100_000
ProgressCallback = Callable[[str, int], None]


class ImportFileError(Exception):
    """Bad input: names the file and line, so the person importing can find and fix it."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class ImportSummary:
    """What one file's import did; ``rejected`` rows were read but could not be used."""

    file_name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    notes: dict[str, int] = field(default_factory=dict)

    def note(self, reason: str) -> None:
        self.notes[reason] = self.notes.get(reason, 0) + 1

    def __str__(self) -> str:
        text = (
            f"{self.file_name}: read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}, rejected {self.rejected}"
        )
        if self.notes:
            text += " (" + "; ".join(f"{reason}: {count}" for reason, count in sorted(self.notes.items())) + ")"
        return text


def detect_encoding(path: Path, candidates: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> str:
    """The first candidate encoding that decodes the whole file (read in chunks, memory flat)."""
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as raw:
                while chunk := raw.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError(path, None, f"cannot be read as any of {', '.join(candidates)}")


def _open_csv(path: Path, encoding: str) -> tuple[Iterator[list[str]], csv.reader, list[str]]:
    handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by the generator's caller
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise ImportFileError(path, 1, "the file is empty (no header row)") from None
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise ImportFileError(path, 1, f"unreadable header: {error}") from None
    return handle, reader, [name.strip() for name in header]


def _column(path: Path, header: list[str], *names: str, prefix: bool = False, required: bool = True) -> int | None:
    """Index of the first of ``names`` in the header (case-insensitive; optionally by prefix)."""
    lowered = [name.lower() for name in header]
    for name in names:
        if name.lower() in lowered:
            return lowered.index(name.lower())
    if prefix:
        for name in names:
            matches = [i for i, column in enumerate(lowered) if column.startswith(name.lower()[:40])]
            if matches:
                return min(matches, key=lambda i: len(lowered[i]))
    if required:
        raise ImportFileError(path, 1, f"missing column {names[0]!r}")
    return None


def _checked_urn(path, line: int, row: list[str], *, width: int, urn_column: int) -> str:
    """The row's URN, after checking the row has every column: a short or long row names its line."""
    if len(row) != width:
        raise ImportFileError(path, line, f"expected {width} fields, found {len(row)}")
    urn = row[urn_column].strip()
    if not urn.isdigit() or len(urn) > 8:
        raise ImportFileError(path, line, f"URN {urn!r} is not a number of up to 8 digits")
    return urn


def _rows(path: Path, handle, reader) -> Iterator[list[str]]:
    """The data rows, skipping blank lines; malformed CSV becomes an ImportFileError."""
    try:
        for row in reader:
            if row:
                yield row
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(path, reader.line_num, f"malformed CSV: {error}") from None
    finally:
        handle.close()


def _int(path: Path, line: int, column: str, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ImportFileError(path, line, f"{column} {value!r} is not a whole number") from None
    if number < 0:
        raise ImportFileError(path, line, f"{column} {value!r} is negative")
    return number


def _decimal(path: Path, line: int, column: str, value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ImportFileError(path, line, f"{column} {value!r} is not a number") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ImportFileError(path, line, f"{column} {value!r} is not a percentage between 0 and 100")
    return number.quantize(Decimal("0.1"))


# ---------------------------------------------------------------- GIAS


GIAS_STATUS = {
    "Open": SchoolStatus.OPEN,
    "Open, but proposed to close": SchoolStatus.OPEN_PROPOSED_TO_CLOSE,
    "Proposed to open": SchoolStatus.PROPOSED_TO_OPEN,
    "Closed": SchoolStatus.CLOSED,
}
GIAS_PHASE = {label: value for value, label in Phase.choices} | {"Not applicable": Phase.NOT_APPLICABLE}
# DfE's state-funded schools; colleges, universities, independent and "other" types are not.
STATE_FUNDED_TYPE_GROUPS = frozenset(
    {"Academies", "Free Schools", "Local authority maintained schools", "Special schools"}
)
OPEN_STATUSES = frozenset({SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE})
NOT_APPLICABLE = {"", "not applicable", "does not apply"}


@dataclass
class GiasRow:
    line: int
    urn: str
    la_code: str
    la_name: str
    ward_code: str
    ward_name: str
    state_funded: bool
    values: dict  # School field values


def read_gias(path: Path, progress: ProgressCallback | None = None) -> Iterator[GiasRow]:
    """Parse a GIAS ``edubasealldata`` extract (Windows-1252), one school per row."""
    handle, reader, header = _open_csv(path, "cp1252")

    def col(*names: str, required: bool = True) -> int | None:
        return _column(path, header, *names, required=required)

    c_urn, c_la_code, c_la_name = col("URN"), col("LA (code)"), col("LA (name)")
    c_name, c_type, c_group = (
        col("EstablishmentName"),
        col("TypeOfEstablishment (name)"),
        col("EstablishmentTypeGroup (name)"),
    )
    c_status, c_phase = col("EstablishmentStatus (name)"), col("PhaseOfEducation (name)")
    c_low, c_high = col("StatutoryLowAge"), col("StatutoryHighAge")
    c_pupils, c_fsm_pct, c_fsm = col("NumberOfPupils"), col("PercentageFSM"), col("FSM", required=False)
    c_postcode, c_ward_code, c_ward_name = (
        col("Postcode"),
        col("AdministrativeWard (code)"),
        col("AdministrativeWard (name)"),
    )
    c_east, c_north, c_lsoa = col("Easting"), col("Northing"), col("LSOA (code)")
    width = len(header)

    for row in _rows(path, handle, reader):
        line = reader.line_num
        urn = _checked_urn(path, line, row, width=width, urn_column=c_urn)
        name = row[c_name].strip()
        if not name:
            raise ImportFileError(path, line, "EstablishmentName is empty")
        status = GIAS_STATUS.get(row[c_status].strip())
        if status is None:
            raise ImportFileError(path, line, f"unknown EstablishmentStatus {row[c_status]!r}")
        phase = GIAS_PHASE.get(row[c_phase].strip())
        if phase is None:
            raise ImportFileError(path, line, f"unknown PhaseOfEducation {row[c_phase]!r}")
        low = _int(path, line, "StatutoryLowAge", row[c_low])
        high = _int(path, line, "StatutoryHighAge", row[c_high])
        if low is not None and high is not None and low > high:
            raise ImportFileError(path, line, f"StatutoryLowAge {low} is above StatutoryHighAge {high}")
        state_funded = row[c_group].strip() in STATE_FUNDED_TYPE_GROUPS
        # Independent schools show 0.0 meaning "not collected", never a real zero.
        fsm_pct = _decimal(path, line, "PercentageFSM", row[c_fsm_pct]) if state_funded else None
        fsm = _int(path, line, "FSM", row[c_fsm]) if state_funded and c_fsm is not None else None
        easting = _int(path, line, "Easting", row[c_east]) or None
        northing = _int(path, line, "Northing", row[c_north]) or None
        ward_code = row[c_ward_code].strip()
        yield GiasRow(
            line=line,
            urn=urn,
            la_code=row[c_la_code].strip(),
            la_name=row[c_la_name].strip(),
            ward_code="" if ward_code.lower() in NOT_APPLICABLE else ward_code,
            ward_name=row[c_ward_name].strip(),
            state_funded=state_funded,
            values={
                "name": name,
                "status": status,
                "phase": phase,
                "establishment_type": row[c_type].strip()[:100],
                "statutory_low_age": low,
                "statutory_high_age": high,
                "pupil_count": _int(path, line, "NumberOfPupils", row[c_pupils]),
                "fsm_count": fsm,
                "fsm_percentage": fsm_pct,
                "postcode": row[c_postcode].strip()[:10],
                "lsoa_code": row[c_lsoa].strip(),
                "easting": easting,
                "northing": northing,
            },
        )
        if progress and (reader.line_num - 1) % PROGRESS_EVERY_ROWS == 0:
            progress(str(path), reader.line_num - 1)


# ---------------------------------------------------------------- School census


SUPPRESSION_MARKERS = frozenset({"x", "u", "c", "z", ":", "..", "low", "supp"})


@dataclass
class CensusRow:
    line: int
    urn: str
    period: str
    pupil_count: int | None
    fsm_count: int | None
    fsm_percentage: Decimal | None
    suppressed: int


def read_census(path: Path, progress: ProgressCallback | None = None) -> Iterator[CensusRow]:
    """Parse a DfE school-level census file (utf-8 or Windows-1252); suppression markers are missing values."""
    handle, reader, header = _open_csv(path, detect_encoding(path))
    c_urn = _column(path, header, "urn")
    c_period = _column(path, header, "time_period", required=False)
    c_pupils = _column(path, header, "headcount of pupils", prefix=True)
    c_fsm = _column(path, header, "number of pupils known to be eligible for free school meals", prefix=True)
    c_pct = _column(path, header, "% of pupils known to be eligible for free school meals", prefix=True)
    width = len(header)

    for row in _rows(path, handle, reader):
        line = reader.line_num
        urn = _checked_urn(path, line, row, width=width, urn_column=c_urn)
        suppressed = 0
        cleaned = []
        for index in (c_pupils, c_fsm, c_pct):
            value = row[index].strip()
            if value.lower() in SUPPRESSION_MARKERS:
                suppressed += 1
                value = ""
            cleaned.append(value)
        pupils = _int(path, line, header[c_pupils], _whole(cleaned[0]))
        fsm = _int(path, line, header[c_fsm], _whole(cleaned[1]))
        yield CensusRow(
            line=line,
            urn=urn,
            period=row[c_period].strip() if c_period is not None else "",
            pupil_count=pupils,
            fsm_count=fsm,
            fsm_percentage=_decimal(path, line, header[c_pct], cleaned[2]),
            suppressed=suppressed,
        )
        if progress and (line - 1) % PROGRESS_EVERY_ROWS == 0:
            progress(str(path), line - 1)


def _whole(value: str) -> str:
    # Headcounts are published as "523" or, in some years, "523.0".
    return value[:-2] if value.endswith(".0") else value


# ---------------------------------------------------------------- police.uk street crime


CRIME_FILE_NAME = re.compile(r"^(?P<month>\d{4}-(0[1-9]|1[0-2]))-(?P<force>[a-z0-9-]+)-street\.csv$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LSOA_CODE = re.compile(r"^[A-Z]\d{8}$")
CRIME_TYPES = frozenset(CrimeType.values)
CRIME_HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
    "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip


@dataclass(frozen=True)
class CrimeSource:
    """One police.uk street-crime file: on disk, or a member of the zip archive as downloaded.

    ``name`` is what messages show (``archive.zip:2026-07/2026-07-kent-street.csv`` for a member);
    ``size`` (bytes) lets a progress bar estimate the time left.
    """

    name: str
    file_name: str
    size: int
    open_binary: Callable[[], IO[bytes]]

    @classmethod
    def from_path(cls, path: Path) -> CrimeSource:
        return cls(name=str(path), file_name=path.name, size=path.stat().st_size, open_binary=lambda: open(path, "rb"))

    @property
    def month(self) -> date:
        match = self._match()
        return date(int(match["month"][:4]), int(match["month"][5:]), 1)

    @property
    def force(self) -> str:
        return self._match()["force"]

    def _match(self) -> re.Match:
        match = CRIME_FILE_NAME.match(self.file_name)
        if not match:
            raise ImportFileError(self.name, None, "file name must look like YYYY-MM-<force>-street.csv")
        return match


def crime_sources(paths: Iterable[Path]) -> list[CrimeSource]:
    """The street-crime files in ``paths``: files, folders searched for ``*-street.csv``, and zip archives
    as downloaded from police.uk (month folders; their outcomes and stop-and-search files are ignored)."""
    sources: list[CrimeSource] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*-street.csv"))
            if not found:
                raise ImportFileError(path, None, "no *-street.csv files in this folder")
            sources.extend(CrimeSource.from_path(file) for file in found)
        elif path.is_file() and zipfile.is_zipfile(path):
            sources.extend(_zip_sources(path))
        elif path.is_file():
            sources.append(CrimeSource.from_path(path))
        else:
            raise ImportFileError(path, None, "no such file or folder")
    return sources


def _zip_sources(path: Path) -> list[CrimeSource]:
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            (info for info in archive.infolist() if not info.is_dir() and info.filename.endswith("-street.csv")),
            key=lambda info: info.filename,
        )
    if not members:
        raise ImportFileError(path, None, "no *-street.csv files in this archive")

    def opener(member: str) -> Callable[[], IO[bytes]]:
        def open_member() -> IO[bytes]:
            archive = zipfile.ZipFile(path)  # one handle per member: closed with the member (below)
            handle = archive.open(member)
            handle.close = _closing_both(handle, archive)
            return handle

        return open_member

    return [
        CrimeSource(
            name=f"{path}:{info.filename}",
            file_name=PurePosixPath(info.filename).name,
            size=info.file_size,
            open_binary=opener(info.filename),
        )
        for info in members
    ]


def _closing_both(handle: IO[bytes], archive: zipfile.ZipFile) -> Callable[[], None]:
    close_member = handle.close

    def close() -> None:
        close_member()
        archive.close()

    return close


# Index of each running total in a cell's list (a list, not an object: the import's hot loop).
COUNT, LOCATED, LONGITUDE_SUM, LATITUDE_SUM = range(4)


@dataclass
class CrimeFile:
    """A police.uk file folded into cells: (LSOA, crime type) -> running totals, all of one month."""

    force: str
    month: date
    cells: dict[tuple[str, str], list]
    rows_read: int
    rows_without_lsoa: int
    repeated_ids: int


def read_crime_file(source: CrimeSource | Path, progress: ProgressCallback | None = None) -> CrimeFile:
    """Fold a police.uk street-level file into per (LSOA, crime type) totals of the file's month.

    Every row must be of the month in the file name (a row of another month would otherwise
    replace that month's figures); a repeated Crime ID is counted once (its first row). Rows
    without an LSOA (crimes the police could not place) are counted, not kept. This loop is the
    import's hot path on SQLite: it touches each field once and validates a cell's key only the
    first time it is seen.
    """
    if isinstance(source, Path):
        source = CrimeSource.from_path(source)
    path, force, month = source.name, source.force, source.month
    file_month = f"{month:%Y-%m}"
    handle = io.TextIOWrapper(source.open_binary(), encoding="utf-8-sig", newline="")
    reader = csv.reader(handle)
    with handle:
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise ImportFileError(path, 1, "the file is empty (no header row)") from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportFileError(path, 1, f"unreadable header: {error}") from None
        c_id, c_month, c_lon, c_lat = (
            _column(path, header, "Crime ID"),
            _column(path, header, "Month"),
            _column(path, header, "Longitude"),
            _column(path, header, "Latitude"),
        )
        c_lsoa, c_type = _column(path, header, "LSOA code"), _column(path, header, "Crime type")
        cell_key = itemgetter(c_lsoa, c_type)
        width = len(header)
        cells: dict[tuple[str, str], list] = {}
        find_cell = cells.get
        seen_ids: set[str] = set()
        read = without_lsoa = repeated = 0
        next_progress = PROGRESS_EVERY_ROWS if progress else math.inf
        try:
            for row in reader:
                read += 1
                # Before any row is skipped (a repeat, no LSOA), so no mark is passed unreported.
                if read >= next_progress:
                    progress(path, read)
                    next_progress += PROGRESS_EVERY_ROWS
                if len(row) != width:
                    if not row:  # a blank line
                        read -= 1
                        continue
                    raise ImportFileError(path, reader.line_num, f"expected {width} fields, found {len(row)}")
                if row[c_month] != file_month:
                    _refuse_month(path, reader.line_num, row[c_month], file_month)
                crime_id = row[c_id]
                if crime_id:
                    if crime_id in seen_ids:
                        repeated += 1
                        continue
                    seen_ids.add(crime_id)
                key = cell_key(row)
                cell = find_cell(key)
                if cell is None:
                    if not key[0]:
                        without_lsoa += 1
                        continue
                    _check_crime_key(path, reader.line_num, key)
                    cell = cells[key] = [0, 0, 0.0, 0.0]
                cell[COUNT] += 1
                longitude, latitude = row[c_lon], row[c_lat]
                if longitude or latitude:
                    if not (longitude and latitude):
                        # Half a point is neither a place nor "no location": the file is wrong.
                        raise ImportFileError(
                            path, reader.line_num, f"coordinates {longitude!r}, {latitude!r}: only one of the two"
                        )
                    try:
                        lon, lat = float(longitude), float(latitude)
                    except ValueError:
                        raise ImportFileError(
                            path, reader.line_num, f"coordinates {longitude!r}, {latitude!r} are not numbers"
                        ) from None
                    # Also refuses NaN and infinities, which would poison every later recompute.
                    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                        raise ImportFileError(
                            path, reader.line_num, f"coordinates {longitude!r}, {latitude!r} are off the globe"
                        )
                    cell[LONGITUDE_SUM] += lon
                    cell[LATITUDE_SUM] += lat
                    cell[LOCATED] += 1
        except (csv.Error, UnicodeDecodeError) as error:
            raise ImportFileError(path, reader.line_num, f"malformed CSV: {error}") from None

    return CrimeFile(
        force=force,
        month=month,
        cells=cells,
        rows_read=read,
        rows_without_lsoa=without_lsoa,
        repeated_ids=repeated,
    )


def _refuse_month(path: str, line: int, month: str, file_month: str) -> None:
    if not MONTH.match(month):
        raise ImportFileError(path, line, f"Month {month!r} is not YYYY-MM")
    raise ImportFileError(path, line, f"Month {month!r} is not this file's month, {file_month}")


def _check_crime_key(path: str, line: int, key: tuple[str, str]) -> None:
    lsoa, crime_type = key
    if not LSOA_CODE.match(lsoa):
        raise ImportFileError(path, line, f"LSOA code {lsoa!r} is not a code like E01000001")
    if crime_type not in CRIME_TYPES:
        raise ImportFileError(path, line, f"unknown Crime type {crime_type!r}")


# ---------------------------------------------------------------- ONS boundaries (map outlines)


class BoundaryLevel:
    LOCAL_AUTHORITY = "la"
    WARD = "ward"
    CHOICES = (LOCAL_AUTHORITY, WARD)


# The code column carries the boundaries' year: LAD24CD, WD24CD, WD25CD...
BOUNDARY_CODE_FIELD = {
    BoundaryLevel.LOCAL_AUTHORITY: re.compile(r"^LAD\d{2}CD$", re.IGNORECASE),
    BoundaryLevel.WARD: re.compile(r"^WD\d{2}CD$", re.IGNORECASE),
}
BRITISH_NATIONAL_GRID, WGS84 = "EPSG:27700", "EPSG:4326"
# Generous extents of each system over Great Britain and Northern Ireland: a position outside is a
# broken file, not a boundary.
COORDINATE_LIMITS = {
    BRITISH_NATIONAL_GRID: ((-200_000, 900_000), (-200_000, 1_400_000)),
    WGS84: ((-180, 180), (-90, 90)),
}


@dataclass
class BoundaryFeature:
    number: int  # its place in the file, counted from 1
    code: str
    name: str
    polygons: list  # [[ring, hole, ...], ...]; rings of (x, y) in the file's coordinate system


@dataclass
class BoundaryFile:
    level: str
    code_field: str
    crs: str  # BRITISH_NATIONAL_GRID or WGS84
    features: list[BoundaryFeature]


def _crs_of(path: Path, collection: dict) -> str | None:
    """The coordinate system a ``crs`` member names (ONS's British National Grid files carry one;
    RFC 7946 files, in WGS84, have none)."""
    crs = collection.get("crs")
    if crs is None:
        return None
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
    if name.endswith(("27700", "27700/")) or ":27700" in name:
        return BRITISH_NATIONAL_GRID
    if "4326" in name or "CRS84" in name.upper():
        return WGS84
    raise ImportFileError(
        path, None, f"coordinate system {name or crs!r} is not supported: use the file in EPSG:27700 or 4326 (WGS84)"
    )


def _code_field(path: Path, properties: dict, level: str | None) -> tuple[str, str]:
    """The level and code column of the file. A ward file also carries its wards' local authority
    code (LADyyCD beside WDyyCD): the ward code decides."""
    found = {
        candidate: next((key for key in properties if BOUNDARY_CODE_FIELD[candidate].match(key)), None)
        for candidate in BoundaryLevel.CHOICES
    }
    detected = BoundaryLevel.WARD if found[BoundaryLevel.WARD] else BoundaryLevel.LOCAL_AUTHORITY
    if found[detected] is None:
        raise ImportFileError(
            path, None, f"feature 1 has no LADyyCD or WDyyCD property (found: {', '.join(properties) or 'none'})"
        )
    if level is not None and level != detected:
        kind = "ward" if detected == BoundaryLevel.WARD else "local authority"
        raise ImportFileError(
            path, None, f"--level {level} was asked for, but this is a {kind} file (codes in {found[detected]})"
        )
    return detected, found[detected]


def _polygons(geometry) -> list | None:
    if not isinstance(geometry, dict):
        return None
    if geometry.get("type") == "Polygon":
        return [geometry.get("coordinates")]
    if geometry.get("type") == "MultiPolygon":
        return geometry.get("coordinates")
    return None


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _checked_polygons(where: str, path: Path, polygons, crs: str) -> list:
    (low_x, high_x), (low_y, high_y) = COORDINATE_LIMITS[crs]
    if not isinstance(polygons, list) or not polygons:
        raise ImportFileError(path, None, f"{where}: the geometry has no polygon")
    checked = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ImportFileError(path, None, f"{where}: a polygon has no ring")
        rings = []
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ImportFileError(path, None, f"{where}: a ring has fewer than four positions")
            points = []
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(_is_number(value) for value in position[:2])
                ):
                    raise ImportFileError(path, None, f"{where}: {position!r} is not a position")
                x, y = float(position[0]), float(position[1])
                if not (low_x <= x <= high_x and low_y <= y <= high_y):
                    raise ImportFileError(
                        path, None, f"{where}: position {position[:2]!r} is outside {crs}'s range for the UK"
                    )
                points.append((x, y))
            if points[0] != points[-1]:
                raise ImportFileError(path, None, f"{where}: a ring is not closed (last position not the first)")
            rings.append(points)
        checked.append(rings)
    return checked


def _first_position(collection: dict):
    for feature in collection.get("features") or []:
        polygons = _polygons(feature.get("geometry") if isinstance(feature, dict) else None)
        try:
            return polygons[0][0][0]
        except (IndexError, KeyError, TypeError):
            continue
    return None


def read_boundaries(path: Path, *, level: str | None = None) -> BoundaryFile:
    """Parse an ONS boundary GeoJSON file (local authority districts or wards): each feature's GSS
    code, name and polygons. The whole file is checked before anything is written; a bad feature
    raises ``ImportFileError`` naming its number and code.

    The coordinate system is the one the ``crs`` member names, or, without one, WGS84 unless the
    positions are plainly metres (beyond ±180): ONS publishes both."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            collection = json.load(handle)
    except UnicodeDecodeError as error:
        raise ImportFileError(path, None, f"not UTF-8 text: {error}") from None
    except json.JSONDecodeError as error:
        raise ImportFileError(path, error.lineno, f"not valid JSON: {error.msg}") from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ImportFileError(path, None, "not a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise ImportFileError(path, None, "the collection has no features")
    crs = _crs_of(path, collection)
    if crs is None:
        first = _first_position(collection)
        metres = isinstance(first, list) and any(isinstance(v, int | float) and abs(v) > 180 for v in first[:2])
        crs = BRITISH_NATIONAL_GRID if metres else WGS84
    first_properties = features[0].get("properties") if isinstance(features[0], dict) else None
    level, code_field = _code_field(path, first_properties or {}, level)
    name_field = code_field[:-2] + ("NM" if code_field[-2:].isupper() else "nm")

    parsed, seen = [], {}
    for number, feature in enumerate(features, start=1):
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        code = properties.get(code_field)
        if not isinstance(code, str) or not code.strip():
            raise ImportFileError(path, None, f"feature {number}: no {code_field} code")
        code = code.strip()
        where = f"feature {number} ({code})"
        if code in seen:
            raise ImportFileError(path, None, f"{where}: the code is also that of feature {seen[code]}")
        seen[code] = number
        geometry = feature.get("geometry")
        polygons = _polygons(geometry)
        if polygons is None:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            raise ImportFileError(path, None, f"{where}: geometry {kind!r} is not a Polygon or MultiPolygon")
        name = str(properties.get(name_field) or "").strip()
        parsed.append(BoundaryFeature(number, code, name, _checked_polygons(where, path, polygons, crs)))
    return BoundaryFile(level=level, code_field=code_field, crs=crs, features=parsed)
