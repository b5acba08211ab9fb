"""What every process pays at start-up: each management command and Celery worker runs
``django.setup()``, so libraries only some code paths use are imported on first use."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported where they are used: the API schema's generator (the API's URLconf), the bank-holiday
# calendar (school-day reminders) and the grid conversion (the priority imports and scoring).
IMPORTED_ON_FIRST_USE = ("drf_spectacular.extensions", "holidays", "pyproj")


def _modules_after_setup(names: tuple[str, ...], then: str = "") -> list[str]:
    """Which of ``names`` a fresh process has imported after ``django.setup()`` and then ``then``."""
    code = (
        "import django, json, sys\ndjango.setup()\n" + then + "\n"
        f"print(json.dumps([name for name in {names!r} if name in sys.modules]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ssoportal.settings", "DJANGO_DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_django_setup_imports_none_of_the_libraries_used_on_first_use():
    assert _modules_after_setup(IMPORTED_ON_FIRST_USE) == []


def test_the_api_urlconf_registers_the_schema_extensions():
    assert _modules_after_setup(IMPORTED_ON_FIRST_USE, "import api.urls") == ["drf_spectacular.extensions"]


ADMIN_MODULES = ("officers.admin", "priorities.admin", "safeguarding.admin", "schools.admin", "searches.admin")


def test_django_setup_leaves_the_admin_modules_to_the_urlconf():
    assert _modules_after_setup(ADMIN_MODULES) == []


def test_loading_the_urls_registers_every_apps_admin():
    assert _modules_after_setup(
        ADMIN_MODULES, "from django.urls import get_resolver\nget_resolver().url_patterns"
    ) == list(ADMIN_MODULES)


def test_the_admin_system_checks_discover_the_admin_first():
    assert _modules_after_setup(
        ADMIN_MODULES, "from core.admin_apps import check_discovered_admin\ncheck_discovered_admin()"
    ) == (list(ADMIN_MODULES))
