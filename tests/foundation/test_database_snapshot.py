"""The migrated test database kept between runs (tests/database_snapshot.py)."""

import sqlite3

import pytest
from django.contrib.auth.models import Group

from core.groups import BCU_MANAGER_GROUP
from tests.database_snapshot import migrations_digest, restore_snapshot, save_snapshot, snapshot_path


def _app_with_migration(tmp_path, text: str):
    (tmp_path / "migrations").mkdir(exist_ok=True)
    (tmp_path / "migrations" / "0001_initial.py").write_text(text)
    return {"records": tmp_path}


def test_an_edited_migration_gives_another_snapshot_name(tmp_path):
    before = migrations_digest(_app_with_migration(tmp_path, "operations = []\n"))

    after = migrations_digest(_app_with_migration(tmp_path, "operations = ['AddField']\n"))

    assert before != after


def test_a_new_migration_gives_another_snapshot_name(tmp_path):
    folders = _app_with_migration(tmp_path, "operations = []\n")
    before = migrations_digest(folders)
    (tmp_path / "migrations" / "0002_more.py").write_text("operations = []\n")

    assert migrations_digest(folders) != before


def test_the_same_migrations_give_the_same_name(tmp_path):
    folders = _app_with_migration(tmp_path, "operations = []\n")

    assert migrations_digest(folders) == migrations_digest(folders)


def test_a_saved_database_is_restored_with_its_rows(tmp_path):
    original = sqlite3.connect(":memory:")
    original.execute("CREATE TABLE groups (name text)")
    original.execute("INSERT INTO groups VALUES ('BCU managers')")
    original.commit()
    save_snapshot(original, tmp_path / "sqlite-new.sqlite3")
    copy = sqlite3.connect(":memory:")

    restore_snapshot(tmp_path / "sqlite-new.sqlite3", copy)

    assert copy.execute("SELECT name FROM groups").fetchall() == [("BCU managers",)]


def test_saving_deletes_the_snapshots_of_other_migrations(tmp_path):
    (tmp_path / "sqlite-old.sqlite3").write_bytes(b"")

    save_snapshot(sqlite3.connect(":memory:"), tmp_path / "sqlite-new.sqlite3")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["sqlite-new.sqlite3"]


def test_the_snapshot_is_named_by_the_projects_migrations(tmp_path):
    assert snapshot_path(tmp_path) == tmp_path / f"sqlite-{migrations_digest()}.sqlite3"


@pytest.mark.django_db
def test_the_test_database_holds_the_rows_the_data_migrations_write():
    # Copied from the snapshot or migrated anew, the database starts as the migrations leave it.
    assert Group.objects.filter(name=BCU_MANAGER_GROUP).exists()
