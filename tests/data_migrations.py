"""The rows that data migrations seed (groups and their permissions, required courses, starting
activity categories, retention rules, the default scoring model), put back after a transactional
test has flushed them.

A transactional test (the browser tests) empties every table when it ends, migration rows
included; a later test that needs them (one loading the demo, or signing in as a council reader)
calls ``restore_data_migration_rows``. Each seeding function is idempotent (``get_or_create``).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group

from core.groups import BCU_MANAGER_GROUP

SEEDING_MIGRATIONS = [
    "officers.migrations.0004_bcu_manager_group",
    "officers.migrations.0005_council_reader_group",
    "officers.migrations.0007_required_training_courses",
    "officers.migrations.0008_bcu_manager_training_permissions",
    "invitations.migrations.0002_force_lead_group",
    "priorities.migrations.0002_bcu_manager_permissions_and_default_model",
    "safeguarding.migrations.0002_audit_permissions",
    "safeguarding.migrations.0004_data_protection_officer",
    "searches.migrations.0002_bcu_manager_permissions",
    "workspace.migrations.0002_starting_categories_and_manager_permissions",
    "retention.migrations.0002_default_rules_and_groups",
    "retention.migrations.0004_casework_rules",
    "api.migrations.0002_bcu_manager_permissions",
]


def restore_data_migration_rows() -> None:
    """Run the seeding migrations' forward steps again if their rows are gone."""
    if Group.objects.filter(name=BCU_MANAGER_GROUP).exists():
        return
    for module_name in SEEDING_MIGRATIONS:
        for operation in import_module(module_name).Migration.operations:
            code = getattr(operation, "code", None)
            if code is not None:
                code(apps, None)
