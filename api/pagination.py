from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination


class StablePageNumberPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


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
    """Ordering that always ends with the primary key, so pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not ordering or not self._is_unique(queryset.model, ordering[-1].lstrip("-")):
            ordering.append("pk")
        return ordering

    @staticmethod
    def _is_unique(model, name: str) -> bool:
        # A unique last field (pk, URN) already orders totally, and keeps its index usable.
        if name in ("pk", "id"):
            return True
        try:
            return model._meta.get_field(name).unique
        except FieldDoesNotExist:
            return False
