from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DSLContact, LocalAuthority, School, Ward


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_code"]
    search_fields = ["name", "gss_code", "dfe_code"]
    filter_horizontal = ["council_readers"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "local_authority"]
    list_filter = ["local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["local_authority"]


class DSLContactInline(admin.TabularInline):
    model = DSLContact
    extra = 0
    fields = ["name", "role", "email", "phone", "last_confirmed_on", "is_current", "user"]
    raw_id_fields = ["user"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "urn",
        "phase",
        "status",
        "local_authority",
        "ward",
        "bcu",
        "pupil_count",
        "fsm_percentage",
    ]
    list_filter = ["phase", "status", "bcu", "local_authority"]
    list_select_related = ["local_authority", "ward__local_authority", "bcu"]
    search_fields = ["name", "urn", "postcode", "lsoa_code"]
    autocomplete_fields = ["local_authority", "ward", "bcu"]
    # The priorities app adds the latest priority score (priorities/admin.py).
    inlines = [DSLContactInline]
    fieldsets = [
        (None, {"fields": ["urn", "name", "status", "phase", "establishment_type"]}),
        ("Location", {"fields": ["local_authority", "ward", "bcu", "lsoa_code", "postcode", "easting", "northing"]}),
        (
            "Pupils",
            {"fields": ["statutory_low_age", "statutory_high_age", "pupil_count", "fsm_count", "fsm_percentage"]},
        ),
    ]


@admin.register(DSLContact)
class DSLContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "school", "email", "phone", "last_confirmed_on", "is_current"]
    list_filter = ["role", "is_current", "school__local_authority"]
    list_select_related = ["school"]
    search_fields = ["name", "email", "school__name", "school__urn"]
    autocomplete_fields = ["school"]
    raw_id_fields = ["user"]
