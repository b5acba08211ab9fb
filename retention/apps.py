from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Retention and rights: the retention schedule, the nightly listing of records due for erasure,
    the data protection officer's review, tombstones, and subject access exports.

    It sits on top, beside ``api`` and ``reminders``, because it reads and erases the records of
    several domain apps; none of them imports it.
    """

    name = "retention"
    verbose_name = "Retention and rights"
