from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Council API"

    def ready(self) -> None:
        # The schema's extensions (api.schema) are registered by the API's URLconf instead: importing
        # drf-spectacular here cost every process (each management command, each Celery worker)
        # about 0.15 s of start-up, for a schema that only the URLconf's views generate.
        from .hooks import connect_change_recording

        connect_change_recording()
