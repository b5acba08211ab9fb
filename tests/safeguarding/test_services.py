import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from access.roles import PortalRoles
from notifications.models import Delivery, DeliveryStatus
from safeguarding import services
from safeguarding.models import AuditEvent, Category, Concern, ConcernAuditEntry, ConcernStatus, Outcome, Severity
from schools.models import DSLContact
from tests.factories.officers import OfficerFactory, PostingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create(user, school, **overrides):
    values = {
        "roles": PortalRoles(user),
        "school": school,
        "pupil_reference": "ab-2026-001",
        "year_group": "9",
        "category": Category.BULLYING,
        "severity": Severity.MEDIUM,
        "description": "Fictional description of a concern.",
    }
    return services.create_concern(**values | overrides)


def test_create_concern_records_who_logged_it_and_an_audit_entry(dsl_a, school_a):
    concern = _create(dsl_a, school_a)
    assert concern.logged_by == dsl_a
    assert concern.pupil_reference == "AB-2026-001"
    assert concern.status == ConcernStatus.OPEN
    entry = ConcernAuditEntry.objects.get(concern=concern)
    assert (entry.user, entry.event) == (dsl_a, AuditEvent.CREATED)


def test_create_concern_keeps_a_history_version(dsl_a, school_a):
    concern = _create(dsl_a, school_a)
    assert concern.history.count() == 1


def test_dsl_cannot_log_a_concern_for_another_school(dsl_a, school_b):
    with pytest.raises(PermissionDenied):
        _create(dsl_a, school_b)
    assert not Concern.objects.exists()


def test_a_name_like_pupil_reference_is_refused(dsl_a, school_a):
    with pytest.raises(ValidationError) as error:
        _create(dsl_a, school_a, pupil_reference="Jane Smith")
    assert "pupil_reference" in error.value.message_dict


def test_sharing_notifies_the_posted_sso_with_a_link_and_no_child_data(
    django_capture_on_commit_callbacks, dsl_a, school_a, sso_a
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = _create(dsl_a, school_a, share_with_police=True, description="Secret detail")
    assert concern.shared_with_police
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sso-a@police.invalid"]
    assert f"/portal/concerns/{concern.pk}/" in message.body
    assert "Secret detail" not in message.body + message.subject
    assert concern.pupil_reference not in message.body + message.subject


def test_sharing_enqueues_only_after_commit(django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1


def test_the_send_task_is_sent_the_delivery_id_only(django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a):
    with (
        mock.patch("notifications.tasks.send_delivery.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    apply_async.assert_called_once_with((Delivery.objects.get(kind="shared-concern").pk,), retry=False)


def test_sharing_records_the_notice_pending_with_the_share(
    django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a
):
    with django_capture_on_commit_callbacks(execute=False):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.object_key, delivery.recipient) == (
        "shared-concern",
        f"concern:{concern_a.pk}",
        "sso-a@police.invalid",
    )
    assert (delivery.status, delivery.attempts, delivery.due_on) == (DeliveryStatus.PENDING, 0, timezone.localdate())


def test_sharing_records_and_sends_one_notice_per_posted_officer(
    django_capture_on_commit_callbacks, dsl_a, school_a, concern_a, sso_a
):
    other = UserFactory(username="sso-a2", email="sso-a2@police.invalid")
    PostingFactory(officer=OfficerFactory(user=other), school=school_a, start_date=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    assert sorted(message.to for message in mail.outbox) == [["sso-a2@police.invalid"], ["sso-a@police.invalid"]]
    deliveries = Delivery.objects.filter(kind="shared-concern", object_key=f"concern:{concern_a.pk}")
    assert sorted(deliveries.values_list("recipient", "status")) == [
        ("sso-a2@police.invalid", DeliveryStatus.SENT),
        ("sso-a@police.invalid", DeliveryStatus.SENT),
    ]


def test_a_notice_that_could_not_be_sent_is_recorded_as_failed_and_the_share_stands(
    django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a
):
    from smtplib import SMTPServerDisconnected

    with (
        mock.patch("notifications.sending.send_mail", side_effect=SMTPServerDisconnected("connection lost")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    concern_a.refresh_from_db()
    assert concern_a.shared_with_police
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == "SMTPServerDisconnected: connection lost"


def test_a_notify_task_queued_before_notices_were_recorded_sends_each_notice_once(
    django_capture_on_commit_callbacks, dsl_a, shared_concern_a, sso_a
):
    from safeguarding.tasks import notify_officers_of_shared_concern

    with django_capture_on_commit_callbacks(execute=True):
        notify_officers_of_shared_concern.apply(args=(shared_concern_a.pk,))
        notify_officers_of_shared_concern.apply(args=(shared_concern_a.pk,))
    assert [message.to for message in mail.outbox] == [["sso-a@police.invalid"]]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_sharing_twice_notifies_once(django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a):
    with django_capture_on_commit_callbacks(execute=True):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    assert len(mail.outbox) == 1


def test_officers_whose_posting_ended_are_not_notified(django_capture_on_commit_callbacks, dsl_a, concern_a, sso_a):
    sso_a.officer.postings.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_a))
    assert mail.outbox == []


def test_sso_cannot_change_status(sso_a, shared_concern_a):
    with pytest.raises(PermissionDenied):
        services.change_concern_status(
            concern=shared_concern_a, roles=PortalRoles(sso_a), status=ConcernStatus.UNDER_REVIEW
        )


def test_closing_needs_an_outcome(dsl_a, concern_a):
    with pytest.raises(ValidationError) as error:
        services.change_concern_status(concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.CLOSED)
    assert "outcome" in error.value.message_dict
    concern_a.refresh_from_db()
    assert concern_a.status == ConcernStatus.OPEN


def test_closing_with_an_outcome_adds_a_chronology_entry_and_audit(dsl_a, concern_a):
    services.change_concern_status(
        concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.CLOSED, outcome=Outcome.EARLY_HELP
    )
    concern_a.refresh_from_db()
    assert (concern_a.status, concern_a.outcome) == (ConcernStatus.CLOSED, Outcome.EARLY_HELP)
    assert "Closed" in concern_a.actions.get().summary
    entry = ConcernAuditEntry.objects.get(concern=concern_a, event=AuditEvent.CHANGED)
    assert entry.fields == "status,outcome"


def test_a_move_outside_the_workflow_is_refused(dsl_a, concern_a):
    services.change_concern_status(concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.REFERRED)
    with pytest.raises(ValidationError):
        services.change_concern_status(concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.OPEN)


def test_reopening_a_closed_concern_clears_its_outcome(dsl_a, concern_a):
    services.change_concern_status(
        concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.CLOSED, outcome=Outcome.OTHER
    )
    services.change_concern_status(concern=concern_a, roles=PortalRoles(dsl_a), status=ConcernStatus.OPEN)
    concern_a.refresh_from_db()
    assert (concern_a.status, concern_a.outcome) == (ConcernStatus.OPEN, "")


def test_sso_adds_an_action_to_a_shared_concern(sso_a, shared_concern_a):
    action = services.add_concern_action(
        concern=shared_concern_a, roles=PortalRoles(sso_a), taken_on=timezone.localdate(), summary="Visited school"
    )
    assert action.recorded_by == sso_a


def test_an_action_dated_tomorrow_is_refused(dsl_a, concern_a):
    with pytest.raises(ValidationError):
        services.add_concern_action(
            concern=concern_a,
            roles=PortalRoles(dsl_a),
            taken_on=timezone.localdate() + datetime.timedelta(days=1),
            summary="x",
        )


def test_an_action_dated_today_is_accepted(dsl_a, concern_a):
    services.add_concern_action(
        concern=concern_a, roles=PortalRoles(dsl_a), taken_on=timezone.localdate(), summary="Called"
    )
    assert concern_a.actions.count() == 1


def test_attachment_is_stored_privately_under_a_random_name(dsl_a, concern_a, settings):
    upload = SimpleUploadedFile("pupil-name.pdf", b"%PDF-1.7 fictional", content_type="application/pdf")
    attachment = services.add_concern_attachment(concern=concern_a, roles=PortalRoles(dsl_a), upload=upload)
    assert attachment.original_name == "pupil-name.pdf"
    assert "pupil-name" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_an_invalid_attachment_leaves_no_concern_behind(dsl_a, school_a):
    upload = SimpleUploadedFile("notes.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        _create(dsl_a, school_a, attachment=upload)
    assert not Concern.objects.exists()


def test_confirming_contact_details_updates_every_current_contact_of_the_user(dsl_a, school_b):
    from tests.factories.schools import DSLContactFactory

    DSLContactFactory(school=school_b, user=dsl_a, role="deputy")
    services.confirm_dsl_contacts(user=dsl_a, name="Dana Lead", email="dana@school.invalid", phone="01234 567890")
    contacts = DSLContact.objects.filter(user=dsl_a)
    assert {c.last_confirmed_on for c in contacts} == {timezone.localdate()}
    assert {c.email for c in contacts} == {"dana@school.invalid"}


def test_confirming_needs_a_current_contact(sso_a):
    with pytest.raises(PermissionDenied):
        services.confirm_dsl_contacts(user=sso_a, name="X", email="x@example.org", phone="")


def test_recording_access_refuses_an_event_that_is_not_a_read(concern_a, dsl_a):
    from safeguarding.services import record_concern_access

    with pytest.raises(ValueError, match="not a read"):
        record_concern_access(concern=concern_a, user=dsl_a, event=AuditEvent.CHANGED)

    assert not ConcernAuditEntry.objects.filter(event=AuditEvent.CHANGED).exists()


def test_a_concern_still_open_cannot_have_an_outcome(concern_a):
    concern_a.outcome = Outcome.MONITORING

    with pytest.raises(ValidationError) as refused:
        concern_a.full_clean()

    assert refused.value.message_dict["outcome"] == ["Only a closed concern has an outcome."]
