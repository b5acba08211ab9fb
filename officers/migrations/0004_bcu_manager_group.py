"""Create the "BCU manager" group, who run deployments through the admin."""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions

MODELS = [
    ("schools", "localauthority"),
    ("schools", "ward"),
    ("schools", "school"),
    ("schools", "dslcontact"),
    ("officers", "bcu"),
    ("officers", "officer"),
    ("officers", "posting"),
]


def create_group(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, MODELS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=BCU_MANAGER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0003_posting_no_overlapping_primary"),
        ("schools", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
