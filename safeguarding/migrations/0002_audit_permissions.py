"""Who may read the audit trail in the admin.

"Safeguarding auditor" (new group): read-only access to concerns, their history and audit entries.
"BCU manager": the audit entries only (who read or changed which concern id, and when), never
concern contents: managers see counts on the portal's statistics page.
"""

from django.db import migrations

from core.groups import BCU_MANAGER_GROUP, grant_group_model_permissions

SAFEGUARDING_AUDITOR_GROUP = "Safeguarding auditor"
AUDITOR_MODELS = [
    ("safeguarding", "concern"),
    ("safeguarding", "concernaction"),
    ("safeguarding", "concernattachment"),
    ("safeguarding", "concernauditentry"),
]


def grant(apps, schema_editor):
    grant_group_model_permissions(apps, SAFEGUARDING_AUDITOR_GROUP, AUDITOR_MODELS, actions=("view",))
    grant_group_model_permissions(apps, BCU_MANAGER_GROUP, [("safeguarding", "concernauditentry")], actions=("view",))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SAFEGUARDING_AUDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0001_initial"),
        ("officers", "0005_council_reader_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
