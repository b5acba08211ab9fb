from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class StablePageNumberPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class StableOrderingFilter(OrderingFilter):
    """Ordering that always ends with the primary key, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in ("pk", "id") for field in ordering):
            ordering.append("pk")
        return ordering
