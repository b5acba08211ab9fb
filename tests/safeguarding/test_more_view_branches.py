"""Concern pages: the school's SSO cannot share, and the statistics count only the dates asked for."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from safeguarding.models import Concern
from tests.factories.safeguarding import ConcernFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_the_schools_sso_cannot_share_a_concern_they_can_read(client, sso_a, shared_concern_a):
    client.force_login(sso_a)
    response = client.post(reverse("safeguarding:concern-share", args=[shared_concern_a.pk]))
    assert response.status_code == 403


def test_the_statistics_count_only_concerns_logged_between_the_dates_asked_for(client, manager, school_a):
    in_april = ConcernFactory(school=school_a)
    in_june = ConcernFactory(school=school_a)
    Concern.objects.filter(pk=in_april.pk).update(created_at=datetime.datetime(2026, 4, 15, 12, tzinfo=LONDON))
    Concern.objects.filter(pk=in_june.pk).update(created_at=datetime.datetime(2026, 6, 15, 12, tzinfo=LONDON))
    client.force_login(manager)

    response = client.get(reverse("safeguarding:statistics"), {"date_from": "2026-04-01", "date_to": "2026-04-30"})

    (row,) = [row for row in response.context["rows"] if row["urn"] == school_a.urn]
    assert row["total"] == 1
