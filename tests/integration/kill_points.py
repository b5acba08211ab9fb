"""Kill points for the integration tests, loaded by their workers (``--include``).

With ``KILL_POINT=before`` the first send task anywhere stalls as it starts (before it reads or
marks its delivery); with ``KILL_POINT=after`` it stalls once it has finished (its delivery sent
and committed), before the broker is told the task is done. The stall creates the marker file
named by ``SLOW_MAIL_MARKER`` first, so the test knows when to kill the worker; later tasks run
straight through. Without ``KILL_POINT`` nothing happens.
"""

import os
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun

SEND_TASK = "notifications.tasks.send_delivery"


def _stall_once(point: str, task) -> None:
    if os.environ.get("KILL_POINT") != point or task.name != SEND_TASK:
        return
    marker = Path(os.environ["SLOW_MAIL_MARKER"])
    if not marker.exists():
        marker.touch()
        time.sleep(120)


@task_prerun.connect
def stall_before(task=None, **kwargs) -> None:
    _stall_once("before", task)


@task_postrun.connect
def stall_after(task=None, **kwargs) -> None:
    _stall_once("after", task)
