from __future__ import annotations

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join

from core.admin import HistoryAdmin, InputFilter, ScopedChangeAdminMixin, ScopedInlineMixin
from schools.models import School

from . import selectors
from .forms import BCUFilterForm, EvaluationFilterForm, PostingForm
from .models import BCU, Officer, OfficerStatus, Posting, SuitabilityAssessment, TrainingCourse, TrainingRecord
from .services import (
    BLOCKING_KINDS,
    POSTING_EDITABLE_FIELDS,
    check_posting_eligibility,
    check_posting_eligibility_of,
    create_posting,
    remove_officer_login,
    update_posting,
)


@admin.register(BCU)
class BCUAdmin(ScopedChangeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "force"]
    search_fields = ["name", "code", "force"]
    filter_horizontal = ["local_authorities", "managers"]

    def scope_of(self, obj: BCU) -> int | None:
        return obj.pk

    def get_readonly_fields(self, request, obj=None):
        # Who manages a BCU decides whose records a manager may change: set by administrators
        # and force leads only, so no manager can give themselves another BCU.
        if request.portal_roles.changes_every_bcu:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "managers"]


class OfficerChoiceAdminMixin(ScopedChangeAdminMixin):
    """For an admin of an officer's records: its BCU is the officer's, and the officer chooser
    offers only the officers of the BCUs the user may change."""

    def scope_of(self, obj) -> int | None:
        return obj.officer.bcu_id if obj.officer_id else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "officer":
            kwargs["queryset"] = self.limit_to_scope(request, Officer.objects.all(), "bcu")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _with_user(form_class, user):
    """``form_class`` bound to the submitting user, who may be allowed to override."""
    return type(form_class.__name__, (form_class,), {"user": user})


def _save_posting(*, form, user) -> Posting:
    """Save an admin posting form through the services, so the eligibility rules always apply."""
    posting = form.instance
    justification = form.cleaned_data.get("justification", "")
    confirm = form.cleaned_data.get("confirm_warnings", False)
    if posting.pk is None:
        return create_posting(
            officer=posting.officer,
            school=posting.school,
            role=posting.role,
            start_date=posting.start_date,
            end_date=posting.end_date,
            created_by=user,
            override_justification=justification,
            confirm_warnings=confirm,
        )
    # form.instance already holds the submitted values; the service re-checks and saves them.
    original = Posting.objects.get(pk=posting.pk)
    changes = {name: getattr(posting, name) for name in POSTING_EDITABLE_FIELDS}
    return update_posting(
        posting=original, updated_by=user, override_justification=justification, confirm_warnings=confirm, **changes
    )


class BCUManagerViewsMixin:
    """Custom admin pages for BCU managers only (staff outside the group get 403)."""

    def _manager_view(self, view):
        def guarded(request, *args, **kwargs):
            if not request.portal_roles.is_bcu_manager:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return self.admin_site.admin_view(guarded)

    def _render(self, request, template: str, title: str, context: dict, status: int = 200) -> TemplateResponse:
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context},
            status=status,
        )


class TrainingRecordInline(ScopedInlineMixin, admin.TabularInline):
    model = TrainingRecord
    extra = 0
    fields = [
        "course",
        "completed_on",
        "expires_on",
        "provider",
        "evidence_note",
        "met_expectations_score",
        "safeguarding_confidence_score",
    ]
    readonly_fields = ["expires_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "course":
            # Evaluated once per page rather than once per row of the inline.
            formfield.choices = list(formfield.choices)
        return formfield


class SuitabilityAssessmentInline(ScopedInlineMixin, admin.TabularInline):
    model = SuitabilityAssessment
    extra = 0
    fields = ["assessed_on", "panel_included_young_people", "outcome", "notes"]


class PostingHistoryInline(admin.TabularInline):
    """The officer's postings, read-only: a posting is changed on its own page, through the checks."""

    model = Posting
    verbose_name_plural = "postings"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["school", "role", "start_date", "end_date", "override_justification"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The officer too: each row's title is str(posting), which names the officer.
        return super().get_queryset(request).select_related("school", "officer")

    def has_add_permission(self, request, obj=None):
        return False


class NewPostingInline(ScopedInlineMixin, admin.StackedInline):
    """Add postings from the officer page, checked like the posting form (eligibility, override)."""

    model = Posting
    form = PostingForm
    verbose_name = "new posting"
    verbose_name_plural = "new postings"
    extra = 0
    can_delete = False
    fields = ["school", "role", "start_date", "end_date", "justification", "confirm_warnings"]
    autocomplete_fields = ["school"]

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _with_user(formset.form, request.user)
        return formset


ELIGIBLE_ON_PARAMETER = "eligible_on"


def eligibility_date(request) -> datetime.date:
    """The day the officer list's eligibility is for: ``?eligible_on=YYYY-MM-DD``, today by default."""
    value = request.GET.get(ELIGIBLE_ON_PARAMETER, "").strip()
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise IncorrectLookupParameters(error) from error


class EligibleOnFilter(InputFilter):
    """The day the eligibility column and filter answer for (today when blank)."""

    title = "eligibility date"
    inputs = ((ELIGIBLE_ON_PARAMETER, "Eligible on (today if blank)", "date"),)

    def queryset(self, request, queryset):
        eligibility_date(request)  # a malformed date is refused here, as any bad filter
        return queryset


class EligibilityFilter(admin.SimpleListFilter):
    """Officers who may be posted on the eligibility date, or those blocked (by any requirement)."""

    title = "posting eligibility"
    parameter_name = "eligible"

    def lookups(self, request, model_admin):
        # Also accepted: "training:<course code>", blocked by that required course (the start page's links).
        return [
            ("yes", "Eligible"),
            ("no", "Blocked"),
            *((kind, f"Blocked: {label}") for kind, label in BLOCKING_KINDS.items()),
            ("training", "Blocked: required training missing or expired"),
        ]

    def _matches(self, answer) -> bool:
        value = self.value()
        if value == "yes":
            return answer.is_eligible
        if value == "no":
            return not answer.is_eligible
        if value == "training":
            return any(kind.startswith("training:") for kind in answer.kinds)
        return value in answer.kinds

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        officers = list(queryset.only("pk", "status", "probation_end_date", "enhanced_vetting_date"))
        eligibility = check_posting_eligibility_of(officers=officers, start_date=eligibility_date(request))
        return queryset.filter(pk__in=[pk for pk, answer in eligibility.items() if self._matches(answer)])


class OfficerChangeList(ChangeList):
    """The officer list: each officer on the page gets their eligibility on the chosen day, for all
    of them at once (a fixed number of queries whatever the page's length)."""

    def get_results(self, request):
        super().get_results(request)
        officers = list(self.result_list)
        eligibility = check_posting_eligibility_of(officers=officers, start_date=eligibility_date(request))
        for officer in officers:
            officer.posting_eligibility = eligibility[officer.pk]


def eligibility_label(eligibility) -> str:
    """ "Eligible", or "Blocked: " and the first reason."""
    if eligibility.is_eligible:
        return "Eligible"
    return f"Blocked: {eligibility.reasons[0]}"


@admin.register(Officer)
class OfficerAdmin(BCUManagerViewsMixin, ScopedChangeAdminMixin, HistoryAdmin):
    list_display = ["collar_number", "last_name", "first_name", "rank", "role", "bcu", "status", "eligibility", "user"]
    list_filter = [
        EligibilityFilter,
        EligibleOnFilter,
        "role",
        "rank",
        "status",
        "bcu",
        ("user", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["bcu", "user"]
    search_fields = ["collar_number", "first_name", "last_name"]
    autocomplete_fields = ["bcu"]
    inlines = [SuitabilityAssessmentInline, TrainingRecordInline, PostingHistoryInline, NewPostingInline]
    # The portal login is linked only by accepting an invitation (invitations/): read-only for everyone.
    readonly_fields = ["posting_eligibility_today", "user"]
    change_list_template = "admin/officers/officer/change_list.html"
    actions = ["remove_portal_login"]

    def scope_of(self, obj: Officer) -> int | None:
        return obj.bcu_id

    def get_changelist(self, request, **kwargs):
        return OfficerChangeList

    @admin.display(description="posting eligibility")
    def eligibility(self, officer: Officer) -> str:
        return eligibility_label(officer.posting_eligibility)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bcu":
            kwargs["queryset"] = self.limit_to_scope(request, BCU.objects.all(), "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_remove_login_permission(self, request) -> bool:
        roles = request.portal_roles
        return roles.is_administrator or roles.is_force_lead

    @admin.action(description="Remove portal login (revoke access)", permissions=["remove_login"])
    def remove_portal_login(self, request, queryset):
        officers = list(queryset.exclude(user=None).select_related("user"))
        for officer in officers:
            username = officer.user.get_username()
            remove_officer_login(officer=officer, by=request.user, reason=f"Portal login {username} removed")
            self.log_change(request, officer, f"Removed portal login {username}.")
        self.message_user(request, f"Removed the portal login of {len(officers)} officer(s).")

    @admin.display(description="posting eligibility today")
    def posting_eligibility_today(self, officer: Officer) -> str:
        if officer.pk is None:
            return "-"
        eligibility = check_posting_eligibility(officer=officer, start_date=timezone.localdate())
        if eligibility.is_eligible:
            return "Meets every requirement for a school posting."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in eligibility.reasons)))

    def get_inline_instances(self, request, obj=None):
        # Postings need a saved officer to check eligibility against.
        inlines = super().get_inline_instances(request, obj)
        return [inline for inline in inlines if obj is not None or not isinstance(inline, NewPostingInline)]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Posting:
            return super().save_formset(request, form, formset, change)
        for posting_form in formset.forms:
            if posting_form.has_changed() and posting_form.instance.pk is None:
                posting_form.instance.officer = form.instance
                _save_posting(form=posting_form, user=request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_urls(self):
        return [
            path(
                "training-compliance/",
                self._manager_view(self.training_compliance_view),
                name="officers_officer_training_compliance",
            ),
            path("vacancies/", self._manager_view(self.vacancies_view), name="officers_officer_vacancies"),
            *super().get_urls(),
        ]

    def training_compliance_view(self, request):
        """Officers x required courses: current / expiring within 30 days / expired / missing."""
        template = "admin/officers/training_compliance.html"
        filters = BCUFilterForm(request.GET)
        if not filters.is_valid():
            return self._render(request, template, "Training compliance", {"filters": filters}, status=400)
        bcu, on = filters.cleaned_data["bcu"], filters.on_date()
        officers = Officer.objects.exclude(status=OfficerStatus.LEFT)
        if bcu is not None:
            officers = officers.filter(bcu=bcu)
        courses = selectors.required_courses()
        rows = selectors.training_compliance(officers=officers, on=on, courses=courses)
        totals = [list(column.items()) for column in selectors.compliance_totals(rows)]
        context = {"filters": filters, "courses": courses, "rows": rows, "totals": totals, "on": on, "bcu": bcu}
        return self._render(request, template, "Training compliance", context)

    def vacancies_view(self, request):
        """Open schools of the BCU without a current primary SSO (ranked by the ``priorities`` admin,
        which registers a subclass of this one)."""
        template = "admin/officers/vacancies.html"
        title = "Vacancies: schools without a primary SSO"
        filters = BCUFilterForm(request.GET)
        if not filters.is_valid():
            return self._render(request, template, title, {"filters": filters}, status=400)
        bcu, on = filters.cleaned_data["bcu"], filters.on_date()
        schools = list(selectors.vacant_schools(on=on, bcu=bcu))
        return self._render(request, template, title, {"filters": filters, "schools": schools, "on": on, "bcu": bcu})


class ReviewDueFilter(admin.SimpleListFilter):
    title = "termly review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Due this term (not saved since the term started)")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(pk__in=selectors.postings_due_for_review(on=timezone.localdate()).values("pk"))
        return queryset


class ExpiringTrainingFilter(admin.SimpleListFilter):
    title = "required training"
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("30", f"Expiring within {selectors.EXPIRING_WITHIN_DAYS} days, not renewed")]

    def queryset(self, request, queryset):
        if self.value() == "30":
            expiring = selectors.required_training_expiring(on=timezone.localdate())
            return queryset.filter(pk__in=expiring.values("pk"))
        return queryset


class OverriddenFilter(admin.SimpleListFilter):
    title = "eligibility override"
    parameter_name = "overridden"

    def lookups(self, request, model_admin):
        return [("yes", "Overridden"), ("no", "Met every requirement")]

    def queryset(self, request, queryset):
        overridden = ~Q(override_justification="")
        if self.value() == "yes":
            return queryset.filter(overridden)
        if self.value() == "no":
            return queryset.exclude(overridden)
        return queryset


def _requested(request, name: str) -> str:
    return (request.POST.get(name) if request.method == "POST" else request.GET.get(name)) or ""


def officer_choices(officers, *, start_date: datetime.date, school_bcu_id: int | None) -> list:
    """The posting form's officer choices, each labelled eligible or blocked (with the first reason)
    on ``start_date``: eligible officers of the school's BCU first, then other eligible officers,
    then those blocked. Five queries whatever the number of officers."""
    officers = list(officers.select_related("bcu"))
    eligibility = check_posting_eligibility_of(officers=officers, start_date=start_date)
    on = format_date(start_date, "j M Y")
    groups: dict[str, list] = {}
    for officer in officers:
        answer = eligibility[officer.pk]
        if not answer.is_eligible:
            group = f"Blocked on {on}"
        elif school_bcu_id is not None and officer.bcu_id == school_bcu_id:
            group = f"Eligible on {on}: {officer.bcu.name}"
        else:
            group = f"Eligible on {on}" if school_bcu_id is None else f"Eligible on {on}: other BCUs"
        label = f"{officer} \u2013 {officer.bcu.name} \u2013 {eligibility_label(answer)}"
        groups.setdefault(group, []).append((officer.pk, label))
    order = sorted(groups, key=lambda name: (name.startswith("Blocked"), name.endswith("other BCUs")))
    return [("", "---------"), *((name, groups[name]) for name in order)]


@admin.register(Posting)
class PostingAdmin(OfficerChoiceAdminMixin, HistoryAdmin):
    form = PostingForm
    list_display = ["officer", "school", "role", "start_date", "end_date", "was_overridden", "had_warnings"]
    list_filter = ["role", ReviewDueFilter, OverriddenFilter, "officer__bcu", "school__local_authority"]
    list_select_related = ["officer", "school"]
    search_fields = ["officer__collar_number", "officer__last_name", "school__name", "school__urn"]
    # The officer is chosen from a list that says who is eligible (``officer_choices``).
    autocomplete_fields = ["school"]
    date_hierarchy = "start_date"
    readonly_fields = [
        "override_justification",
        "overridden_reasons",
        "overridden_by",
        "confirmed_warnings",
        "warnings_confirmed_by",
        "created_by",
    ]
    fieldsets = [
        (None, {"fields": ["officer", "school", "role", "start_date", "end_date"]}),
        ("Eligibility override", {"fields": ["justification"]}),
        ("Warnings", {"fields": ["confirm_warnings"]}),
    ]
    history_list_display = ["override_justification"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        if not self.has_change_permission(request, obj):
            # Read only (another BCU's posting): nothing to override.
            fieldsets = [
                fieldset
                for fieldset in fieldsets
                if not {"justification", "confirm_warnings"} & set(fieldset[1]["fields"])
            ]
        return [*fieldsets, ("Recorded", {"fields": self.readonly_fields})]

    def get_form(self, request, obj=None, **kwargs):
        return _with_user(super().get_form(request, obj, **kwargs), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "officer" and formfield is not None:
            formfield.choices = officer_choices(
                formfield.queryset,
                start_date=self._chosen_start_date(request),
                school_bcu_id=self._chosen_school_bcu_id(request),
            )
        return formfield

    def _chosen_start_date(self, request) -> datetime.date:
        """The start date asked for (a vacancy's link, or the form as posted); today otherwise."""
        raw = _requested(request, "start_date")
        for parse in (datetime.date.fromisoformat, lambda value: datetime.datetime.strptime(value, "%d/%m/%Y").date()):
            try:
                return parse(raw)
            except ValueError:
                continue
        return timezone.localdate()

    def _chosen_school_bcu_id(self, request) -> int | None:
        school_id = _requested(request, "school")
        if not school_id.isdigit():
            return None
        return School.objects.filter(pk=school_id).values_list("bcu_id", flat=True).first()

    @admin.display(boolean=True, description="override")
    def was_overridden(self, posting: Posting) -> bool:
        return bool(posting.override_justification)

    @admin.display(boolean=True, description="warnings confirmed")
    def had_warnings(self, posting: Posting) -> bool:
        return bool(posting.confirmed_warnings)

    def save_model(self, request, obj, form, change):
        saved = _save_posting(form=form, user=request.user)
        # The admin goes on to log and redirect with ``obj``: give it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(TrainingCourse)
class TrainingCourseAdmin(BCUManagerViewsMixin, admin.ModelAdmin):
    list_display = ["name", "code", "category", "validity_months", "required_for_sso"]
    list_filter = ["required_for_sso", "category"]
    search_fields = ["name", "code"]
    change_list_template = "admin/officers/trainingcourse/change_list.html"

    def get_urls(self):
        return [
            path(
                "evaluation/",
                self._manager_view(self.evaluation_report_view),
                name="officers_trainingcourse_evaluation",
            ),
            *super().get_urls(),
        ]

    def evaluation_report_view(self, request):
        """Per course: officers trained and the share rating 4-5 on each evaluation question."""
        filters = EvaluationFilterForm(request.GET)
        template = "admin/officers/training_evaluation.html"
        if not filters.is_valid():
            return self._render(request, template, "Training evaluation", {"filters": filters}, status=400)
        rows = selectors.training_evaluation_report(**filters.cleaned_data)
        return self._render(request, template, "Training evaluation", {"filters": filters, "rows": rows})


@admin.register(TrainingRecord)
class TrainingRecordAdmin(OfficerChoiceAdminMixin, HistoryAdmin):
    list_display = ["officer", "course", "completed_on", "expires_on", "provider"]
    list_filter = [ExpiringTrainingFilter, "course", "officer__bcu"]
    list_select_related = ["officer", "course"]
    search_fields = ["officer__collar_number", "officer__last_name", "course__name", "provider"]
    autocomplete_fields = ["officer"]
    readonly_fields = ["expires_on"]
    date_hierarchy = "completed_on"


@admin.register(SuitabilityAssessment)
class SuitabilityAssessmentAdmin(OfficerChoiceAdminMixin, HistoryAdmin):
    list_display = ["officer", "assessed_on", "outcome", "panel_included_young_people"]
    list_filter = ["outcome", "panel_included_young_people", "officer__bcu"]
    list_select_related = ["officer"]
    search_fields = ["officer__collar_number", "officer__last_name"]
    autocomplete_fields = ["officer"]
    date_hierarchy = "assessed_on"
