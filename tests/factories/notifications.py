import datetime

import factory
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    kind = "shared-concern"
    object_key = factory.Sequence(lambda n: f"concern:{n + 1}")
    due_on = datetime.date(2026, 12, 6)
    recipient = factory.Sequence(lambda n: f"officer{n}@police.invalid")
    subject = factory.LazyAttribute(lambda d: f"Safeguarding concern {d.object_key.partition(':')[2]} has been shared")
    body = "Sign in to read it: https://portal.example/portal/concerns/1/"
    status = DeliveryStatus.PENDING


class FailedDeliveryFactory(DeliveryFactory):
    status = DeliveryStatus.FAILED
    attempts = 3
    last_error = "SMTPServerDisconnected: connection lost"
    last_attempt_at = factory.LazyFunction(timezone.now)


class SentDeliveryFactory(DeliveryFactory):
    status = DeliveryStatus.SENT
    attempts = 1
    last_attempt_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyAttribute(lambda d: d.last_attempt_at)
