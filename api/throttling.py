from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ApiClientRateThrottle(SimpleRateThrottle):
    """Requests per council client (all its tokens together), counted in the default cache."""

    scope = "api_client"

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.client_id}
