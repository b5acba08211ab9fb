"""The migrated SQLite test database, kept between runs instead of migrated again by every run.

Applying the project's migrations to an empty in-memory database costs each test process about
ten seconds. The first run saves the database as it stands right after ``migrate`` (schema and
the data migrations' rows, nothing any test wrote) to ``.cache/test-databases/``; later runs
copy that file into their in-memory database with SQLite's backup API, in milliseconds.

The file's name holds a digest of everything the migrated database depends on: every installed
app's migration files, the pinned requirements, the Python and Django versions. A new or edited
migration, or an upgraded package, gives a new name, so a stale database is never used; older
files are deleted when a new one is saved. ``make test`` after ``rm -rf .cache/test-databases``
migrates from scratch, as does any run on PostgreSQL (which is unchanged).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

SNAPSHOT_FOLDER = Path(__file__).resolve().parent.parent / ".cache" / "test-databases"


def migrations_digest(app_folders: dict[str, Path] | None = None) -> str:
    """A digest of what a freshly migrated database depends on; ``app_folders`` (app label ->
    the app's folder) defaults to every installed app."""
    import django
    from django.apps import apps
    from django.conf import settings

    if app_folders is None:
        app_folders = {app.label: Path(app.path) for app in apps.get_app_configs()}
    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{django.get_version()}|{settings.INSTALLED_APPS}".encode())
    requirements = Path(settings.BASE_DIR) / "requirements.txt"
    if requirements.exists():
        digest.update(requirements.read_bytes())
    for label, app_folder in app_folders.items():
        folder = app_folder / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def snapshot_path(folder: Path = SNAPSHOT_FOLDER) -> Path:
    return folder / f"sqlite-{migrations_digest()}.sqlite3"


def save_snapshot(connection: sqlite3.Connection, path: Path) -> None:
    """Write the database to ``path`` atomically (another test process may be saving the same
    file at the same time) and delete the snapshots of other digests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.backup(target)
    finally:
        target.close()
    os.replace(partial, path)
    for other in path.parent.glob("sqlite-*.sqlite3"):
        if other != path:
            other.unlink(missing_ok=True)


def restore_snapshot(path: Path, connection: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection)
    finally:
        source.close()


def keep_migrated_database(monkeypatch, folder: Path = SNAPSHOT_FOLDER) -> None:
    """Make Django's SQLite test database creation use (and fill) the snapshot: in-memory test
    databases only, never with ``--reuse-db`` (which keeps its own database)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db.backends.sqlite3.creation import DatabaseCreation

    create_and_migrate = DatabaseCreation.create_test_db

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = self._get_test_db_name()
        if keepdb or not self.is_in_memory_db(name):
            return create_and_migrate(self, verbosity, autoclobber, serialize, keepdb)
        snapshot = snapshot_path(folder)
        if not snapshot.exists():
            name = create_and_migrate(self, verbosity, autoclobber, serialize, keepdb)
            save_snapshot(self.connection.connection, snapshot)
            return name
        # What create_test_db does, with the snapshot copied in where it would migrate.
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        restore_snapshot(snapshot, self.connection.connection)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        return name

    monkeypatch.setattr(DatabaseCreation, "create_test_db", create_test_db)
