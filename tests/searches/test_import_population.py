import pytest
from django.core.management import CommandError, call_command

from searches.models import PupilPopulation
from tests.factories.schools import LocalAuthorityFactory
from tests.factories.searches import PupilPopulationFactory

pytestmark = pytest.mark.django_db

HEADER = "la_gss_code,year,ethnicity,pupil_count\n"


@pytest.fixture
def borough():
    return LocalAuthorityFactory(gss_code="E09000901")


def _import(tmp_path, text: str) -> None:
    path = tmp_path / "census.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_pupil_population", str(path))


def test_import_creates_and_replaces_counts(tmp_path, borough, capsys):
    PupilPopulationFactory(local_authority=borough, year=2026, ethnicity="W1", pupil_count=1)
    _import(tmp_path, HEADER + "E09000901,2026,W1,3000\nE09000901,2026,b2,450\n")
    counts = dict(PupilPopulation.objects.values_list("ethnicity", "pupil_count"))
    assert counts == {"W1": 3000, "B2": 450}
    assert "1 created, 1 updated" in capsys.readouterr().out


def test_columns_are_found_by_header_name(tmp_path, borough):
    _import(tmp_path, "pupil_count,ethnicity,year,la_gss_code\n12,A1,2026,E09000901\n")
    assert PupilPopulation.objects.get().pupil_count == 12


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("E09999999,2026,W1,10", "line 3: unknown local authority"),
        ("E09000901,2026,X7,10", "line 3: ethnicity"),
        ("E09000901,2026,W2,-5", "line 3: pupil_count"),
        ("E09000901,twenty,W2,5", "line 3: year"),
        ("E09000901,2026,W1,5", "line 3: E09000901 2026 W1 appears twice"),
    ],
)
def test_a_bad_row_names_file_and_line_and_loads_nothing(tmp_path, borough, row, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        _import(tmp_path, HEADER + "E09000901,2026,W1,3000\n" + row + "\n")
    assert "census.csv" in str(excinfo.value)
    assert not PupilPopulation.objects.exists()


def test_a_missing_column_is_named(tmp_path, borough):
    with pytest.raises(CommandError, match="line 1: missing column"):
        _import(tmp_path, "la_gss_code,year,ethnicity\nE09000901,2026,W1\n")


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_pupil_population", str(tmp_path / "absent.csv"))


def test_a_database_failure_is_one_line_naming_the_file(tmp_path, borough, monkeypatch):
    from django.core.management.base import CommandError
    from django.db import OperationalError

    def database_gone(**kwargs):
        raise OperationalError("could not connect to server: Connection refused\n\tIs the server running?")

    monkeypatch.setattr("searches.management.commands.import_pupil_population.import_pupil_population", database_gone)
    path = tmp_path / "census.csv"
    path.write_text(HEADER + "E09000901,2026,W1,3000\n", encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("import_pupil_population", str(path))
    assert str(failure.value) == (
        f"{path}: the database failed (OperationalError: could not connect to server: Connection refused); "
        "nothing was imported from this file. Run the same command again once the database is back."
    )
