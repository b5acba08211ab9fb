"""Every reminder sent so far becomes a sent delivery (``notifications.Delivery``), so that the
once-per-due-date rule still holds for them after ``SentReminder`` is removed (0003)."""

from django.db import migrations

BATCH = 1000


def copy_to_deliveries(apps, schema_editor):
    SentReminder = apps.get_model("reminders", "SentReminder")
    Delivery = apps.get_model("notifications", "Delivery")
    # The message text was never stored: the record says what was sent, to whom and when.
    rows = SentReminder.objects.order_by("pk").values_list("kind", "object_key", "due_on", "recipient", "sent_at")
    batch = []
    for kind, object_key, due_on, recipient, sent_at in rows.iterator(chunk_size=BATCH):
        batch.append(
            Delivery(
                kind=kind,
                object_key=object_key,
                due_on=due_on,
                recipient=recipient,
                subject="",
                body="",
                status="sent",
                attempts=1,
                created_at=sent_at,
                last_attempt_at=sent_at,
                sent_at=sent_at,
            )
        )
        if len(batch) == BATCH:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    SentReminder = apps.get_model("reminders", "SentReminder")
    Delivery = apps.get_model("notifications", "Delivery")
    # Keep each delivery's sent_at (this historical model's field would otherwise be set to now).
    SentReminder._meta.get_field("sent_at").auto_now_add = False
    # Shared-concern notices come back too: as reminders of a kind nobody dispatches, they are inert.
    sent = Delivery.objects.filter(status="sent").order_by("pk")
    rows = sent.values_list("kind", "object_key", "due_on", "recipient", "sent_at")
    SentReminder.objects.bulk_create(
        [
            SentReminder(kind=kind, object_key=object_key, due_on=due_on, recipient=recipient, sent_at=sent_at)
            for kind, object_key, due_on, recipient, sent_at in rows.iterator(chunk_size=BATCH)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_to_deliveries, copy_back)]
