from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path

from core.admin import HistoryAdmin, ScopedChangeAdminMixin
from officers.models import Officer

from . import views
from .models import PupilPopulation, SearchRecord, Section60Authorisation
from .services import record_search, record_section_60, search_rule_errors, section_60_rule_errors, update_search


class SearchRecordForm(forms.ModelForm):
    # No Meta: the admin builds it from SearchRecordAdmin's model and fieldsets.

    def _post_clean(self) -> None:
        # The service's rules, shown against their fields on the form before anything is saved.
        super()._post_clean()
        errors = search_rule_errors(self.instance)
        if errors:
            self._update_errors(ValidationError(errors))


class FollowUpAndReviewFilter(admin.SimpleListFilter):
    title = "follow-up and review"
    parameter_name = "outstanding"

    def lookups(self, request, model_admin):
        return [("follow_up", "Follow-up not done"), ("review", "Supervisor review not done")]

    def queryset(self, request, queryset):
        if self.value() == "follow_up":
            return queryset.follow_up_due()
        if self.value() == "review":
            return queryset.review_due()
        return queryset


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
        "status",
        "referral_due",
    ]
    list_filter = [
        ReferralDueFilter,
        FollowUpAndReviewFilter,
        "status",
        "search_type",
        "legal_power",
        "body_worn_video",
        "bcu",
        "appropriate_adult_present",
    ]
    list_select_related = ["officer", "school", "bcu"]
    search_fields = ["reference", "referral_reference", "officer__collar_number", "school__name", "school__urn"]
    autocomplete_fields = ["officer", "school", "section_60"]
    date_hierarchy = "searched_at"
    readonly_fields = ["bcu", "recorded_by", "created_at", "updated_at"]
    fieldsets = [
        (
            "Search",
            {
                "fields": [
                    "reference",
                    "status",
                    "officer",
                    "school",
                    "location",
                    "searched_at",
                    "legal_power",
                    "section_60",
                    "search_type",
                    "reason",
                    "outcome",
                    "items_found",
                    "body_worn_video",
                    "body_worn_video_reason",
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
                ]
            },
        ),
        (
            "Trauma-informed follow-up",
            {
                "description": "Required for every child searched beyond outer clothing: who offers it and by "
                "when; then what was offered, the outcome and the date it was done.",
                "fields": [
                    "follow_up_by",
                    "follow_up_due_on",
                    "follow_up_offered",
                    "follow_up_outcome",
                    "follow_up_completed_on",
                ],
            },
        ),
        (
            "Supervisor review",
            {
                "description": "Every child searched beyond outer clothing: reviewed by an Inspector or above.",
                "fields": [
                    "reviewed_by_name",
                    "reviewed_by_number",
                    "reviewed_by_rank",
                    "reviewed_on",
                    "review_notes",
                ],
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


class Section60Form(forms.ModelForm):
    # No Meta: the admin builds it.

    def _post_clean(self) -> None:
        super()._post_clean()
        errors = section_60_rule_errors(self.instance)
        if errors:
            self._update_errors(ValidationError(errors))


@admin.register(Section60Authorisation)
class Section60AuthorisationAdmin(HistoryAdmin):
    form = Section60Form
    list_display = ["area", "starts_at", "ends_at", "bcu", "authorising_officer_name", "community_notified"]
    list_filter = ["bcu"]
    list_select_related = ["bcu"]
    search_fields = ["area", "authorising_officer_name", "authorising_officer_number"]
    date_hierarchy = "starts_at"
    readonly_fields = ["recorded_by", "created_at"]
    fieldsets = [
        ("Authorisation", {"fields": ["bcu", "area", "starts_at", "ends_at", "grounds"]}),
        (
            "Authorising officer",
            {
                "description": "An Inspector or above, for up to 24 hours; a Superintendent or above, up to 48.",
                "fields": ["authorising_officer_name", "authorising_officer_number", "authorising_officer_rank"],
            },
        ),
        (
            "Community notification",
            {
                "description": "When the community was told beforehand, and who; or why that was not practicable.",
                "fields": ["community_notified_at", "community_notified_to", "notification_not_practicable_reason"],
            },
        ),
        ("Record", {"fields": ["recorded_by", "created_at"]}),
    ]

    @admin.display(boolean=True, description="community notified")
    def community_notified(self, authorisation: Section60Authorisation) -> bool:
        return authorisation.community_notified_at is not None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = record_section_60(
            recorded_by=request.user,
            authorisation=obj if change else None,
            **{name: form.cleaned_data[name] for name in (form.changed_data if change else form.cleaned_data)},
        )
        obj.__dict__.update(saved.__dict__)


@admin.register(PupilPopulation)
class PupilPopulationAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "year", "ethnicity", "pupil_count"]
    list_filter = ["year", "local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["local_authority__name", "local_authority__gss_code"]
    autocomplete_fields = ["local_authority"]
