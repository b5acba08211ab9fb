from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from priorities.importers import ImportFileError
from priorities.models import DataImport
from priorities.services import import_gias_file
from schools.models import LocalAuthority, Phase, School, SchoolStatus, Ward
from tests.factories.officers import BCUFactory
from tests.factories.schools import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gias(data_dir):
    return data_dir / "edubasealldata20260901.csv"


def test_open_state_funded_schools_are_created_with_accented_names_intact(gias):
    summary = import_gias_file(path=gias)
    assert set(School.objects.values_list("urn", flat=True)) == {"100001", "100002", "100005", "100006"}
    assert School.objects.get(urn="100001").name == "École Saint-Étienne C of E Primary School"
    assert School.objects.get(urn="100002").name == "FIERTÉ Academy"
    assert (summary.read, summary.created, summary.updated, summary.skipped) == (6, 4, 0, 2)


def test_location_and_figures_are_read_by_column_name(gias):
    import_gias_file(path=gias)
    school = School.objects.get(urn="100002")
    assert (school.lsoa_code, school.easting, school.northing) == ("E01000002", 529400, 183300)
    assert (school.phase, school.pupil_count, school.fsm_count) == (Phase.SECONDARY, 1100, 341)
    assert school.fsm_percentage == Decimal("31.0")
    assert school.ward.code == "E05013660" and school.ward.name == "Regent’s Park"
    assert school.local_authority.dfe_code == "202"


def test_blank_values_are_stored_as_missing(gias):
    import_gias_file(path=gias)
    nursery = School.objects.get(urn="100005")
    assert nursery.lsoa_code == ""
    assert nursery.easting is None and nursery.northing is None
    assert nursery.pupil_count is None and nursery.fsm_percentage is None
    assert nursery.ward is None


def test_closed_and_independent_schools_are_not_added(gias):
    import_gias_file(path=gias)
    assert not School.objects.filter(urn__in=["100003", "100004"]).exists()


def test_all_option_adds_closed_and_independent_schools_without_their_not_collected_fsm(gias):
    import_gias_file(path=gias, include_all=True)
    assert School.objects.get(urn="100003").status == SchoolStatus.CLOSED
    # GIAS shows 0.0 for independent schools, meaning "not collected".
    assert School.objects.get(urn="100004").fsm_percentage is None


def test_a_known_school_that_closed_is_updated_to_closed(gias):
    la = LocalAuthorityFactory(dfe_code="202")
    SchoolFactory(urn="100003", local_authority=la, status=SchoolStatus.OPEN)
    summary = import_gias_file(path=gias)
    assert School.objects.get(urn="100003").status == SchoolStatus.CLOSED
    assert summary.updated == 1


def test_reimport_changes_nothing(gias):
    import_gias_file(path=gias)
    history_rows = School.history.count()
    summary = import_gias_file(path=gias)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 4)
    assert School.objects.count() == 4
    assert School.history.count() == history_rows


def test_changes_are_kept_in_the_school_history(gias):
    import_gias_file(path=gias)
    School.objects.filter(urn="100001").update(pupil_count=1)
    import_gias_file(path=gias)
    school = School.objects.get(urn="100001")
    assert school.pupil_count == 420
    assert school.history.first().history_change_reason == "GIAS import"


def test_existing_local_authority_is_matched_by_dfe_code(gias):
    camden = LocalAuthorityFactory(gss_code="E09000007", dfe_code="202", name="Camden")
    import_gias_file(path=gias)
    assert LocalAuthority.objects.get() == camden


def test_unknown_local_authority_is_created_with_a_placeholder_gss_code(gias):
    import_gias_file(path=gias)
    authority = LocalAuthority.objects.get()
    assert (authority.gss_code, authority.dfe_code, authority.name) == ("DFE202", "202", "Camden")
    assert Ward.objects.filter(local_authority=authority).count() == 2


def test_new_school_joins_the_bcu_covering_its_local_authority(gias):
    la = LocalAuthorityFactory(dfe_code="202")
    bcu = BCUFactory()
    bcu.local_authorities.add(la)
    import_gias_file(path=gias)
    assert set(School.objects.values_list("bcu", flat=True)) == {bcu.pk}


def test_malformed_line_names_file_and_line_and_writes_nothing(data_dir):
    with pytest.raises(ImportFileError) as error:
        import_gias_file(path=data_dir / "edubase_malformed.csv")
    assert error.value.line == 4
    assert "edubase_malformed.csv, line 4" in str(error.value)
    assert not School.objects.exists()
    assert not DataImport.objects.exists()


def test_command_prints_a_summary(gias, capsys):
    call_command("import_gias", str(gias))
    assert "read 6, created 4, updated 0" in capsys.readouterr().out


def test_command_reports_bad_input_as_a_command_error(data_dir):
    with pytest.raises(CommandError, match=r"edubase_malformed.csv, line 4: expected 31 fields, found 5"):
        call_command("import_gias", str(data_dir / "edubase_malformed.csv"))


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_gias", str(tmp_path / "absent.csv"))


def test_unknown_status_is_bad_input(tmp_path, gias):
    broken = tmp_path / "edubase.csv"
    broken.write_bytes(gias.read_bytes().replace(b'"Open, but proposed to close"', b'"Mothballed"'))
    with pytest.raises(ImportFileError, match="line 7: unknown EstablishmentStatus"):
        import_gias_file(path=broken)


def test_files_larger_than_one_batch_are_written_batch_by_batch(gias, monkeypatch):
    monkeypatch.setattr("priorities.services.BATCH_SIZE", 2)
    summary = import_gias_file(path=gias)
    assert (summary.read, summary.created, summary.skipped) == (6, 4, 2)


def test_a_urn_twice_in_one_file_is_bad_input(tmp_path, gias):
    lines = gias.read_bytes().splitlines(keepends=True)
    doubled = tmp_path / "edubase.csv"
    doubled.write_bytes(b"".join([*lines, lines[1]]))
    with pytest.raises(ImportFileError, match="line 8: URN 100001 appears more than once"):
        import_gias_file(path=doubled)
    assert not School.objects.exists()


@pytest.mark.parametrize(
    ("original", "replacement", "message"),
    [
        (b'"100002"', b'"10000X"', "line 3: URN '10000X' is not a number"),
        (b'"FIERT\xc9 Academy"', b'""', "line 3: EstablishmentName is empty"),
        (b'"Secondary"', b'"Tertiary"', "line 3: unknown PhaseOfEducation 'Tertiary'"),
        (b'"11","18"', b'"18","11"', "line 3: StatutoryLowAge 18 is above StatutoryHighAge 11"),
        (b'"1100"', b'"many"', "line 3: NumberOfPupils 'many' is not a whole number"),
        (b'"31.0"', b'"131.0"', "line 3: PercentageFSM '131.0' is not a percentage between 0 and 100"),
        (b'"FIERT\xc9 Academy"', b'"' + b"A" * 201 + b'"', "line 3: name: Ensure this value has at most 200"),
    ],
)
def test_bad_values_name_the_line_and_write_nothing(tmp_path, gias, original, replacement, message):
    broken = tmp_path / "edubase.csv"
    broken.write_bytes(gias.read_bytes().replace(original, replacement, 1))
    with pytest.raises(ImportFileError, match=message):
        import_gias_file(path=broken)
    assert not School.objects.exists()


def test_school_without_a_local_authority_is_rejected_and_counted(tmp_path, gias):
    orphan = tmp_path / "edubase.csv"
    orphan.write_bytes(gias.read_bytes().replace(b'"100002","202"', b'"100002","000"', 1))
    summary = import_gias_file(path=orphan)
    assert summary.rejected == 1 and summary.notes["rejected: no local authority"] == 1
    assert not School.objects.filter(urn="100002").exists()
