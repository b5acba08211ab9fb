from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path

from core.admin import HistoryAdmin, ScopedChangeAdminMixin
from officers.models import Officer

from . import views
from .models import PupilPopulation, SearchRecord
from .services import record_search, search_rule_errors, update_search


class SearchRecordForm(forms.ModelForm):
    # No Meta: the admin builds it from SearchRecordAdmin's model and fieldsets.

    def _post_clean(self) -> None:
        # The service's rules, shown against their fields on the form before anything is saved.
        super()._post_clean()
        errors = search_rule_errors(self.instance)
        if errors:
            self._update_errors(ValidationError(errors))


class ReferralDueFilter(admin.SimpleListFilter):
    title = "safeguarding referral"
    parameter_name = "referral"

    def lookups(self, request, model_admin):
        return [("due", "Referral due"), ("made", "Referral made")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.referral_due()
        if self.value() == "made":
            return queryset.exclude(referral_reference="")
        return queryset


@admin.register(SearchRecord)
class SearchRecordAdmin(ScopedChangeAdminMixin, HistoryAdmin):
    form = SearchRecordForm
    change_list_template = "admin/searches/searchrecord/change_list.html"
    list_display = [
        "reference",
        "searched_at",
        "search_type",
        "child_age",
        "officer",
        "school",
        "bcu",
        "referral_due",
    ]
    list_filter = [ReferralDueFilter, "search_type", "legal_power", "bcu", "appropriate_adult_present"]
    list_select_related = ["officer", "school", "bcu"]
    search_fields = ["reference", "referral_reference", "officer__collar_number", "school__name", "school__urn"]
    autocomplete_fields = ["officer", "school"]
    date_hierarchy = "searched_at"
    readonly_fields = ["bcu", "recorded_by", "created_at", "updated_at"]
    fieldsets = [
        (
            "Search",
            {
                "fields": [
                    "reference",
                    "officer",
                    "school",
                    "location",
                    "searched_at",
                    "legal_power",
                    "search_type",
                    "reason",
                    "outcome",
                    "items_found",
                ]
            },
        ),
        (
            "Person searched",
            {"fields": ["child_age", "gender", "self_defined_ethnicity", "officer_observed_ethnicity"]},
        ),
        (
            "Authorisation",
            {
                "description": "Required for a search exposing a child's intimate parts: Inspector or above.",
                "fields": ["authorising_officer_name", "authorising_officer_number", "authorising_officer_rank"],
            },
        ),
        (
            "Appropriate adult",
            {
                "description": "Required for a search exposing a child's intimate parts, unless a statutory "
                "exception applied (record it with its reason).",
                "fields": [
                    "appropriate_adult_present",
                    "appropriate_adult_name",
                    "appropriate_adult_role",
                    "statutory_exception",
                    "statutory_exception_reason",
                ],
            },
        ),
        (
            "Afterwards",
            {
                "fields": [
                    "parent_or_carer_informed",
                    "school_dsl_informed",
                    "referral_reference",
                    "trauma_informed_follow_up_offered",
                ]
            },
        ),
        ("Record", {"fields": ["bcu", "recorded_by", "created_at", "updated_at"]}),
    ]

    def scope_of(self, obj: SearchRecord) -> int | None:
        return obj.bcu_id

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A search is recorded against the officer's BCU: only the officers of BCUs the user may change.
        if db_field.name == "officer":
            kwargs["queryset"] = self.limit_to_scope(request, Officer.objects.all(), "bcu")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(boolean=True, description="referral due")
    def referral_due(self, search: SearchRecord) -> bool:
        return search.is_referral_due

    def has_delete_permission(self, request, obj=None) -> bool:
        # Search records are accountability records: corrected (with history), never deleted.
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            # The form has already set the new values on obj; naming them lets the service follow them up.
            update_search(
                search=obj, updated_by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
            )
            return
        created = record_search(recorded_by=request.user, **form.cleaned_data)
        # The admin goes on to log and redirect using ``obj``: make it the saved record.
        obj.__dict__.update(created.__dict__)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(views.report), name="searches_searchrecord_report"),
            path("report/csv/", wrap(views.report_csv), name="searches_searchrecord_report_csv"),
            path("open-data/", wrap(views.open_data_csv), name="searches_searchrecord_open_data"),
            *super().get_urls(),
        ]


@admin.register(PupilPopulation)
class PupilPopulationAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "year", "ethnicity", "pupil_count"]
    list_filter = ["year", "local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["local_authority__name", "local_authority__gss_code"]
    autocomplete_fields = ["local_authority"]
