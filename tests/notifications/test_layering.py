"""notifications sits below the domain apps: it imports none of them (they call it with ids and text)."""

import ast
from pathlib import Path

import notifications

DOMAIN_APPS = {"schools", "officers", "safeguarding", "searches", "priorities", "reminders", "api"}


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_notifications_imports_no_domain_app():
    package = Path(notifications.__file__).parent
    offending = {
        f"{path.relative_to(package)}: {module}"
        for path in package.rglob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in DOMAIN_APPS
    }
    assert not offending


def test_notifications_migrations_depend_on_no_domain_app():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    dependencies = {
        app
        for (app_label, _), migration in loader.disk_migrations.items()
        if app_label == "notifications"
        for app, _ in migration.dependencies
    }
    assert not dependencies & DOMAIN_APPS
