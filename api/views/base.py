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
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as RequestInvalid
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from schools.models import Phase

from ..authentication import BearerTokenAuthentication
from ..errors import council_exception_handler
from ..models import ApiClient, ApiToken
from ..pagination import DeferredJoinPageNumberPagination, StableOrderingFilter, StablePageNumberPagination
from ..parameters import code_filter
from ..permissions import HasApiScope
from ..throttling import ApiClientRateThrottle


class CouncilApiMixin:
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [HasApiScope]
    throttle_classes = [ApiClientRateThrottle]
    required_scope: str
    # Query parameters read by the view itself, besides its filters, ordering and paging.
    extra_query_parameters: tuple[str, ...] = ()

    @property
    def client(self) -> ApiClient:
        return self.request.auth.client

    @property
    def is_schema_generation(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def get_exception_handler(self):
        return council_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # After authentication, permission and throttling (401, 403 and 429 come first): a
        # parameter the endpoint does not know is a 400, never silently ignored.
        unknown = sorted(set(request.query_params) - self.known_query_parameters())
        if unknown:
            raise RequestInvalid({name: ["This endpoint has no such query parameter."] for name in unknown})
        empty = sorted(name for name, values in request.query_params.lists() if "" in values)
        if empty:
            raise RequestInvalid({name: ["Give a value, or leave the parameter out."] for name in empty})

    def known_query_parameters(self) -> set[str]:
        known = set(self.extra_query_parameters)
        if getattr(self, "action", None) != "list":  # a detail or a single resource: no list parameters
            return known
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        if StableOrderingFilter in getattr(self, "filter_backends", ()):
            known.add(StableOrderingFilter.ordering_param)
        pagination_class = getattr(self, "pagination_class", None)
        if pagination_class is not None:
            known |= {pagination_class.page_query_param, pagination_class.page_size_query_param}
        return known

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


class NamedFiltersBackend(filters.DjangoFilterBackend):
    """django-filter's backend, left out when the request names none of the view's filters: a
    filter set given no values filters nothing, and building one copies its filters and its form
    afresh (about 0.4 ms of CPU for the schools list's, on every page of a sync)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not filterset_class.base_filters.keys() & request.query_params.keys():
            return queryset
        return super().filter_queryset(request, queryset, view)


class CouncilReadOnlyViewSet(CouncilApiMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = DeferredJoinPageNumberPagination
    filter_backends = [NamedFiltersBackend, StableOrderingFilter]


class CouncilComputedListViewSet(CouncilApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A list whose rows a selector computes for one page of ids at a time (a fixed number of
    queries per page): the queryset only filters, orders and paginates."""

    pagination_class = StablePageNumberPagination
    filter_backends = [NamedFiltersBackend, StableOrderingFilter]

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

    local_authority = code_filter("gss_code", field_name="school__local_authority__gss_code", help_text="LA GSS code.")
    ward = code_filter("gss_code", field_name="school__ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(field_name="school__phase", choices=Phase.choices)
    school = code_filter("urn", field_name="school__urn", help_text="School URN.")


class HasApiToken(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken)


class UnknownPathView(CouncilApiView):
    """Any other path under /api/v1/: a 404 in the error body (a 401 first without a token), not
    the portal's HTML page."""

    permission_classes = [HasApiToken]
    schema = None  # not an operation of the contract

    def get(self, request, *args, **kwargs):
        raise NotFound
