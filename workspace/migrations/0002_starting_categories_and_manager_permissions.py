"""The starting activity categories (BCU managers change, add and retire them in the admin), and
the BCU managers' rights on the workspace's records."""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions

# (name, details, hint), in the order SSOs see them.
STARTING_CATEGORIES = [
    ("School visit or daily check", "visit", "Your daily check-in at the school, or a visit."),
    ("PSHE or curriculum session", "session", "Input into a lesson or assembly, with what young people said."),
    ("One-to-one support or mentoring", "support", "Confidential support of a pupil: victim, perpetrator or at risk."),
    ("Diversion referral", "diversion", "A pupil referred to a service away from the criminal justice pathway."),
    ("Post-incident support", "support", "Support of a pupil after an incident."),
    ("Youth service engagement", "youth_service", "Contact with a youth centre or youth service in the ward."),
]


def add_categories(apps, schema_editor):
    ActivityCategory = apps.get_model("workspace", "ActivityCategory")
    for position, (name, details, hint) in enumerate(STARTING_CATEGORIES, start=1):
        ActivityCategory.objects.get_or_create(
            name=name, defaults={"details": details, "hint": hint, "position": position * 10}
        )


def grant(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [("workspace", "activity")], ("view",))
    grant_group_model_permissions(
        apps, BCU_MANAGER_GROUP, [("workspace", "activitycategory")], ("view", "add", "change")
    )
    grant_group_model_permissions(
        apps,
        BCU_MANAGER_GROUP,
        [("workspace", "touchdownpoint"), ("workspace", "objective"), ("workspace", "youthservice")],
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BCU_MANAGER_GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="workspace"))


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0001_initial"),
        ("officers", "0004_bcu_manager_group"),
    ]

    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
