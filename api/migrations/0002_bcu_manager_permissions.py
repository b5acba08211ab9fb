"""Let BCU managers administer council API clients and revoke their tokens."""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions


def grant(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [("api", "apiclient"), ("api", "apitoken")])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("officers", "0004_bcu_manager_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
