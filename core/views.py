"""The server error page, chosen by what went wrong (``handler500`` in ``ssoportal/urls.py``).

Django has logged the error (``django.request``, once, with its traceback) before it calls this, so
nothing here logs it again. Neither page reads the database: no user, session or messages.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

# Seconds a browser or client is told to wait before trying again when the database is down.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """503 with "nothing was saved, try again" when the database could not be reached (a
    restart, a failover, too many connections); otherwise the static 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
