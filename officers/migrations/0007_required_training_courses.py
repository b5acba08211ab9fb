"""Seed the four courses every Safer Schools Officer must hold (after the Child Q review).

Validity periods are the force's refresher cycle; BCU managers can change them in the admin.
"""

from django.db import migrations

REQUIRED_COURSES = [
    # code, name, category, validity in months
    ("SSO-ADB", "Adultification bias", "adultification_bias", 24),
    ("SSO-CC", "Cultural competency", "cultural_competency", 36),
    ("SSO-SGC", "Safeguarding children", "safeguarding_children", 12),
    ("SSO-TIP", "Trauma-informed practice", "trauma_informed", 36),
]


def seed_courses(apps, schema_editor):
    TrainingCourse = apps.get_model("officers", "TrainingCourse")
    for code, name, category, validity_months in REQUIRED_COURSES:
        TrainingCourse.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "validity_months": validity_months,
                "required_for_sso": True,
            },
        )


def remove_courses(apps, schema_editor):
    TrainingCourse = apps.get_model("officers", "TrainingCourse")
    TrainingCourse.objects.filter(code__in=[code for code, *_ in REQUIRED_COURSES], records__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("officers", "0006_training_suitability_posting_override")]

    operations = [migrations.RunPython(seed_courses, remove_courses)]
