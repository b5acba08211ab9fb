from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """A DSL's work about a pupil with other schools and agencies: the transfer of the child
    protection file to a new school, police attendances on site, and professional challenges.

    It sits above ``safeguarding`` (it reads the pupil's record) and below ``retention`` and
    ``reminders``; it adds to the pupil chronology and to the reminder kinds through their registries.
    """

    name = "casework"
    verbose_name = "Casework: transfers, police attendance and challenge"

    def ready(self) -> None:
        from casework import chronology, reminders  # noqa: F401 (registers chronology sources and reminder kinds)
