"""Let BCU managers keep training courses, training records and suitability assessments."""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions

MODELS = [
    ("officers", "trainingcourse"),
    ("officers", "trainingrecord"),
    ("officers", "suitabilityassessment"),
]


def grant(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, MODELS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BCU_MANAGER_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="officers", content_type__model__in=[m for _, m in MODELS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("officers", "0007_required_training_courses")]

    operations = [migrations.RunPython(grant, revoke)]
