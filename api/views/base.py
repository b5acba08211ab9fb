"""What every council endpoint shares: bearer auth, scope check, per-client throttle,
stable pagination and ordering, and ETags for conditional GET."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework import mixins, viewsets
from rest_framework.views import APIView

from schools.models import Phase

from ..authentication import BearerTokenAuthentication
from ..models import ApiClient
from ..pagination import DeferredJoinPageNumberPagination, StableOrderingFilter, StablePageNumberPagination
from ..permissions import HasApiScope
from ..throttling import ApiClientRateThrottle


class CouncilApiMixin:
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiScope]
    throttle_classes = [ApiClientRateThrottle]
    required_scope: str

    @property
    def client(self) -> ApiClient:
        return self.request.auth.client

    @property
    def is_schema_generation(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Responses differ per client (their granted LAs) and name officers and DSLs: no cache may
        # keep them. ETags still work between the client and the portal (If-None-Match gives 304).
        patch_vary_headers(response, ["Authorization"])
        patch_cache_control(response, private=True, no_store=True)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        # A strong ETag over the rendered body: always right, whatever nested data changed.
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)


class CouncilReadOnlyViewSet(CouncilApiMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = DeferredJoinPageNumberPagination
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]


class CouncilComputedListViewSet(CouncilApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list whose rows a selector computes for one page of ids at a time (a fixed number of
    queries per page): the queryset only filters, orders and paginates."""

    pagination_class = StablePageNumberPagination
    filter_backends = [filters.DjangoFilterBackend, StableOrderingFilter]

    def rows_for(self, ids: list[int]) -> list:
        raise NotImplementedError

    def row_id(self, row) -> int:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        ids = list(self.paginate_queryset(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)))
        position = {pk: index for index, pk in enumerate(ids)}
        rows = sorted(self.rows_for(ids), key=lambda row: position[self.row_id(row)])
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class CouncilApiView(CouncilApiMixin, APIView):
    """A single-resource endpoint (statistics): no pagination or ordering."""


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 date-time, converted to UTC: PostgreSQL refuses offsets beyond ±15:59."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError as error:
            raise ValidationError("Enter a date and time between the years 1 and 9999.", code="invalid") from error


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Only rows changed at or after this time (ISO 8601)."
    )


class BySchoolFilterSet(UpdatedSinceFilterSet):
    """Filters for rows that belong to a school (postings, DSL contacts)."""

    local_authority = filters.CharFilter(field_name="school__local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="school__ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(field_name="school__phase", choices=Phase.choices)
    school = filters.CharFilter(field_name="school__urn", help_text="School URN.")
