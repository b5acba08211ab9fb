import datetime
import math
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from officers.models import OfficerRole, OfficerStatus, PostingRole
from priorities.geo import to_easting_northing, to_latitude_longitude
from priorities.models import Band, CoverageLevel, CrimeType, PriorityRun, PriorityScore, ScoringModel
from priorities.scoring_sql import TO_GRID_CTES
from priorities.selectors import latest_scores
from priorities.services import NoScoringModel, recompute_priorities, scoring_model_record_change
from priorities.tasks import recompute_priorities as recompute_task
from schools.models import School, SchoolStatus
from tests.factories.officers import BCUFactory, OfficerFactory, PostingFactory
from tests.factories.priorities import CrimeAggregateFactory, PartnerAdviceFactory, ScoringModelFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 20)
SEPTEMBER = datetime.date(2026, 9, 1)


def _only(weight: str) -> dict:
    """Weights with one component at 1 and every other at 0, to test that component alone."""
    weights = dict.fromkeys(["crime_weight", "fsm_weight", "pupils_weight", "advice_weight", "coverage_weight"], 0)
    return weights | {weight: Decimal(1)}


def _score(run: PriorityRun, school: School) -> PriorityScore:
    return run.scores.get(school=school)


def test_every_open_school_gets_one_score_per_run(standard_model):
    open_school = SchoolFactory()
    SchoolFactory(status=SchoolStatus.CLOSED)
    first = recompute_priorities(as_of=AS_OF)
    second = recompute_priorities(as_of=AS_OF)
    assert list(first.scores.values_list("school", flat=True)) == [open_school.pk]
    assert second.scores.count() == 1 and second.pk != first.pk


def test_components_add_up_to_the_total(standard_model):
    bcu = BCUFactory()
    schools = SchoolFactory.create_batch(4, bcu=bcu)
    CrimeAggregateFactory(lsoa_code=schools[0].lsoa_code, month=SEPTEMBER)
    PartnerAdviceFactory(school=schools[1], adjustment=2, advised_on=AS_OF)
    PostingFactory(school=schools[2], start_date=AS_OF)
    run = recompute_priorities(as_of=AS_OF)
    for score in run.scores.all():
        assert score.total == score.crime + score.fsm + score.pupils + score.advice + score.coverage


def test_ranks_and_bands_are_within_each_bcu_by_total():
    model = ScoringModelFactory(**_only("fsm_weight"))
    north, south = BCUFactory(), BCUFactory()
    north_schools = [SchoolFactory(bcu=north, fsm_percentage=Decimal(pct)) for pct in ["5", "40", "20", "10", "30"]]
    south_school = SchoolFactory(bcu=south, fsm_percentage=Decimal("1"))
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    ranks = {score.school_id: (score.rank_in_bcu, score.band) for score in run.scores.all()}
    assert [ranks[school.pk][0] for school in north_schools] == [5, 1, 3, 4, 2]
    assert [ranks[school.pk][1] for school in north_schools] == [
        Band.LOW,
        Band.HIGH,
        Band.MEDIUM,
        Band.LOW,
        Band.MEDIUM,
    ]
    assert ranks[south_school.pk] == (1, Band.HIGH)


def test_crime_counts_only_the_months_of_the_window():
    model = ScoringModelFactory(**_only("crime_weight"), crime_months=3)
    school = SchoolFactory()
    # The window ends at the latest month with data (September) and reaches back 3 months: July.
    for month, count in [(datetime.date(2026, 6, 1), 1000), (datetime.date(2026, 7, 1), 5), (SEPTEMBER, 7)]:
        CrimeAggregateFactory(lsoa_code=school.lsoa_code, month=month, count=count, longitude=None, latitude=None)
    CrimeAggregateFactory(lsoa_code=school.lsoa_code, month=datetime.date(2026, 12, 1), count=1000)
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    assert _score(run, school).crime_input == 12
    assert run.parameters["crime_window"] == ["2026-07-01", "2026-09-01"]


def test_crime_is_weighted_by_type():
    model = ScoringModelFactory(**_only("crime_weight"), crime_weights={CrimeType.ROBBERY: Decimal("3")})
    school = SchoolFactory()
    CrimeAggregateFactory(lsoa_code=school.lsoa_code, crime_type=CrimeType.ROBBERY, count=2)
    CrimeAggregateFactory(lsoa_code=school.lsoa_code, crime_type=CrimeType.SHOPLIFTING, count=5)
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    assert _score(run, school).crime_input == 2 * 3 + 5


@pytest.mark.parametrize(
    "in_sql",
    [False, pytest.param(True, marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="SQL scoring"))],
)
def test_schools_as_exposed_as_each_other_tie_whatever_the_weights(in_sql):
    weights = {CrimeType.ROBBERY: Decimal("0.1"), CrimeType.DRUGS: Decimal("0.2"), CrimeType.BURGLARY: Decimal("0.3")}
    model = ScoringModelFactory(**_only("crime_weight"), crime_radius_m=0, crime_weights=weights)
    two_crimes, one_crime, none = SchoolFactory.create_batch(3)
    # 0.1 + 0.2 crimes against 0.3: in float the first would be more, and the two would not tie.
    CrimeAggregateFactory(lsoa_code=two_crimes.lsoa_code, month=SEPTEMBER, crime_type=CrimeType.ROBBERY, count=1)
    CrimeAggregateFactory(lsoa_code=two_crimes.lsoa_code, month=SEPTEMBER, crime_type=CrimeType.DRUGS, count=1)
    CrimeAggregateFactory(lsoa_code=one_crime.lsoa_code, month=SEPTEMBER, crime_type=CrimeType.BURGLARY, count=1)
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF, in_sql=in_sql)
    scores = [_score(run, school) for school in (two_crimes, one_crime, none)]
    assert [(score.crime_input, score.crime_percentile, score.crime) for score in scores] == [
        (Decimal("0.30"), Decimal("50.0"), Decimal("50.00")),
        (Decimal("0.30"), Decimal("50.0"), Decimal("50.00")),
        (Decimal("0.00"), Decimal("0.0"), Decimal("0.00")),
    ]


@pytest.mark.parametrize(
    "in_sql",
    [False, pytest.param(True, marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="SQL scoring"))],
)
def test_a_small_list_scores_as_worked_out_by_hand(in_sql):
    # Every component at once, against figures worked out by hand rather than by the scoring's own
    # helpers. Four schools in one BCU; crime in each school's own LSOA only (radius 0).
    model = ScoringModelFactory(
        crime_weight=Decimal("0.4"),
        fsm_weight=Decimal("0.3"),
        pupils_weight=Decimal("0.1"),
        advice_weight=Decimal("0.1"),
        coverage_weight=Decimal("0.1"),
        crime_radius_m=0,
        crime_weights={CrimeType.ROBBERY: Decimal(2), CrimeType.DRUGS: Decimal(1)},
    )
    bcu = BCUFactory()
    a = SchoolFactory(urn="100001", bcu=bcu, fsm_percentage=Decimal("40.0"), pupil_count=900)
    b = SchoolFactory(urn="100002", bcu=bcu, fsm_percentage=Decimal("10.0"), pupil_count=300)
    c = SchoolFactory(urn="100003", bcu=bcu, fsm_percentage=Decimal("25.5"), pupil_count=600)
    d = SchoolFactory(urn="100004", bcu=bcu, fsm_percentage=None, pupil_count=None)
    for school, crime_type, count in [(a, CrimeType.ROBBERY, 10), (b, CrimeType.DRUGS, 5), (d, CrimeType.ROBBERY, 1)]:
        CrimeAggregateFactory(lsoa_code=school.lsoa_code, month=SEPTEMBER, crime_type=crime_type, count=count)
    PartnerAdviceFactory(school=a, organisation="police", adjustment=2, advised_on=AS_OF)
    PartnerAdviceFactory(school=c, organisation="police", adjustment=-1, advised_on=AS_OF)
    PostingFactory(school=a, start_date=AS_OF)
    PostingFactory(school=c, start_date=AS_OF, role=PostingRole.SECONDARY)

    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF, in_sql=in_sql)

    # Exposure 20, 5, 0, 2: percentiles 100, 66.7, 0, 33.3 (schools strictly below, of 3 others);
    # pupils 900, 300, 600, none (0): 100, 33.3, 66.7, 0; advice +2, none, -1, none (x 50);
    # coverage primary, none, secondary, none (100, 0, 50, 0). Points are each times its weight.
    expected = {
        a: ("82.00", 1, Band.HIGH, ["40.00", "12.00", "10.00", "10.00", "10.00"], "20.00"),
        b: ("33.00", 2, Band.MEDIUM, ["26.67", "3.00", "3.33", "0.00", "0.00"], "5.00"),
        c: ("14.32", 3, Band.LOW, ["0.00", "7.65", "6.67", "-5.00", "5.00"], "0.00"),
        d: ("13.33", 4, Band.LOW, ["13.33", "0.00", "0.00", "0.00", "0.00"], "2.00"),
    }
    for school, (total, rank, band, components, exposure) in expected.items():
        score = _score(run, school)
        assert (score.total, score.rank_in_bcu, score.band, score.crime_input) == (
            Decimal(total),
            rank,
            band,
            Decimal(exposure),
        ), school.urn
        assert [score.crime, score.fsm, score.pupils, score.advice, score.coverage] == [
            Decimal(points) for points in components
        ], school.urn


def test_crime_in_lsoas_within_the_radius_counts_and_beyond_it_does_not():
    model = ScoringModelFactory(**_only("crime_weight"), crime_radius_m=1000)
    school = SchoolFactory(easting=531000, northing=181000)
    CrimeAggregateFactory(count=4, **_wgs84(531000.0, 181999.0))  # 999 m north
    CrimeAggregateFactory(count=50, **_wgs84(531000.0, 182001.0))  # 1001 m north
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    score = _score(run, school)
    assert (score.crime_input, score.crime_lsoa_count) == (4, 1)


def test_more_exposed_school_gets_more_crime_points():
    model = ScoringModelFactory(**_only("crime_weight"))
    quiet, busy = SchoolFactory(easting=400000, northing=300000), SchoolFactory(easting=500000, northing=300000)
    CrimeAggregateFactory(lsoa_code=quiet.lsoa_code, count=1)
    CrimeAggregateFactory(lsoa_code=busy.lsoa_code, count=30)
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    assert _score(run, busy).crime == 100 and _score(run, quiet).crime == 0


def test_advice_uses_the_latest_of_each_organisation_within_its_age_limit():
    model = ScoringModelFactory(**_only("advice_weight"), advice_max_age_days=365)
    school = SchoolFactory()
    PartnerAdviceFactory(school=school, organisation="police", adjustment=-2, advised_on=datetime.date(2026, 1, 1))
    PartnerAdviceFactory(school=school, organisation="police", adjustment=2, advised_on=datetime.date(2026, 10, 1))
    PartnerAdviceFactory(school=school, organisation="local_authority", adjustment=1, advised_on=AS_OF)
    PartnerAdviceFactory(
        school=school, organisation="local_authority", adjustment=-2, advised_on=AS_OF.replace(day=21)
    )
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    score = _score(run, school)
    assert score.advice_input == Decimal("1.50")
    assert score.advice == Decimal("75.00")


@pytest.mark.parametrize(("age_days", "counted"), [(365, True), (366, False)])
def test_advice_older_than_the_limit_is_ignored(age_days, counted):
    model = ScoringModelFactory(**_only("advice_weight"), advice_max_age_days=365)
    school = SchoolFactory()
    PartnerAdviceFactory(school=school, adjustment=2, advised_on=AS_OF - datetime.timedelta(days=age_days))
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    assert (_score(run, school).advice_input == 2) is counted


def test_coverage_is_read_from_current_postings_of_officers_still_serving():
    model = ScoringModelFactory(**_only("coverage_weight"))
    primary, secondary, ended, left, youth_officer, vacant = SchoolFactory.create_batch(6)
    PostingFactory(school=primary, start_date=AS_OF)
    PostingFactory(school=secondary, role=PostingRole.SECONDARY, start_date=AS_OF)
    PostingFactory(school=ended, start_date=datetime.date(2026, 1, 1), end_date=AS_OF - datetime.timedelta(days=1))
    PostingFactory(school=left, start_date=AS_OF, officer=OfficerFactory(status=OfficerStatus.LEFT))
    PostingFactory(school=youth_officer, start_date=AS_OF, officer=OfficerFactory(role=OfficerRole.YOUTH_ENGAGEMENT))
    run = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF)
    levels = {score.school_id: (score.coverage_input, score.coverage) for score in run.scores.all()}
    assert levels[primary.pk] == (CoverageLevel.PRIMARY, 100)
    assert levels[secondary.pk] == (CoverageLevel.SECONDARY, 50)
    uncovered = (ended, left, youth_officer, vacant)
    assert {levels[school.pk] for school in uncovered} == {(CoverageLevel.NONE, 0)}


def test_run_records_the_model_version_and_every_parameter(standard_model):
    SchoolFactory()
    scoring_model_record_change(scoring_model=standard_model)
    run = recompute_priorities(as_of=AS_OF)
    assert (run.scoring_model, run.scoring_model_version) == (standard_model, 2)
    assert run.parameters["weights"]["crime"] == str(standard_model.crime_weight)
    assert run.parameters["crime_type_weights"]["Robbery"] == "3.00"
    assert run.parameters["crime_radius_m"] == 1000 and run.parameters["as_of"] == "2026-11-20"


def test_no_active_model_is_a_clear_error():
    ScoringModel.objects.update(is_active=False)
    with pytest.raises(NoScoringModel, match="No active scoring model"):
        recompute_priorities()
    with pytest.raises(CommandError, match="No active scoring model"):
        call_command("recompute_priorities")


def test_command_writes_a_run(standard_model, capsys):
    SchoolFactory.create_batch(2)
    call_command("recompute_priorities", "--as-of", "2026-11-20")
    assert PriorityRun.objects.get().school_count == 2
    assert "scored 2 schools" in capsys.readouterr().out


def test_celery_task_writes_a_run_and_returns_its_id(standard_model):
    SchoolFactory()
    run_id = recompute_task.delay().get()
    assert PriorityRun.objects.get().pk == run_id


def test_latest_scores_are_the_latest_runs_in_one_query(standard_model, django_assert_num_queries):
    schools = SchoolFactory.create_batch(3)
    recompute_priorities(as_of=AS_OF)
    latest = recompute_priorities(as_of=AS_OF)
    with django_assert_num_queries(1):
        scores = list(latest_scores())
        names = {score.school.name for score in scores}
    assert {score.run_id for score in scores} == {latest.pk}
    assert names == {school.name for school in schools}
    assert list(latest_scores(School.objects.filter(pk=schools[0].pk))) == [latest.scores.get(school=schools[0])]


def _wgs84(easting: float, northing: float) -> dict[str, float]:
    """The published (WGS84) form of a National Grid point: aggregates keep points as police.uk gives them."""
    (latitude,), (longitude,) = to_latitude_longitude([easting], [northing])
    return {"longitude": longitude, "latitude": latitude}


def _scores_built_as_model_instances(model: ScoringModel, as_of: datetime.date) -> dict[int, tuple]:
    """The scores as the recompute built them before it wrote plain rows: one PriorityScore instance
    per school, ranked through the instances (kept here as the reference the rows must equal)."""
    from priorities import scoring, selectors
    from priorities.services import _add_months, _as_points

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
    scores, ranked = [], []
    for position, (school_id, urn, bcu_id, _, _, _, pupils, fsm_pct) in enumerate(schools):
        exposure, lsoa_count = exposures[position]
        mean_adjustment = scoring.mean_advice(advice.get(school_id, []))
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
    return {item.key.school_id: _figures(item.key, rank=item.rank, band=item.band) for item in ranked}


def _figures(score: PriorityScore, *, rank: int, band: str) -> tuple:
    return (
        score.bcu_id, score.total, rank, band, score.crime, score.fsm, score.pupils, score.advice, score.coverage,
        score.crime_input, score.crime_lsoa_count, score.crime_percentile, score.fsm_input, score.pupils_input,
        score.pupils_percentile, score.advice_input, score.coverage_input,
    )  # fmt: skip


def test_scores_ranks_and_bands_equal_those_built_from_model_instances(standard_model):
    north, south = BCUFactory(), BCUFactory()
    schools = [
        SchoolFactory(
            bcu=north if number % 3 else south,
            fsm_percentage=Decimal(number % 7 * 6),
            pupil_count=200 + number % 5 * 150,
            easting=530000 + number * 300,
            northing=180000 + number % 4 * 400,
        )
        for number in range(24)
    ]
    for number, school in enumerate(schools[::2]):
        CrimeAggregateFactory(
            lsoa_code=school.lsoa_code, month=SEPTEMBER, count=number % 4 * 7 + 1, **_wgs84(school.easting, 180200)
        )
    PartnerAdviceFactory(school=schools[1], adjustment=2, advised_on=AS_OF)
    PartnerAdviceFactory(school=schools[5], adjustment=-1, advised_on=AS_OF)
    PostingFactory(school=schools[2], start_date=AS_OF)
    PostingFactory(school=schools[7], start_date=AS_OF, role=PostingRole.SECONDARY)

    run = recompute_priorities(as_of=AS_OF)
    written = {score.school_id: _figures(score, rank=score.rank_in_bcu, band=score.band) for score in run.scores.all()}
    assert written == _scores_built_as_model_instances(standard_model, AS_OF)


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL scoring is PostgreSQL's")


def _figures_of(run: PriorityRun) -> dict[int, tuple]:
    return {score.school_id: _figures(score, rank=score.rank_in_bcu, band=score.band) for score in run.scores.all()}


@postgresql_only
@pytest.mark.parametrize("radius", [1000, 0])
def test_scoring_in_sql_equals_scoring_in_python(radius):
    model = ScoringModelFactory(
        crime_radius_m=radius,
        coverage_weight=Decimal("-0.25"),
        # Weights that are not binary fractions: sums in float would depend on their order.
        crime_weights={
            CrimeType.ROBBERY: Decimal("2.5"),
            CrimeType.DRUGS: Decimal("0.1"),
            CrimeType.BURGLARY: Decimal("0.2"),
        },
    )
    north, south = BCUFactory(), BCUFactory()
    schools = [
        SchoolFactory(
            urn=str(10 ** (3 + number % 3) + number),  # URNs of 4 to 6 digits: ties break on length first
            bcu=[north, south, None][number % 3],
            fsm_percentage=None if number % 11 == 0 else Decimal(number % 6 * 7) + Decimal("0.5"),
            pupil_count=None if number % 13 == 0 else 150 + number % 4 * 100,
            easting=None if number % 17 == 0 else 530000 + number * 250,
            northing=None if number % 17 == 0 else 180000 + number % 5 * 350,
        )
        for number in range(40)
    ]
    # Equal totals in one BCU: ranked by URN length, then URN ("9990" first, "100000" last).
    for urn in ["100000", "10000", "9990"]:
        SchoolFactory(urn=urn, bcu=north, fsm_percentage=Decimal(5), pupil_count=300, easting=None, northing=None)
    for number, school in enumerate(schools[::3]):
        point = {} if number % 4 == 0 else _wgs84(530000 + number * 700, 180400)  # an LSOA with no point
        for crime_type in (CrimeType.ROBBERY, CrimeType.DRUGS, CrimeType.BURGLARY):
            CrimeAggregateFactory(
                lsoa_code=school.lsoa_code, month=SEPTEMBER, crime_type=crime_type, count=number % 5 + 1, **point
            )
    CrimeAggregateFactory(lsoa_code="E01999999", month=SEPTEMBER, count=9, **_wgs84(531000, 180500))  # no school's
    PartnerAdviceFactory(school=schools[1], organisation="police", adjustment=2, advised_on=AS_OF)
    PartnerAdviceFactory(school=schools[1], organisation="local_authority", adjustment=-1, advised_on=AS_OF)
    PartnerAdviceFactory(school=schools[4], adjustment=-2, advised_on=AS_OF)
    PostingFactory(school=schools[2], start_date=AS_OF)
    PostingFactory(school=schools[5], start_date=AS_OF, role=PostingRole.SECONDARY)
    PostingFactory(school=schools[5], start_date=AS_OF)

    in_sql = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF, in_sql=True)
    in_python = recompute_priorities(scoring_model_id=model.pk, as_of=AS_OF, in_sql=False)
    assert in_sql.school_count == in_python.school_count == 43
    assert _figures_of(in_sql) == _figures_of(in_python)


@postgresql_only
def test_crime_points_placed_on_the_grid_in_sql_agree_with_pyproj():
    # Across England and Wales, and out at sea where pyproj takes another operation.
    longitudes = [-5.7 + step * 0.37 for step in range(21)] + [1.95, -8.9, 2.0]
    latitudes = [50.0 + step * 0.27 for step in range(21)] + [55.07, 57.0, 51.0]
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH geodetic AS (SELECT number AS lsoa_code, 0 AS weighted, longitude, latitude "
            "FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS point (longitude, latitude, number)), "
            f"{TO_GRID_CTES} SELECT easting, northing FROM lsoa_point ORDER BY lsoa_code",
            [longitudes, latitudes],
        )
        in_sql = cursor.fetchall()
    eastings, northings = to_easting_northing(longitudes, latitudes)
    distances = [
        math.dist(point, expected)
        for point, expected in zip(in_sql, zip(eastings, northings, strict=True), strict=True)
    ]
    assert len(distances) == len(longitudes) and max(distances) < 0.01
