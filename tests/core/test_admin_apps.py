"""The admin's system checks run on every registered model admin (core.admin_apps)."""

from django.contrib import admin
from django.contrib.admin import AdminSite

from core.admin_apps import check_discovered_admin
from schools.models import School


class SchoolAdminWithAMissingColumn(admin.ModelAdmin):
    list_display = ["no_such_field"]


def test_a_bad_model_admin_fails_the_system_checks():
    site = AdminSite(name="checked-site")
    site.register(School, SchoolAdminWithAMissingColumn)
    try:
        assert "admin.E108" in {message.id for message in check_discovered_admin()}
    finally:
        # Django checks every admin site still alive: this one must not outlive the test.
        site.unregister(School)


def test_the_portal_admin_passes_the_system_checks():
    assert check_discovered_admin() == []


def test_the_portal_admin_has_its_models_registered():
    assert School in admin.site._registry
