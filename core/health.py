"""``/health/`` for container health checks and load balancers: each check of
``settings.HEALTH_CHECKS`` (django-health-check) runs, and the answer is ``ok`` (200) or
``unavailable`` (503), nothing more. It is public, so it names no check, count, path, version or
error; failures are logged, and ``manage.py health_check health --no-http`` prints them."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime

from django.conf import settings
from django.http import HttpResponse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu import Connection


@dataclasses.dataclass
class CeleryBroker(HealthCheck):
    """The Celery broker accepts a connection. Without one (the embedded default, tasks running
    eagerly in the web process) there is nothing to check."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self) -> None:
        url = settings.CELERY_BROKER_URL
        if url.startswith("memory://"):
            return
        try:
            with Connection(url, connect_timeout=self.timeout.total_seconds()) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=self.timeout.total_seconds())
        except Exception as error:
            raise ServiceUnavailable("The broker does not answer.") from error


class HealthView(HealthCheckView):
    @property
    def checks(self) -> list[str]:
        return settings.HEALTH_CHECKS

    async def get(self, request, *args, **kwargs) -> HttpResponse:
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        healthy = not any(result.error for result in results)
        return HttpResponse(
            "ok\n" if healthy else "unavailable\n",
            status=200 if healthy else 503,
            content_type="text/plain; charset=utf-8",
        )
