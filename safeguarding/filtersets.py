import django_filters
from django import forms

from core.forms import GovukDateField, GovukFormMixin
from safeguarding.models import Category, Concern, ConcernStatus, Severity
from schools.models import School


class ConcernFilterForm(GovukFormMixin, forms.Form):
    """The filter form, in GOV.UK Frontend markup like every other portal form."""


class GovukDateFilter(django_filters.DateFilter):
    """A date filter typed into GOV.UK's day, month and year boxes."""

    field_class = GovukDateField


class ConcernFilterSet(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=School.objects.none(), empty_label="All schools")
    status = django_filters.ChoiceFilter(choices=ConcernStatus.choices, empty_label="Any status")
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, empty_label="Any severity")
    shared_with_police = django_filters.ChoiceFilter(
        label="Shared with police",
        choices=[("true", "Shared"), ("false", "Not shared")],
        empty_label="Either",
        method="filter_shared",
    )
    pupil_reference = django_filters.CharFilter(label="Pupil reference", lookup_expr="iexact")
    logged_from = GovukDateFilter(field_name="created_at", lookup_expr="date__gte", label="Logged from")
    logged_to = GovukDateFilter(field_name="created_at", lookup_expr="date__lte", label="Logged to")

    class Meta:
        model = Concern
        fields = ["school", "status", "category", "severity", "shared_with_police", "pupil_reference"]
        form = ConcernFilterForm

    def __init__(self, *args, schools, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools

    def filter_shared(self, queryset, name, value):
        return queryset.filter(shared_with_police=(value == "true"))
