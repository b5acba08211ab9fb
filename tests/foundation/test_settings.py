"""Configuration switches between the embedded default and the real services."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "CELERY_TASK_ALWAYS_EAGER",
)
SECRET_KEY = "a-long-random-production-secret-key-for-the-deploy-check-0123456789"
# What production must set: nothing turns DEBUG off, it is off unless DJANGO_DEBUG=true.
PRODUCTION_ENV = {"DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_ALLOWED_HOSTS": "ssoportal.example.org"}


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean["DJANGO_SETTINGS_MODULE"] = "ssoportal.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def _settings(**env: str) -> dict:
    code = (
        # The settings module alone, without django.setup() importing every app: a second, not three.
        "import importlib, json; s = importlib.import_module('ssoportal.settings'); "
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
        " 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG,"
        " 'secret_key': s.SECRET_KEY, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        " 'secure_cookies': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]}))"
    )
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_database_or_broker_means_sqlite_and_eager_celery():
    config = _settings(DJANGO_SECRET_KEY=SECRET_KEY)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"].endswith("db.sqlite3")
    assert config["eager"] is True


def test_debug_is_off_and_the_hardening_on_unless_the_environment_turns_debug_on():
    config = _settings(DJANGO_SECRET_KEY=SECRET_KEY)
    assert config["debug"] is False
    assert config["ssl_redirect"] is True
    assert config["hsts"] == 31536000
    assert config["secure_cookies"] == [True, True]


def test_debugging_on_has_a_development_key_and_no_hardening():
    config = _settings(DJANGO_DEBUG="true")
    assert config["debug"] is True
    assert config["secret_key"].startswith("django-insecure-")
    assert config["ssl_redirect"] is False


def test_database_and_broker_urls_switch_to_postgresql_and_redis():
    config = _settings(
        DJANGO_SECRET_KEY=SECRET_KEY,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/ssoportal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "ssoportal"
    assert config["eager"] is False
    assert config["broker"] == "redis://127.0.0.1:6379/0"


def test_without_a_secret_key_the_settings_refuse_to_load_and_say_why():
    result = _run("import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_refused():
    result = _run("import django; django.setup()", DJANGO_SECRET_KEY="")
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


def _manage(*arguments: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS and k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_the_migrations_check_runs_with_no_environment_at_all():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "No changes detected" in result.stdout


def test_other_commands_still_refuse_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_web_service_refuses_to_start_without_a_secret_key():
    # What gunicorn loads (docker-compose.yml, Dockerfile).
    result = _run("import ssoportal.wsgi", DJANGO_ALLOWED_HOSTS="ssoportal.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_tests_run_with_debugging_settings_whatever_the_shell_says():
    # pytest-env (pyproject.toml) sets DJANGO_DEBUG=true before Django loads; the test runner
    # then turns DEBUG itself off, as it always does.
    assert os.environ["DJANGO_DEBUG"] == "true"
    assert settings.SECURE_SSL_REDIRECT is False


def test_suite_runs_on_the_database_the_environment_names():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="no Redis broker configured"
)
def test_configured_redis_broker_answers():
    from ssoportal.celery import app

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected


def test_every_beat_entry_names_a_registered_task():
    from ssoportal.celery import app
    from ssoportal.schedule import BEAT_SCHEDULE

    app.loader.import_default_modules()
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= set(app.tasks)


@pytest.mark.parametrize(("max_age", "checked"), [("0", False), ("60", True)], ids=["closed-each-time", "kept-60s"])
def test_connections_kept_open_are_health_checked_before_use(max_age, checked):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = _run(code, DJANGO_DEBUG="true", DATABASE_CONN_MAX_AGE=max_age)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(checked)
