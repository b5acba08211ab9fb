from django.contrib import admin
from django.utils import timezone

from core.admin import HistoryAdmin, ReadOnlyAdminMixin

from .models import Activity, ActivityCategory, Objective, TouchdownPoint, YouthService
from .selectors import objective_progress
from .services import save_objective, save_youth_service, set_touchdown_point


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "details", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "details"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Retire a category instead (is_active): its activities and objectives keep it.
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """The SSOs' log, for BCU managers to read: SSOs record it on their phones."""

    list_display = ["occurred_on", "category", "school", "officer"]
    list_filter = ["category", "school__bcu"]
    list_select_related = ["category", "school", "officer"]
    search_fields = ["school__name", "school__urn", "officer__collar_number", "officer__last_name"]
    date_hierarchy = "occurred_on"


@admin.register(TouchdownPoint)
class TouchdownPointAdmin(HistoryAdmin):
    list_display = ["school", "room", "updated_at"]
    list_select_related = ["school"]
    search_fields = ["school__name", "school__urn", "room"]
    autocomplete_fields = ["school"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change) -> None:
        saved = set_touchdown_point(
            roles=request.portal_roles, school=obj.school, room=obj.room, access_notes=obj.access_notes
        )
        obj.__dict__.update(saved.__dict__)


@admin.register(Objective)
class ObjectiveAdmin(HistoryAdmin):
    list_display = ["posting", "category", "target", "period", "progress"]
    list_filter = ["category", "period", "posting__school__bcu"]
    list_select_related = ["posting", "posting__officer", "posting__school", "category"]
    search_fields = ["posting__school__name", "posting__officer__collar_number", "posting__officer__last_name"]
    autocomplete_fields = ["posting"]
    readonly_fields = ["progress", "created_by", "created_at"]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Progress from the activity log for the whole page in one query, kept on each row.
        for found in objective_progress(objectives=changelist.result_list, on=timezone.localdate()):
            found.objective.progress_found = found
        return changelist

    @admin.display(description="progress this period")
    def progress(self, objective: Objective) -> str:
        if objective.pk is None:
            return "-"
        found = getattr(objective, "progress_found", None)
        if found is None:
            found = objective_progress(objectives=[objective], on=timezone.localdate())[0]
        return f"{found.done} of {objective.target} ({found.date_from:%d %b %Y} to {found.date_to:%d %b %Y})"

    def save_model(self, request, obj, form, change) -> None:
        save_objective(objective=obj, saved_by=request.user)


@admin.register(YouthService)
class YouthServiceAdmin(HistoryAdmin):
    list_display = ["name", "ward", "operator", "relationship", "last_contact_on", "last_contact_by"]
    list_filter = ["operator", "relationship", "ward__local_authority"]
    list_select_related = ["ward", "ward__local_authority", "last_contact_by"]
    search_fields = ["name", "ward__name", "contact_name"]
    autocomplete_fields = ["ward", "last_contact_by"]

    def save_model(self, request, obj, form, change) -> None:
        save_youth_service(service=obj, saved_by=request.user)
