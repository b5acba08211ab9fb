"""Writes: importing the public files, partner advice, scoring model versions, recomputing priorities.

Every import runs in one transaction per file: a bad line raises ``ImportFileError``
(naming file and line) and nothing of that file is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.signals import bulk_saved
from officers.models import BCU
from schools.models import LocalAuthority, School, Ward

from . import scoring, selectors
from .geo import polygons_to_geojson, polygons_to_grid
from .geometry import simplify_polygons
from .importers import (
    COUNT,
    LATITUDE_SUM,
    LOCATED,
    LONGITUDE_SUM,
    OPEN_STATUSES,
    WGS84,
    BoundaryLevel,
    CrimeFile,
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


CRIME_COLUMNS = ["month", "force", "lsoa_code", "crime_type", "count", "located_count", "easting", "northing"]


def import_crime_file(*, path: Path, progress: ProgressCallback | None = None) -> ImportSummary:
    """Replace this force's crime aggregates for the months in the file with the file's totals."""
    crime = read_crime_file(path, progress)
    summary = ImportSummary(path.name, read=crime.rows_read, rejected=crime.rows_without_lsoa)
    if crime.rows_without_lsoa:
        summary.notes["rejected: no LSOA (crime not located)"] = crime.rows_without_lsoa
    rows = _crime_rows(crime)

    with transaction.atomic():
        _relax_commit_durability()
        _wait_for_other_imports_of(crime.force)
        previous = CrimeAggregate.objects.filter(force=crime.force, month__in=crime.months.values())
        replaced = {
            (f"{month:%Y-%m}", lsoa, crime_type)
            for month, lsoa, crime_type in previous.values_list("month", "lsoa_code", "crime_type")
        }
        if replaced:
            previous.delete()
        _insert_rows(CrimeAggregate, CRIME_COLUMNS, rows)
        summary.updated = sum(1 for key in crime.cells if key in replaced)
        summary.created = len(crime.cells) - summary.updated
        if len(replaced) > summary.updated:
            summary.notes["aggregates no longer in the file, removed"] = len(replaced) - summary.updated
        _record_import(DataImport.Kind.CRIME, summary)
    return summary


def _relax_commit_durability() -> None:
    """Let PostgreSQL acknowledge this transaction's commit before its WAL reaches disk.

    A crash could then lose the last few imports (never corrupt them: the data stays
    consistent), and an import is idempotent, so it is simply run again. This spares a
    disk flush per file, which on a month of 40-odd force files is much of the time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _wait_for_other_imports_of(force: str) -> None:
    """Serialise imports of one force: two at once would each delete, then both insert, the same month."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"priorities.crime:{force}"])


def refresh_crime_statistics() -> None:
    """After a large import, refresh PostgreSQL's planner statistics so the recompute's scan is planned well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(CrimeAggregate._meta.db_table)}")


def _crime_rows(crime: CrimeFile) -> list[tuple]:
    """One row per cell, in ``CRIME_COLUMNS`` order, the mean point converted to the National Grid."""
    from .geo import to_easting_northing

    located = [cell for cell in crime.cells.values() if cell[LOCATED]]
    eastings, northings = to_easting_northing(
        [cell[LONGITUDE_SUM] / cell[LOCATED] for cell in located],
        [cell[LATITUDE_SUM] / cell[LOCATED] for cell in located],
    )
    points = iter(zip(eastings, northings, strict=True))
    rows = []
    for (month, lsoa, crime_type), cell in crime.cells.items():
        easting, northing = next(points) if cell[LOCATED] else (None, None)
        rows.append(
            (crime.months[month], crime.force, lsoa, crime_type, cell[COUNT], cell[LOCATED], easting, northing)
        )
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


def recompute_priorities(*, scoring_model_id: int | None = None, as_of: datetime.date | None = None) -> PriorityRun:
    """Score every open school with the active (or given) scoring model; one new run, one row per school."""
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

    scores, ranked = [], []
    for position, (school_id, urn, bcu_id, _, _, _, pupils, fsm_pct) in enumerate(schools):
        exposure, lsoa_count = exposures[position]
        adjustments = advice.get(school_id, [])
        mean_adjustment = scoring.mean_advice(adjustments)
        level = coverage.get(school_id, CoverageLevel.NONE)
        components = {
            "crime": scoring.points(crime_percentiles[position], model.crime_weight),
            "fsm": scoring.points(float(fsm_pct or 0), model.fsm_weight),
            "pupils": scoring.points(pupil_percentiles[position], model.pupils_weight),
            "advice": scoring.points(float(mean_adjustment) * scoring.ADVICE_SCALE, model.advice_weight),
            "coverage": scoring.points(scoring.COVERAGE_SCALE[level], model.coverage_weight),
        }
        score = PriorityScore(
            school_id=school_id,
            bcu_id=bcu_id,
            total=sum(components.values()),
            crime_input=Decimal(f"{exposure:.2f}"),
            crime_lsoa_count=lsoa_count,
            crime_percentile=_as_points(crime_percentiles[position]),
            fsm_input=fsm_pct,
            pupils_input=pupils,
            pupils_percentile=_as_points(pupil_percentiles[position]),
            advice_input=mean_adjustment,
            coverage_input=level,
            **components,
        )
        scores.append(score)
        ranked.append(scoring.Ranked(key=score, group=bcu_id, total=score.total, tie_breaker=(len(urn), urn)))
    scoring.rank_within_groups(ranked)
    for item in ranked:
        item.key.rank_in_bcu, item.key.band = item.rank, item.band

    with transaction.atomic():
        run = PriorityRun.objects.create(
            scoring_model=model,
            scoring_model_version=model.version,
            parameters=parameters,
            school_count=len(scores),
        )
        columns = [field.attname for field in PriorityScore._meta.concrete_fields if not field.primary_key]
        for score in scores:
            score.run = run
        _insert_rows(PriorityScore, columns, [tuple(getattr(score, name) for name in columns) for score in scores])
    return run


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
