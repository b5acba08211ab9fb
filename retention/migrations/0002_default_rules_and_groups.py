"""The default retention schedule, and the groups that review erasures and export personal data.

Defaults follow public guidance (docs/data-protection.md gives the sources and caveats); each is a
starting point for the force's and schools' data protection officers to confirm, not legal advice.
A rule already present is never changed.

"Data protection officer" (new group, staff): reviews erasures, changes the rules, reads the
tombstones and the export log, exports an officer's data.
"Force lead" (staff): exports an officer's data. Created by name if missing, so this migration and
any other that adds the group may run in either order.
"""

from django.db import migrations

from core.groups import grant_group_model_permissions

DPO_GROUP = "Data protection officer"
FORCE_LEAD_GROUP = "Force lead"

TO_CONFIRM = "A default, to be confirmed by your data protection officer; not legal advice."

DEFAULT_RULES = [
    {
        "record_type": "concern",
        "period_years": 25,
        "period_months": 0,
        "counts_from": "pupil_birth",
        "basis": (
            "IRMS Information Management Toolkit for Schools: a child protection file is kept until the "
            "pupil's 25th birthday (date of birth + 25 years). The portal holds the year group, not the date "
            "of birth, so the period counts from the latest date of birth possible for the year group when "
            "the concern was logged (31 August). Closed concerns only; the chronology, attachments and audit "
            "entries go with the concern. Records about child sexual abuse may need longer (see the data "
            "protection page): hold them. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "search_record",
        "period_years": 3,
        "period_months": 0,
        "counts_from": "search_date",
        "basis": (
            "The force's own system keeps the search record under its review, retention and disposal "
            "schedule (College of Policing APP, Information management: review, retention and disposal; "
            "PACE Code A on search records). This copy serves accountability reporting: three years covers "
            "the complaint window and two years of comparison. Forces commonly keep stop and search records "
            "from 12 months to a few years. A child can bring a civil claim until six years after their 18th "
            "birthday (Limitation Act 1980): hold records under complaint or claim. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "posting",
        "period_years": 6,
        "period_months": 0,
        "counts_from": "posting_end",
        "basis": (
            "Deployment record of an officer: six years after the posting ended, the usual period for a civil "
            "claim (Limitation Act 1980). Check it against the force's HR retention schedule (NPCC minimum "
            "standards for the retention and disposal of police records). Open-ended postings are never "
            "due. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "training_record",
        "period_years": 6,
        "period_months": 0,
        "counts_from": "training_expiry",
        "basis": (
            "Training evidence: six years after it expired (Limitation Act 1980), in line with the force's HR "
            "retention schedule. Training that never expires counts from its completion, and only once the "
            "officer has left. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "suitability_assessment",
        "period_years": 6,
        "period_months": 0,
        "counts_from": "assessment_date",
        "basis": (
            "Assessment of an officer's suitability to work with children: six years after it took place "
            "(Limitation Act 1980). An officer's latest assessment is kept while they serve, as their "
            "evidence for postings. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "concern_audit_entry",
        "period_years": 25,
        "period_months": 0,
        "counts_from": "entry_date",
        "basis": (
            "Who read or changed a concern, and when: evidence of lawful access (UK GDPR Article 5(2), "
            "accountability). Kept as long as a concern can be, so in practice erased with its concern. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "delivery",
        "period_years": 1,
        "period_months": 0,
        "counts_from": "recorded_date",
        "basis": (
            "Operational record of an e-mail sent (recipient address, subject, outcome; ids and links only, "
            "never a child's details): 12 months covers investigating a missed notice. Sent or failed "
            "deliveries only. " + TO_CONFIRM
        ),
    },
]

DPO_MODELS = [
    ("retention", "retentionrule", ("view", "change")),
    ("retention", "erasurecandidate", ("view",)),
    ("retention", "erasuretombstone", ("view",)),
    ("retention", "subjectaccessexport", ("view",)),
]


def _grant_custom(apps, group_name: str, codename: str) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(content_type__app_label="retention", codename=codename))


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for rule in DEFAULT_RULES:
        RetentionRule.objects.get_or_create(record_type=rule["record_type"], defaults=rule)
    for app_label, model_name, actions in DPO_MODELS:
        grant_group_model_permissions(apps, DPO_GROUP, [(app_label, model_name)], actions=actions)
    _grant_custom(apps, DPO_GROUP, "review_erasure")
    _grant_custom(apps, DPO_GROUP, "export_officer_data")
    _grant_custom(apps, FORCE_LEAD_GROUP, "export_officer_data")


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DPO_GROUP).delete()
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="retention", codename="export_officer_data").delete()
    apps.get_model("retention", "RetentionRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
