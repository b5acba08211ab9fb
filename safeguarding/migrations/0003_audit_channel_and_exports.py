"""The access log of concerns: where each entry was made (portal or admin), a permission to export
it, and a record of each export.

Every entry made before this migration came from the portal (the admin recorded no reads), so
existing rows take the default, "portal".
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0002_audit_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="concernauditentry",
            options={
                "ordering": ["-at", "-pk"],
                "permissions": [("export_concernauditentry", "Can export the concern access log")],
                "verbose_name": "concern audit entry",
                "verbose_name_plural": "concern audit entries",
            },
        ),
        migrations.AddField(
            model_name="concernauditentry",
            name="channel",
            field=models.CharField(
                choices=[("portal", "Portal"), ("admin", "Admin")], default="portal", max_length=10
            ),
        ),
        migrations.CreateModel(
            name="AccessLogExport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="exported at"),
                ),
                (
                    "filters",
                    models.TextField(
                        blank=True, help_text="The filters of the export, as in the list's address; blank for all."
                    ),
                ),
                ("rows", models.PositiveIntegerField(help_text="How many audit entries the export held.")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "access log export",
                "verbose_name_plural": "access log exports",
                "ordering": ["-at", "-pk"],
            },
        ),
    ]
