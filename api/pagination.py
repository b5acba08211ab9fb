from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


def _whole_number(raw: str, *, name: str, minimum: int, maximum: int | None = None) -> int:
    """``raw`` as a whole number within bounds, or a 400 naming the parameter."""
    bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= (maximum or int(raw)):
        raise ValidationError({name: [f"Enter a whole number {bounds}."]})
    return int(raw)


class StablePageNumberPagination(PageNumberPagination):
    """Page numbers from 1, ``page_size`` from 1 to 500 (100 by default): anything else is a 400
    (a page past the last is a 404). Besides ``next`` and ``previous`` (URLs), ``next_page`` gives
    the next page's number, and the ``Link`` header the same URLs with ``rel="next"``/``"prev"``."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return _whole_number(raw, name=self.page_size_query_param, minimum=1, maximum=self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            _whole_number(raw, name=self.page_query_param, minimum=1)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        next_url, previous_url = self.get_next_link(), self.get_previous_link()
        links = [f'<{url}>; rel="{rel}"' for url, rel in ((next_url, "next"), (previous_url, "prev")) if url]
        return Response(
            {
                "count": self.page.paginator.count,
                "next": next_url,
                "previous": previous_url,
                "next_page": self.page.next_page_number() if self.page.has_next() else None,
                "results": data,
            },
            headers={"Link": ", ".join(links)} if links else None,
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "next_page", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": "Rows matching, on every page."},
                "next": {**link, "description": "The next page's URL, or null on the last page."},
                "previous": {**link, "description": "The previous page's URL, or null on the first page."},
                "next_page": {
                    "type": "integer",
                    "minimum": 2,
                    "nullable": True,
                    "description": "The next page's number (pass it as `page`), or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1 (a page past the last answers 404).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} ({self.page_size} if not given).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class DeferredJoinPaginator(Paginator):
    """Finds a page's primary keys first (the offset walks an index, not joined rows), then
    loads just those rows with their joins and prefetches: deep pages of a national list stay cheap."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        # A row deleted between the two queries is left out rather than failing the page.
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class DeferredJoinPageNumberPagination(StablePageNumberPagination):
    django_paginator_class = DeferredJoinPaginator


class StableOrderingFilter(OrderingFilter):
    """One ordering term from the view's ``ordering_fields`` (``-`` for descending), a 400
    otherwise; the ordering always ends with the primary key, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            allowed = self.allowed_terms(view)
            if raw not in allowed:
                raise ValidationError({self.ordering_param: [f"Choose one of: {', '.join(allowed)}."]})
            ordering = [raw]
        else:
            ordering = list(self.get_default_ordering(view) or [])
        if not ordering or not self._is_unique(queryset.model, ordering[-1].lstrip("-")):
            ordering.append("pk")
        return ordering

    @staticmethod
    def allowed_terms(view) -> list[str]:
        return [term for field in view.ordering_fields for term in (field, f"-{field}")]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by one field, descending with a leading `-` (ties in the order of the "
                "records' identity). Without it, the endpoint's default order.",
                "schema": {"type": "string", "enum": self.allowed_terms(view)},
            }
        ]

    @staticmethod
    def _is_unique(model, name: str) -> bool:
        # A unique last field (pk, URN) already orders totally, and keeps its index usable.
        if name in ("pk", "id"):
            return True
        try:
            return model._meta.get_field(name).unique
        except FieldDoesNotExist:
            return False
