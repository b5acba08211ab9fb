"""A file-based e-mail backend whose first send stalls, so a test can kill the worker mid-task.

The first call anywhere (across processes) creates the marker file named by
``SLOW_MAIL_MARKER`` and then sleeps; later calls send straight away.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class StallFirstSendBackend(EmailBackend):
    def send_messages(self, email_messages):
        marker = Path(os.environ["SLOW_MAIL_MARKER"])
        if not marker.exists():
            marker.touch()
            time.sleep(120)
        return super().send_messages(email_messages)
