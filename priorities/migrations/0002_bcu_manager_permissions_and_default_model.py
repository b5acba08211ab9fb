"""Give BCU managers the priority models, and create the first (active) scoring model."""

from decimal import Decimal

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions
from priorities.defaults import DEFAULT_CRIME_TYPE_WEIGHTS, DEFAULT_SCORING_MODEL_NAME

EDITABLE = [
    ("priorities", "scoringmodel"),
    ("priorities", "crimetypeweight"),
    ("priorities", "partneradvice"),
]
# Computed or imported data: managers read it; only the import commands and the recompute write it.
READ_ONLY = [
    ("priorities", "priorityrun"),
    ("priorities", "priorityscore"),
    ("priorities", "crimeaggregate"),
    ("priorities", "dataimport"),
]


def forwards(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, EDITABLE)
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, READ_ONLY, actions=("view",))
    ScoringModel = apps.get_model("priorities", "ScoringModel")
    CrimeTypeWeight = apps.get_model("priorities", "CrimeTypeWeight")
    model, created = ScoringModel.objects.get_or_create(
        name=DEFAULT_SCORING_MODEL_NAME,
        defaults={"is_active": not ScoringModel.objects.filter(is_active=True).exists()},
    )
    if created:
        CrimeTypeWeight.objects.bulk_create(
            CrimeTypeWeight(scoring_model=model, crime_type=crime_type, weight=Decimal(weight))
            for crime_type, weight in DEFAULT_CRIME_TYPE_WEIGHTS.items()
        )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=BCU_MANAGER_GROUP).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="priorities"))


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0001_initial"),
        ("officers", "0004_bcu_manager_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
