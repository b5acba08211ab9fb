"""Create the "Force lead" group: staff who invite officers to the portal.

It may view and add invitations (the admin shows a force lead officer invitations only) and view
officers, to choose the one invited; withdrawing and removing an officer's portal login are
granted by role (invitations/permissions.py, officers/admin.py), not by model permissions.
"""

from django.db import migrations

from core.groups import FORCE_LEAD_GROUP, grant_group_model_permissions


def create_group(apps, schema_editor):
    grant_group_model_permissions(apps, FORCE_LEAD_GROUP, [("invitations", "invitation")], actions=("view", "add"))
    grant_group_model_permissions(apps, FORCE_LEAD_GROUP, [("officers", "officer")], actions=("view",))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=FORCE_LEAD_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("invitations", "0001_initial"),
        ("officers", "0010_officer_login_by_invitation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
