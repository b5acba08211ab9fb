"""BCU managers record searches and keep pupil population figures.

They may view, add and change search records but not delete them: a search record is an
accountability record, and corrections are kept in its history instead.
"""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions


def grant(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [("searches", "searchrecord")], ("view", "add", "change"))
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [("searches", "pupilpopulation")])


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=BCU_MANAGER_GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="searches"))


class Migration(migrations.Migration):
    dependencies = [
        ("searches", "0001_initial"),
        ("officers", "0004_bcu_manager_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
