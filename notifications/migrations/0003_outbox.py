"""The outbox: a stable Message-ID on every delivery, the "sending" status, and an index for the sweep.

Rows recorded before this migration get a Message-ID each (a column default would give them all
the same one), then the column becomes unique.
"""

from django.db import migrations, models

import notifications.models


def give_each_row_a_message_id(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    for delivery in Delivery.objects.only("pk").iterator(chunk_size=1000):
        Delivery.objects.filter(pk=delivery.pk).update(message_id=notifications.models.new_message_id())


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_delivery_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="message_id",
            field=models.CharField(editable=False, max_length=255, null=True),
        ),
        migrations.RunPython(give_each_row_a_message_id, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="delivery",
            name="message_id",
            field=models.CharField(
                default=notifications.models.new_message_id,
                editable=False,
                help_text="The Message-ID header, the same on every attempt: a copy sent twice is recognisably one "
                "message.",
                max_length=255,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="pending",
                max_length=16,
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "sending"])),
                fields=["status", "last_attempt_at"],
                name="notifications_delivery_unsent",
            ),
        ),
    ]
