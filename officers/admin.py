from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BCU, Officer, Posting


@admin.register(BCU)
class BCUAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "force"]
    search_fields = ["name", "code", "force"]
    filter_horizontal = ["local_authorities"]


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    fields = ["school", "role", "start_date", "end_date"]
    autocomplete_fields = ["school"]


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["collar_number", "last_name", "first_name", "rank", "role", "bcu", "status"]
    list_filter = ["role", "rank", "status", "bcu"]
    list_select_related = ["bcu"]
    search_fields = ["collar_number", "first_name", "last_name"]
    autocomplete_fields = ["bcu"]
    raw_id_fields = ["user"]
    inlines = [PostingInline]


@admin.register(Posting)
class PostingAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "school", "role", "start_date", "end_date"]
    list_filter = ["role", "officer__bcu", "school__local_authority"]
    list_select_related = ["officer", "school"]
    search_fields = ["officer__collar_number", "officer__last_name", "school__name", "school__urn"]
    autocomplete_fields = ["officer", "school"]
    date_hierarchy = "start_date"
