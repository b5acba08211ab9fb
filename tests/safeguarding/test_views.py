import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeguarding.models import AuditEvent, Concern, ConcernAuditEntry, ConcernStatus
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

VALID = {
    "pupil_reference": "AB-123",
    "year_group": "9",
    "category": "online",
    "severity": "high",
    "description": "Fictional account of what happened.",
}


def _valid(school, **overrides):
    return {"school": school.pk, **VALID, **overrides}


@pytest.fixture
def dsl_client(client, dsl_a):
    client.force_login(dsl_a)
    return client


def test_logging_a_concern_redirects_to_its_page(dsl_client, school_a):
    response = dsl_client.post(reverse("safeguarding:concern-create"), _valid(school_a))
    concern = Concern.objects.get()
    assert response.url == reverse("safeguarding:concern-detail", args=[concern.pk])
    assert concern.school == school_a


def test_an_empty_form_lists_every_missing_field_in_the_error_summary(dsl_client):
    response = dsl_client.post(reverse("safeguarding:concern-create"), {})
    page = response.content.decode()
    assert "There is a problem" in page
    for message in ["Enter the pupil reference", "Choose the year group", "Choose a category", "Describe the concern"]:
        assert f'">{message}</a>' in page
    assert page.count("govuk-form-group--error") == 6
    assert response.context["form"]["description"].field.widget.attrs["aria-describedby"].endswith("-error")
    assert not Concern.objects.exists()


def test_a_pupil_name_with_a_space_is_refused_with_a_clear_message(dsl_client, school_a):
    response = dsl_client.post(reverse("safeguarding:concern-create"), _valid(school_a, pupil_reference="Jane Doe"))
    assert "not a name" in response.context["form"].errors["pupil_reference"][0]


def test_a_dsl_cannot_post_a_concern_for_another_school(dsl_client, school_b):
    response = dsl_client.post(reverse("safeguarding:concern-create"), _valid(school_b))
    assert "school" in response.context["form"].errors
    assert not Concern.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_saved(dsl_client, school_a):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = dsl_client.post(reverse("safeguarding:concern-create"), _valid(school_a, attachment=big))
    assert response.context["form"].errors["attachment"] == ["The file must be smaller than 5 MB."]
    assert not Concern.objects.exists()


def test_an_attachment_is_downloadable_only_through_the_portal(dsl_client, school_a):
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.7 fictional", content_type="application/pdf")
    dsl_client.post(reverse("safeguarding:concern-create"), _valid(school_a, attachment=pdf))
    attachment = Concern.objects.get().attachments.get()
    response = dsl_client.get(reverse("safeguarding:attachment-download", args=[attachment.concern_id, attachment.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 fictional"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert ConcernAuditEntry.objects.filter(event=AuditEvent.ATTACHMENT_DOWNLOADED).count() == 1


def test_viewing_a_concern_is_audited_with_who_and_when(dsl_client, dsl_a, concern_a):
    dsl_client.get(reverse("safeguarding:concern-detail", args=[concern_a.pk]))
    entry = ConcernAuditEntry.objects.get(event=AuditEvent.VIEWED)
    assert (entry.concern, entry.user) == (concern_a, dsl_a)
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)


def test_a_denied_view_is_not_audited_as_a_view(client, dsl_b, concern_a):
    client.force_login(dsl_b)
    assert client.get(reverse("safeguarding:concern-detail", args=[concern_a.pk])).status_code == 404
    assert not ConcernAuditEntry.objects.exists()


def test_an_action_with_a_future_date_shows_the_error_on_the_page(dsl_client, concern_a):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = dsl_client.post(
        reverse("safeguarding:concern-add-action", args=[concern_a.pk]),
        {"action-taken_on": tomorrow, "action-summary": "Phoned"},
    )
    assert response.status_code == 200
    assert "The date of the action cannot be in the future" in response.content.decode()
    assert not concern_a.actions.exists()


def test_closing_without_an_outcome_shows_the_error(dsl_client, concern_a):
    response = dsl_client.post(
        reverse("safeguarding:concern-change-status", args=[concern_a.pk]), {"status-status": "closed"}
    )
    assert "Choose the outcome when closing a concern" in response.content.decode()
    concern_a.refresh_from_db()
    assert concern_a.status == ConcernStatus.OPEN


def test_a_status_outside_the_workflow_is_refused(dsl_client, concern_a):
    concern_a.status = ConcernStatus.REFERRED
    concern_a.save()
    response = dsl_client.post(
        reverse("safeguarding:concern-change-status", args=[concern_a.pk]), {"status-status": "open"}
    )
    assert "status" in response.context["status_form"].errors


def test_the_list_filters_by_status_and_category(dsl_client, school_a):
    wanted = ConcernFactory(school=school_a, status=ConcernStatus.UNDER_REVIEW, category="neglect")
    ConcernFactory(school=school_a, status=ConcernStatus.UNDER_REVIEW, category="online")
    ConcernFactory(school=school_a, status=ConcernStatus.OPEN, category="neglect")
    response = dsl_client.get(reverse("safeguarding:concern-list"), {"status": "under_review", "category": "neglect"})
    assert list(response.context["page"].object_list) == [wanted]


def test_the_list_filters_by_logged_date_inclusively(dsl_client, school_a):
    import zoneinfo

    london = zoneinfo.ZoneInfo("Europe/London")
    inside = ConcernFactory(school=school_a, created_at=datetime.datetime(2026, 10, 1, 0, 5, tzinfo=london))
    ConcernFactory(school=school_a, created_at=datetime.datetime(2026, 9, 30, 23, 55, tzinfo=london))
    response = dsl_client.get(reverse("safeguarding:concern-list"), {"logged_from": "2026-10-01"})
    assert list(response.context["page"].object_list) == [inside]


def test_an_invalid_filter_date_is_reported(dsl_client):
    response = dsl_client.get(reverse("safeguarding:concern-list"), {"logged_from": "31/02/2026"})
    assert "logged_from" in response.context["filter"].form.errors


def test_dates_are_shown_in_british_format(dsl_client, school_a):
    import zoneinfo

    ConcernFactory(school=school_a, created_at=datetime.datetime(2026, 11, 23, 10, tzinfo=zoneinfo.ZoneInfo("UTC")))
    assert "23 Nov 2026" in dsl_client.get(reverse("safeguarding:concern-list")).content.decode()


def test_confirming_contact_details_sets_today(dsl_client, dsl_a):
    dsl_client.post(
        reverse("safeguarding:contact-details"), {"name": "Dana Lead", "email": "new@school.invalid", "phone": "0207"}
    )
    contact = dsl_a.dsl_contacts.get()
    assert (contact.email, contact.last_confirmed_on) == ("new@school.invalid", timezone.localdate())


def test_an_invalid_email_is_explained(dsl_client):
    response = dsl_client.post(reverse("safeguarding:contact-details"), {"name": "Dana", "email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.content.decode()


def _many_concerns(school, user, count: int) -> None:
    for _ in range(count):
        concern = ConcernFactory(school=school, logged_by=user)
        ConcernActionFactory(concern=concern, recorded_by=user)


@pytest.mark.parametrize("url_name", ["safeguarding:concern-list", "safeguarding:dashboard"])
def test_list_pages_query_count_does_not_grow_with_rows(
    dsl_client, dsl_a, school_a, url_name, django_assert_num_queries
):
    _many_concerns(school_a, dsl_a, 2)
    DSLContactFactory(school=SchoolFactory(), user=dsl_a, role="deputy")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        dsl_client.get(reverse(url_name))
    _many_concerns(school_a, dsl_a, 15)
    # The same queries with more rows: session, user, DSL schools, SSO officer, the page's queries.
    with django_assert_num_queries(len(few)):
        dsl_client.get(reverse(url_name))


def test_detail_page_query_count_does_not_grow_with_chronology(
    dsl_client, dsl_a, concern_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ConcernActionFactory(concern=concern_a, recorded_by=dsl_a)
    with CaptureQueriesContext(connection) as few:
        dsl_client.get(reverse("safeguarding:concern-detail", args=[concern_a.pk]))
    for _ in range(10):
        ConcernActionFactory(concern=concern_a)
    with django_assert_num_queries(len(few)):
        dsl_client.get(reverse("safeguarding:concern-detail", args=[concern_a.pk]))


def test_a_file_can_be_attached_to_an_existing_concern(dsl_client, concern_a):
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n fictional", content_type="image/png")
    response = dsl_client.post(
        reverse("safeguarding:concern-add-attachment", args=[concern_a.pk]), {"attachment-file": png}
    )
    assert response.status_code == 302
    assert concern_a.attachments.get().content_type == "image/png"
    assert ConcernAuditEntry.objects.filter(concern=concern_a, event=AuditEvent.ATTACHMENT_ADDED).exists()


def test_attaching_a_disguised_file_shows_the_error(dsl_client, concern_a):
    fake = SimpleUploadedFile("photo.png", b"<script>", content_type="image/png")
    response = dsl_client.post(
        reverse("safeguarding:concern-add-attachment", args=[concern_a.pk]), {"attachment-file": fake}
    )
    assert "The file&#x27;s contents do not match its type." in response.content.decode()
    assert not concern_a.attachments.exists()


def test_an_ssos_dashboard_counts_only_shared_concerns(client, sso_a, concern_a, shared_concern_a):
    client.force_login(sso_a)
    (school,) = client.get(reverse("safeguarding:dashboard")).context["schools"]
    assert (school.open_concerns, school.shared_concerns) == (1, 1)


def test_concern_text_is_kept_out_of_error_reports(dsl_client, school_a):
    from django.views.debug import SafeExceptionReporterFilter

    response = dsl_client.post(
        reverse("safeguarding:concern-create"), {"description": "Secret", "pupil_reference": "X"}
    )
    cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert cleansed["description"] != "Secret" and cleansed["pupil_reference"] != "X"


def _banner_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_sharing_tells_the_dsl_the_officer_will_be_emailed(dsl_client, concern_a, sso_a):
    response = dsl_client.post(reverse("safeguarding:concern-share", args=[concern_a.pk]), follow=True)
    assert any("will be e-mailed a link" in text for text in _banner_texts(response))


def test_sharing_again_says_nobody_was_emailed_again(dsl_client, concern_a, sso_a):
    url = reverse("safeguarding:concern-share", args=[concern_a.pk])
    dsl_client.post(url, follow=True)  # the first share, its message shown
    response = dsl_client.post(url, follow=True)
    assert any("already shared" in text for text in _banner_texts(response))
    assert not any("will be e-mailed a link" in text for text in _banner_texts(response))


def test_sharing_warns_the_dsl_when_no_officer_can_be_told(dsl_client, concern_a):
    response = dsl_client.post(reverse("safeguarding:concern-share", args=[concern_a.pk]), follow=True)
    assert any("nobody has been told" in text for text in _banner_texts(response))
    assert "Important" in response.content.decode()


@pytest.mark.parametrize(
    ("age", "due"),
    [(relativedelta(years=1, days=-1), False), (relativedelta(years=1), True), (None, True)],
    ids=["a day short of a year", "exactly a year, as the reminder", "never"],
)
def test_dashboard_asks_for_confirmation_after_a_year(dsl_client, dsl_a, age, due):
    confirmed = None if age is None else timezone.localdate() - age
    dsl_a.dsl_contacts.update(last_confirmed_on=confirmed)
    response = dsl_client.get(reverse("safeguarding:dashboard"))
    assert response.context["contact_details_due"] is due
