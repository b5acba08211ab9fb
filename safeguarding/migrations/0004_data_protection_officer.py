"""Who may read the concern access log, least privilege.

"Data protection officer" (staff): reads the access log and the record of its exports in the
admin, and exports the log as CSV. The group is found or created by name, so this migration
and any other that creates the same group may run in either order.
"BCU manager": no longer reads the access log (who read which concern, and when). Managers
see concern counts only, on the portal's statistics page.
"""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, DATA_PROTECTION_OFFICER_GROUP, grant_group_model_permissions

AUDIT_ENTRY = ("safeguarding", "concernauditentry")
EXPORT = ("safeguarding", "accesslogexport")


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="safeguarding", codename__in=codenames)


def forwards(apps, schema_editor):
    grant_group_model_permissions(apps, DATA_PROTECTION_OFFICER_GROUP, [AUDIT_ENTRY], actions=("view", "export"))
    grant_group_model_permissions(apps, DATA_PROTECTION_OFFICER_GROUP, [EXPORT], actions=("view",))
    manager = apps.get_model("auth", "Group").objects.filter(name=BCU_MANAGER_GROUP).first()
    if manager is not None:
        manager.permissions.remove(*_permissions(apps, ["view_concernauditentry"]))


def backwards(apps, schema_editor):
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [AUDIT_ENTRY], actions=("view",))
    # The group itself may hold other rights, given elsewhere: take back only these.
    officer = apps.get_model("auth", "Group").objects.filter(name=DATA_PROTECTION_OFFICER_GROUP).first()
    if officer is not None:
        codenames = ["view_concernauditentry", "export_concernauditentry", "view_accesslogexport"]
        officer.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0003_audit_channel_and_exports")]

    operations = [migrations.RunPython(forwards, backwards)]
