"""The Celery worker and beat log through Django's LOGGING, not a set-up of their own."""

from unittest import mock

from django.conf import settings

from ssoportal.celery import app


def test_celerys_logging_set_up_applies_djangos_logging(monkeypatch):
    # What `celery worker` and `celery beat` run at start-up; its traces are undone afterwards.
    monkeypatch.setattr(type(app.log), "_setup", False)
    for name in ("_MP_FORK_LOGLEVEL_", "_MP_FORK_LOGFILE_", "_MP_FORK_LOGFORMAT_"):
        monkeypatch.setenv(name, "")
    with (
        mock.patch("logging.config.dictConfig") as dict_config,
        mock.patch.object(app.log, "_configure_logger") as celerys_own,
    ):
        app.log.setup_logging_subsystem(loglevel="INFO")
    dict_config.assert_called_once_with(settings.LOGGING)
    celerys_own.assert_not_called()


def test_logging_sends_every_logger_to_standard_error():
    assert settings.LOGGING["disable_existing_loggers"] is False
    assert settings.LOGGING["root"]["handlers"] == ["console"]
    assert settings.LOGGING["handlers"]["console"]["class"] == "logging.StreamHandler"
