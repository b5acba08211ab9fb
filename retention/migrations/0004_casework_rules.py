"""Default retention rules for the casework records: transfers of the child protection file (with
the copy the new school received), police attendances for a pupil, and professional challenges.
A rule already present is never changed."""

from django.db import migrations

TO_CONFIRM = "A default, to be confirmed by your data protection officer; not legal advice."

DEFAULT_RULES = [
    {
        "record_type": "file_transfer",
        "period_years": 25,
        "period_months": 0,
        "counts_from": "transfer_date",
        "basis": (
            "IRMS Information Management Toolkit for Schools: a child protection file is kept until the "
            "pupil's 25th birthday; the copy sent to the new school is part of that file, and the transfer "
            "(who sent it, when it was received and acknowledged, who read it) is the evidence that it was "
            "passed on as Keeping children safe in education requires. The portal holds no date of birth: "
            "counting from the day the file was sent keeps it at least that long. Acknowledged transfers "
            "only. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "police_attendance",
        "period_years": 25,
        "period_months": 0,
        "counts_from": "attendance_date",
        "basis": (
            "Part of the pupil's safeguarding record (IRMS toolkit: until the pupil's 25th birthday); the "
            "portal holds no date of birth, so the period counts from the attendance, which is later. " + TO_CONFIRM
        ),
    },
    {
        "record_type": "professional_challenge",
        "period_years": 25,
        "period_months": 0,
        "counts_from": "challenge_resolution",
        "basis": (
            "Part of the pupil's safeguarding record (IRMS toolkit: until the pupil's 25th birthday), and "
            "evidence for the partnership's reviews; counted from the resolution, since the portal holds no "
            "date of birth. Resolved challenges only. " + TO_CONFIRM
        ),
    },
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for rule in DEFAULT_RULES:
        RetentionRule.objects.get_or_create(record_type=rule["record_type"], defaults=rule)


def unseed(apps, schema_editor):
    record_types = [rule["record_type"] for rule in DEFAULT_RULES]
    apps.get_model("retention", "RetentionRule").objects.filter(record_type__in=record_types).delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0003_casework_record_types")]

    operations = [migrations.RunPython(seed, unseed)]
