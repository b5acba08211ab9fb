"""The concern page tells the school's DSLs when the e-mail telling the officers of a share failed."""

import datetime

import pytest
from django.urls import reverse

from tests.factories.notifications import DeliveryFactory, FailedDeliveryFactory, SentDeliveryFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
WARNING_ID = 'id="shared-concern-notice-failed"'


def _page(client, user, concern) -> str:
    client.force_login(user)
    response = client.get(reverse("safeguarding:concern-detail", args=[concern.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _failed_notice(concern, **fields):
    return FailedDeliveryFactory(object_key=f"concern:{concern.pk}", **fields)


def test_the_dsl_sees_that_the_officers_e_mail_could_not_be_sent(client, dsl_a, shared_concern_a):
    _failed_notice(shared_concern_a, attempts=3, last_attempt_at=datetime.datetime(2026, 12, 6, 14, 5, tzinfo=UTC))
    page = _page(client, dsl_a, shared_concern_a)
    assert (
        "The e-mail to the school's Safer Schools Officer could not be sent (3 attempts, last at 14:05 on 6 Dec 2026)."
    ) in page
    assert "Contact the police directly if action is needed." in page


def test_the_time_of_the_last_attempt_is_london_time(client, dsl_a, shared_concern_a):
    _failed_notice(shared_concern_a, attempts=1, last_attempt_at=datetime.datetime(2026, 7, 1, 13, 5, tzinfo=UTC))
    assert "(1 attempt, last at 14:05 on 1 Jul 2026)" in _page(client, dsl_a, shared_concern_a)


def test_the_warning_shows_no_e_mail_error_details(client, dsl_a, shared_concern_a):
    _failed_notice(shared_concern_a, last_error="SMTPRecipientsRefused: 550 mailbox unavailable")
    page = _page(client, dsl_a, shared_concern_a)
    assert WARNING_ID in page
    assert "SMTP" not in page and "550" not in page


def test_several_failed_notices_are_counted_in_one_warning(client, dsl_a, shared_concern_a):
    _failed_notice(shared_concern_a, last_attempt_at=datetime.datetime(2026, 12, 6, 14, 5, tzinfo=UTC))
    _failed_notice(shared_concern_a, last_attempt_at=datetime.datetime(2026, 12, 6, 14, 7, tzinfo=UTC))
    page = _page(client, dsl_a, shared_concern_a)
    assert (
        "The e-mails to 2 of the school's Safer Schools Officers could not be sent "
        "(last attempt at 14:07 on 6 Dec 2026)."
    ) in page


@pytest.mark.parametrize("factory", [SentDeliveryFactory, DeliveryFactory], ids=["sent", "pending"])
def test_no_warning_when_the_notice_was_sent_or_is_still_pending(client, dsl_a, shared_concern_a, factory):
    factory(object_key=f"concern:{shared_concern_a.pk}")
    assert WARNING_ID not in _page(client, dsl_a, shared_concern_a)


def test_the_officer_does_not_see_the_warning(client, sso_a, shared_concern_a):
    _failed_notice(shared_concern_a)
    assert WARNING_ID not in _page(client, sso_a, shared_concern_a)


def test_a_failure_of_another_concerns_notice_is_not_shown(client, dsl_a, shared_concern_a):
    FailedDeliveryFactory(object_key=f"concern:{shared_concern_a.pk + 1000}")
    FailedDeliveryFactory(kind="concern-no-action", object_key=f"concern:{shared_concern_a.pk}")
    assert WARNING_ID not in _page(client, dsl_a, shared_concern_a)


def test_a_notice_sent_after_a_failed_attempt_clears_the_warning(client, dsl_a, shared_concern_a):
    from notifications.sending import send_delivery

    notice = _failed_notice(shared_concern_a)
    send_delivery(notice.pk)
    assert WARNING_ID not in _page(client, dsl_a, shared_concern_a)


def test_the_dsls_page_of_a_shared_concern_makes_a_fixed_number_of_queries(
    client, dsl_a, shared_concern_a, django_assert_num_queries
):
    for _ in range(3):
        _failed_notice(shared_concern_a)
    client.force_login(dsl_a)
    queries = [
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "the user's schools as a DSL",
        "the user's officer record (schools as an SSO)",
        "the concern with its school and who logged it",
        "its chronology (empty here, so nobody who recorded an action is read)",
        "its attachments",
        "SAVEPOINT: record_concern_access",
        "the audit entry of this view",
        "RELEASE SAVEPOINT: record_concern_access",
        "the concern's notices to officers with their states, however many",
        "who has read the concern, one row per reader",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        client.get(reverse("safeguarding:concern-detail", args=[shared_concern_a.pk]))
