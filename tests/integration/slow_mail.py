"""File-based e-mail backends whose first send stalls, so a test can kill the worker, or drop its
database connection, at a chosen point of a send.

The first call anywhere (across processes) creates the marker file named by ``SLOW_MAIL_MARKER``
and then sleeps (``SLOW_MAIL_SECONDS``, 120 by default); later calls send straight away.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


def _first_call() -> bool:
    marker = Path(os.environ["SLOW_MAIL_MARKER"])
    if marker.exists():
        return False
    marker.touch()
    return True


def _stall() -> None:
    time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "120")))


class StallFirstSendBackend(EmailBackend):
    """Stalls before the message is written: killed here, the mail server never had it."""

    def send_messages(self, email_messages):
        if _first_call():
            _stall()
        return super().send_messages(email_messages)


class StallAfterFirstSendBackend(EmailBackend):
    """Writes the message, then stalls: killed here, the mail server accepted it but "sent" was
    never recorded."""

    def send_messages(self, email_messages):
        first = _first_call()
        sent = super().send_messages(email_messages)
        if first:
            _stall()
        return sent
