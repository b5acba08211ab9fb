from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin import HistoryAdmin, ReadOnlyAdminMixin
from core.csv_export import csv_download
from officers.admin import OfficerAdmin
from officers.forms import BCUFilterForm
from officers.models import Officer
from schools.admin import SchoolAdmin
from schools.models import Phase, School

from . import selectors, services
from .explain import explain
from .geo import to_latitude_longitude
from .models import (
    Band,
    CrimeAggregate,
    CrimeTypeWeight,
    DataImport,
    PartnerAdvice,
    PriorityRun,
    PriorityScore,
    ScoringModel,
)


class CrimeTypeWeightInline(admin.TabularInline):
    model = CrimeTypeWeight
    extra = 0


@admin.register(ScoringModel)
class ScoringModelAdmin(HistoryAdmin):
    list_display = ["name", "version", "is_active", "crime_weight", "fsm_weight", "pupils_weight", "advice_weight"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    readonly_fields = ["version", "updated_at"]
    inlines = [CrimeTypeWeightInline]
    fieldsets = [
        (None, {"fields": ["name", "version", "is_active", "notes", "updated_at"]}),
        (
            "Weights (each component is on a 0-100 scale before weighting)",
            {"fields": ["crime_weight", "fsm_weight", "pupils_weight", "advice_weight", "coverage_weight"]},
        ),
        ("Windows", {"fields": ["crime_months", "crime_radius_m", "advice_max_age_days"]}),
        (
            "Which schools expect an SSO",
            {
                "description": (
                    "A school without a serving SSO in a current primary posting is called a vacancy (in the "
                    "priority list, the vacancies page and the start page) only when its band or its phase is "
                    "ticked here. The scoring model of the latest run decides; a change applies at once."
                ),
                "fields": ["sso_expected_bands", "sso_expected_phases"],
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        choices = {"sso_expected_bands": Band.choices, "sso_expected_phases": Phase.choices}.get(db_field.name)
        if choices is not None:
            return forms.TypedMultipleChoiceField(
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(formset.has_changed() for formset in formsets)):
            services.scoring_model_record_change(scoring_model=form.instance)


@admin.register(PartnerAdvice)
class PartnerAdviceAdmin(HistoryAdmin):
    list_display = ["school", "organisation", "adjustment", "advised_on", "author"]
    list_filter = ["organisation", "adjustment", "school__bcu", "school__local_authority"]
    list_select_related = ["school", "author"]
    search_fields = ["school__name", "school__urn", "reason"]
    autocomplete_fields = ["school"]
    readonly_fields = ["author", "created_at"]
    fields = ["school", "organisation", "adjustment", "reason", "advised_on", "author", "created_at"]
    date_hierarchy = "advised_on"

    def get_changeform_initial_data(self, request):
        return {"advised_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            # The author is whoever writes the advice, never chosen in the form.
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(CrimeAggregate)
class CrimeAggregateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["month", "force", "lsoa_code", "crime_type", "count", "located_count"]
    list_filter = ["crime_type", "force"]
    search_fields = ["=lsoa_code"]
    date_hierarchy = "month"
    show_full_result_count = False


@admin.register(DataImport)
class DataImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["imported_at", "kind", "file_name", "rows_read", "created", "updated", "rejected"]
    list_filter = ["kind"]
    search_fields = ["file_name"]


@admin.register(PriorityRun)
class PriorityRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["computed_at", "scoring_model", "scoring_model_version", "school_count", "priority_list"]
    list_select_related = ["scoring_model"]
    readonly_fields = ["scoring_model", "scoring_model_version", "computed_at", "school_count", "parameters"]

    @admin.display(description="Priority list")
    def priority_list(self, run: PriorityRun) -> str:
        url = reverse("admin:priorities_priorityscore_changelist")
        return format_html('<a href="{}?run={}">Ranked schools</a>', url, run.pk)


class RunFilter(admin.SimpleListFilter):
    """The latest run unless another is chosen: the list always shows one run's ranking."""

    title = "run"
    parameter_name = "run"

    def lookups(self, request, model_admin):
        return [(run.pk, str(run)) for run in PriorityRun.objects.select_related("scoring_model")[:10]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(run_id=self.value())
        return queryset.filter(run_id=selectors.latest_run_id())

    def choices(self, changelist):
        # No "All": mixing runs would mix rankings.
        choices = list(super().choices(changelist))
        choices[0]["display"] = "Latest"
        return choices


@admin.register(PriorityScore)
class PriorityScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The priority list: schools ranked within their BCU, every component shown, CSV export."""

    change_list_template = "admin/priorities/priorityscore/change_list.html"
    change_form_template = "admin/priorities/priorityscore/change_form.html"
    # The unfiltered total would count every score of every run ever kept (one per school per night).
    show_full_result_count = False
    list_display = [
        "rank_in_bcu",
        "school_name",
        "bcu",
        "local_authority",
        "phase",
        "band",
        "total",
        "crime",
        "fsm",
        "pupils",
        "advice",
        "coverage",
        "current_sso",
    ]
    list_display_links = ["rank_in_bcu", "school_name"]
    list_filter = [RunFilter, "bcu", "school__local_authority", "school__phase", "band"]
    search_fields = ["school__name", "=school__urn"]
    ordering = ["bcu__name", "rank_in_bcu"]
    list_per_page = 100
    readonly_fields = ["run", "school", "bcu", "total", "rank_in_bcu", "band"]
    fields = readonly_fields

    def get_queryset(self, request):
        return selectors.priority_list(super().get_queryset(request))

    @admin.display(description="school", ordering="school__name")
    def school_name(self, score: PriorityScore) -> str:
        return f"{score.school.name} ({score.school.urn})"

    @admin.display(description="local authority", ordering="school__local_authority__name")
    def local_authority(self, score: PriorityScore) -> str:
        return score.school.local_authority.name

    @admin.display(description="phase", ordering="school__phase")
    def phase(self, score: PriorityScore) -> str:
        return score.school.get_phase_display()

    @admin.display(description="current SSO")
    def current_sso(self, score: PriorityScore) -> str:
        return current_sso_name(score)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The score the page already loaded, explained: no second look-up of it.
        if obj is not None:
            context = {**context, "explanation": explain(obj), "advice": selectors.advice_behind(obj)}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        export = path(
            "export.csv", self.admin_site.admin_view(self.export_csv), name="priorities_priorityscore_export"
        )
        map_data = path("map.json", self.admin_site.admin_view(self.map_data), name="priorities_priorityscore_map")
        return [export, map_data, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # The map above the list asks for the same filters (the list's own query string).
        query = request.GET.urlencode()
        map_url = reverse("admin:priorities_priorityscore_map") + (f"?{query}" if query else "")
        return super().changelist_view(request, {**(extra_context or {}), **map_context(map_url)})

    def map_data(self, request: HttpRequest) -> JsonResponse:
        """The schools of the list as filtered on screen (every row, not one page), placed for the map."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return JsonResponse({"error": "The filters are not valid."}, status=400)
        # The filtered rows the list itself pages through (built once, with the list's filters).
        return JsonResponse(map_payload(list(changelist.queryset)))

    def export_csv(self, request: HttpRequest) -> StreamingHttpResponse:
        """The list as filtered on screen, every row (not one page), as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        scores = changelist.get_queryset(request)
        return csv_download(f"priority-list-{timezone.localdate():%Y-%m-%d}.csv", CSV_HEADER, _csv_rows(scores))


NO_SSO_EXPECTED = "None (no SSO expected)"


def map_context(map_url: str) -> dict:
    """What the school map's template needs: where its data is, and the base tiles (if any)."""
    return {
        "school_map_url": map_url,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def map_payload(scores: list[PriorityScore]) -> dict:
    """One marker per school of ``scores`` (from ``selectors.priority_list``) that has a GIAS
    easting and northing, converted to latitude and longitude: rank, band, cover and links; and the
    outlines (where imported) of the schools' local authorities and their wards, drawn under them."""
    placed = [score for score in scores if score.school.easting is not None and score.school.northing is not None]
    latitudes, longitudes = to_latitude_longitude(
        [score.school.easting for score in placed], [score.school.northing for score in placed]
    )
    schools = []
    for score, latitude, longitude in zip(placed, latitudes, longitudes, strict=True):
        school = score.school
        schools.append(
            {
                "urn": school.urn,
                "name": school.name,
                "lat": round(latitude, 6),
                "lon": round(longitude, 6),
                "rank": score.rank_in_bcu,
                "bcu": score.bcu.name if score.bcu else "",
                "band": score.band,
                "band_label": score.get_band_display(),
                "covered": bool(school.current_primary_postings),
                "sso": current_sso_name(score),
                "school_url": reverse("admin:schools_school_change", args=[school.pk]),
                "why_url": reverse("admin:priorities_priorityscore_change", args=[score.pk]),
            }
        )
    outlines = selectors.map_outlines({score.school.local_authority_id for score in scores})
    return {"schools": schools, "not_placed": len(scores) - len(placed), "outlines": outlines}


def current_sso_name(score: PriorityScore) -> str:
    """The current primary SSO; without one "Vacancy" where the band or phase expects an SSO (as
    set on the run's scoring model), otherwise "None (no SSO expected)"."""
    postings = score.school.current_primary_postings
    if postings:
        return ", ".join(posting.officer.full_name for posting in postings)
    if score.run.scoring_model.expects_sso(band=score.band, phase=score.school.phase):
        return "Vacancy"
    return NO_SSO_EXPECTED


CSV_HEADER = [
    "BCU",
    "Rank in BCU",
    "Band",
    "URN",
    "School",
    "Local authority",
    "Phase",
    "Total",
    "Crime",
    "FSM",
    "Pupils",
    "Partner advice",
    "SSO coverage",
    "Crime exposure (weighted crimes)",
    "FSM %",
    "Pupil count",
    "Mean advice",
    "Current SSO",
    "Run",
]


def _csv_rows(scores) -> Iterator[list]:
    for score in scores.iterator(chunk_size=2000):
        school = score.school
        yield [
            score.bcu.name if score.bcu else "",
            score.rank_in_bcu,
            score.get_band_display(),
            school.urn,
            school.name,
            school.local_authority.name,
            school.get_phase_display(),
            score.total,
            score.crime,
            score.fsm,
            score.pupils,
            score.advice,
            score.coverage,
            score.crime_input,
            "" if score.fsm_input is None else score.fsm_input,
            "" if score.pupils_input is None else score.pupils_input,
            score.advice_input,
            current_sso_name(score),
            score.run_id,
        ]


class LatestPriorityScoreInline(admin.TabularInline):
    """On the school's page: the latest run's score with every component."""

    model = PriorityScore
    verbose_name = "latest priority score"
    verbose_name_plural = "latest priority score (why this rank: open the score)"
    fields = ["run", "rank_in_bcu", "band", "total", "crime", "fsm", "pupils", "advice", "coverage", "explained"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(run_id=selectors.latest_run_id()).select_related("run")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="why")
    def explained(self, score: PriorityScore) -> str:
        return "; ".join(f"{line.component} {line.points}" for line in explain(score))


# The school's page shows its latest score too: priorities sits above schools, so it extends the
# school admin here rather than the school admin importing priorities.
class SchoolWithPriorityAdmin(SchoolAdmin):
    inlines = [*SchoolAdmin.inlines, LatestPriorityScoreInline]


admin.site.unregister(School)
admin.site.register(School, SchoolWithPriorityAdmin)


# The vacancies page ranks vacancies by the latest priority run: priorities sits above officers, so
# it extends the officer admin here, as it does the school admin.
class OfficerWithRankedVacanciesAdmin(OfficerAdmin):
    def vacancies_view(self, request):
        """Open schools without a primary SSO where one is expected, by band then rank."""
        template = "admin/officers/vacancies.html"
        title = "Vacancies: schools without a primary SSO"
        filters = BCUFilterForm(request.GET)
        if not filters.is_valid():
            return self._render(request, template, title, {"filters": filters}, status=400)
        bcu, on = filters.cleaned_data["bcu"], filters.on_date()
        schools = selectors.ranked_vacancies(on=on, bcu=bcu)
        return self._render(request, template, title, {"filters": filters, "schools": schools, "on": on, "bcu": bcu})


admin.site.unregister(Officer)
admin.site.register(Officer, OfficerWithRankedVacanciesAdmin)
