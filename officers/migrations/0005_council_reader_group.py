"""Create the "Council reader" group: council staff who read aggregate figures only.

It starts with no model permissions; the pages and API that serve it grant access by
role (access/roles.py), never through the admin.
"""

from django.db import migrations

from core.groups import COUNCIL_READER_GROUP


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=COUNCIL_READER_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COUNCIL_READER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("officers", "0004_bcu_manager_group")]

    operations = [migrations.RunPython(create_group, remove_group)]
