import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from casework.models import FileTransfer, TransferAuditEntry, TransferEvent, TransferMethod, TransferStatus
from safeguarding.models import Pupil
from tests.factories.casework import FileTransferFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _send(client, school, reference, urn):
    return client.post(
        reverse("casework:transfer-create"), {"school": school.pk, "pupil_reference": reference, "to_school_urn": urn}
    )


def test_a_dsl_sends_a_pupils_file_to_another_school_in_the_portal(client, dsl_a, pupil_a, school_a, school_b):
    client.force_login(dsl_a)
    response = _send(client, school_a, "al-2026-001", school_b.urn)
    transfer = FileTransfer.objects.get()
    assert response.status_code == 302
    assert (transfer.pupil, transfer.from_school, transfer.to_school) == (pupil_a, school_a, school_b)
    assert transfer.status == TransferStatus.SENT
    assert transfer.sent_by == dsl_a and transfer.sent_on == timezone.localdate()
    assert transfer.audit_entries.get().event == TransferEvent.SENT


def test_the_copy_holds_the_concerns_and_chronology_as_sent(client, dsl_a, pupil_a, school_a, school_b):
    client.force_login(dsl_a)
    _send(client, school_a, "AL-2026-001", school_b.urn)
    pupil_a.concerns.update(description="Changed after sending")
    (concern,) = FileTransfer.objects.get().snapshot["concerns"]
    assert concern["description"] == "Marker-transferred-concern"
    assert concern["actions"][0]["summary"] == "Marker-transferred-action"


def test_a_transfer_to_the_same_school_is_refused(client, dsl_a, pupil_a, school_a):
    client.force_login(dsl_a)
    response = _send(client, school_a, "AL-2026-001", school_a.urn)
    assert response.status_code == 200
    assert (
        "the file cannot be transferred to the school that holds it"
        in response.context["form"].errors["to_school_urn"][0]
    )
    assert not FileTransfer.objects.exists()


def test_the_model_refuses_a_transfer_to_the_same_school_too(dsl_a, pupil_a, school_a):
    transfer = FileTransfer(
        pupil=pupil_a, from_school=school_a, to_school=school_a, sent_on=timezone.localdate(), sent_by=dsl_a
    )
    with pytest.raises(Exception, match="cannot be transferred to the school that holds it"):
        transfer.full_clean()


def test_a_second_open_transfer_of_the_same_pupil_is_refused(client, dsl_a, pupil_a, school_a, school_b):
    client.force_login(dsl_a)
    _send(client, school_a, "AL-2026-001", school_b.urn)
    other = SchoolFactory(urn="900003")
    response = _send(client, school_a, "AL-2026-001", other.urn)
    form = response.context["form"]
    assert "already has a transfer that is not acknowledged" in form.errors["pupil_reference"][0]
    assert form.non_field_errors() == []  # said once, beside the field
    assert FileTransfer.objects.count() == 1


def test_a_pupil_can_move_again_once_the_first_transfer_is_acknowledged(dsl_a, dsl_b, pupil_a, school_a, school_b):
    first = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference=pupil_a.reference, to_school_urn=school_b.urn
    )
    services.acknowledge_file_transfer(transfer=first, roles=PortalRoles(dsl_b), new_pupil_reference="BI-1")
    other = SchoolFactory(urn="900004")
    second = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference=pupil_a.reference, to_school_urn=other.urn
    )
    assert second.status == TransferStatus.SENT


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"pupil_reference": "", "to_school_urn": "900002"}, "pupil_reference", "Enter the pupil reference"),
        ({"pupil_reference": "Jane Smith", "to_school_urn": "900002"}, "pupil_reference", "not a name"),
        ({"pupil_reference": "AL-2026-001", "to_school_urn": ""}, "to_school_urn", "Enter the new school's URN"),
        ({"pupil_reference": "AL-2026-001", "to_school_urn": "12ab"}, "to_school_urn", "6 to 8 digits"),
        ({"pupil_reference": "AL-2026-001", "to_school_urn": "999999"}, "to_school_urn", "No open school"),
        ({"pupil_reference": "AL-9999-999", "to_school_urn": "900002"}, "pupil_reference", "no safeguarding record"),
    ],
)
def test_bad_input_gets_field_messages_and_saves_nothing(
    client, dsl_a, pupil_a, school_a, school_b, data, field, message
):
    client.force_login(dsl_a)
    response = client.post(reverse("casework:transfer-create"), {"school": school_a.pk, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert b"There is a problem" in response.content
    assert not FileTransfer.objects.exists()


def test_a_dsl_cannot_send_another_schools_pupil(client, dsl_b, pupil_a, school_a, school_b):
    client.force_login(dsl_b)
    response = _send(client, school_a, "AL-2026-001", school_b.urn)
    assert "Choose one of your schools" in response.context["form"].errors["school"][0]
    assert not FileTransfer.objects.exists()


def test_the_receiving_school_sees_the_file_only_once_it_was_sent_to_it(
    client, dsl_a, dsl_b, pupil_a, school_a, school_b
):
    client.force_login(dsl_b)
    assert client.get(reverse("casework:transfer-list")).context["incoming"].paginator.count == 0
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    response = client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    assert response.status_code == 200
    assert b"Marker-transferred-concern" in response.content


def test_a_third_schools_dsl_does_not_see_the_transfer(client, dsl_a, pupil_a, school_a, school_b):
    from tests.factories.officers import UserFactory
    from tests.factories.schools import DSLContactFactory

    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    outsider = UserFactory()
    DSLContactFactory(user=outsider)
    client.force_login(outsider)
    assert client.get(reverse("casework:transfer-detail", args=[transfer.pk])).status_code == 404


def test_the_sending_school_sees_the_status_but_not_the_copy(client, dsl_a, pupil_a, school_a, school_b):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_a)
    response = client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    assert response.context["snapshot"] is None
    assert b"Marker-transferred-concern" not in response.content
    assert FileTransfer.objects.get().status == TransferStatus.SENT  # the sender's reading does not receive it


def test_the_first_opening_by_a_receiving_dsl_marks_it_received_and_every_read_is_audited(
    client, dsl_a, dsl_b, pupil_a, school_a, school_b
):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_b)
    client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED
    assert transfer.received_by == dsl_b and transfer.received_at is not None
    events = list(TransferAuditEntry.objects.filter(user=dsl_b).order_by("pk").values_list("event", flat=True))
    assert events == [TransferEvent.RECEIVED, TransferEvent.VIEWED, TransferEvent.VIEWED]


def test_the_sending_dsl_sees_who_read_the_file(client, dsl_a, dsl_b, pupil_a, school_a, school_b):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_b)
    client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    client.force_login(dsl_a)
    response = client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    assert "Read the transferred file, Bo Deputy" in response.content.decode()


def test_acknowledging_starts_the_new_schools_own_pupil_record(client, dsl_a, dsl_b, pupil_a, school_a, school_b):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_b)
    client.get(reverse("casework:transfer-detail", args=[transfer.pk]))
    response = client.post(
        reverse("casework:transfer-acknowledge", args=[transfer.pk]), {"new_pupil_reference": "bi-2026-77"}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert transfer.acknowledged_by == dsl_b
    assert transfer.receiving_pupil == Pupil.objects.get(school=school_b, reference="BI-2026-77")
    # The old school keeps its own record.
    assert Pupil.objects.filter(pk=pupil_a.pk, school=school_a).exists()
    assert pupil_a.concerns.count() == 1


def test_acknowledging_with_a_bad_reference_gets_a_field_message_and_changes_nothing(
    client, dsl_a, dsl_b, pupil_a, school_a, school_b
):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_b)
    response = client.post(reverse("casework:transfer-acknowledge", args=[transfer.pk]), {"new_pupil_reference": "A"})
    assert response.status_code == 400
    assert response.context["acknowledge_form"].errors["new_pupil_reference"]
    transfer.refresh_from_db()
    assert transfer.acknowledged_at is None and transfer.receiving_pupil is None
    assert not Pupil.objects.filter(school=school_b).exists()


def test_the_sending_school_cannot_acknowledge_its_own_transfer(client, dsl_a, pupil_a, school_a, school_b):
    transfer = services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference="AL-2026-001", to_school_urn=school_b.urn
    )
    client.force_login(dsl_a)
    response = client.post(reverse("casework:transfer-acknowledge", args=[transfer.pk]), {"new_pupil_reference": "X1"})
    assert response.status_code == 403
    assert FileTransfer.objects.get().status == TransferStatus.SENT


def test_a_file_sent_outside_the_portal_records_how_when_and_the_receipt(client, dsl_a, pupil_a, school_a):
    client.force_login(dsl_a)
    sent_on = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(
        reverse("casework:transfer-create-outside"),
        {
            "school": school_a.pk,
            "pupil_reference": "AL-2026-001",
            "outside_school_name": "Fellside Primary, Kendal",
            "method": TransferMethod.COURIER,
            **_date("sent_on", sent_on),
        },
    )
    assert response.status_code == 302
    transfer = FileTransfer.objects.get()
    assert (transfer.method, transfer.sent_on, transfer.to_school) == (TransferMethod.COURIER, sent_on, None)
    confirmed_on = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("casework:transfer-receipt", args=[transfer.pk]),
        {"confirmed_by": "J. Okafor, DSL", **_date("confirmed_on", confirmed_on)},
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    assert (transfer.receipt_confirmed_by, transfer.receipt_confirmed_on) == ("J. Okafor, DSL", confirmed_on)
    assert transfer.acknowledged_by == dsl_a


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"sent_on_day": "31", "sent_on_month": "2", "sent_on_year": "2026"}, "Date sent must be a real date"),
        ({"sent_on_day": "3", "sent_on_month": "", "sent_on_year": "2026"}, "Date sent must include a month"),
        ({}, "Enter the date the file was sent"),
        ({"sent_on_day": "1", "sent_on_month": "1", "sent_on_year": "2099"}, "must be today or in the past"),
    ],
)
def test_an_outside_transfer_with_a_bad_date_gets_a_field_message(client, dsl_a, pupil_a, school_a, dates, message):
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:transfer-create-outside"),
        {
            "school": school_a.pk,
            "pupil_reference": "AL-2026-001",
            "outside_school_name": "Fellside Primary, Kendal",
            "method": TransferMethod.BY_HAND,
            **dates,
        },
    )
    assert message in " ".join(response.context["form"].errors["sent_on"])
    assert not FileTransfer.objects.exists()


def test_a_receipt_before_the_file_was_sent_is_refused(client, dsl_a, pupil_a, school_a):
    transfer = services.record_outside_transfer(
        roles=PortalRoles(dsl_a),
        from_school=school_a,
        pupil_reference="AL-2026-001",
        outside_school_name="Fellside Primary",
        method=TransferMethod.SECURE_EMAIL,
        sent_on=timezone.localdate(),
    )
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:transfer-receipt", args=[transfer.pk]),
        {"confirmed_by": "J. Okafor", **_date("confirmed_on", timezone.localdate() - datetime.timedelta(days=2))},
    )
    assert response.status_code == 400
    assert "before the date the file was sent" in response.context["receipt_form"].errors["confirmed_on"][0]
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT and transfer.receipt_confirmed_on is None


def test_the_transfer_list_has_a_bounded_number_of_queries(client, dsl_a, school_a, django_assert_max_num_queries):
    client.force_login(dsl_a)
    url = reverse("casework:transfer-list")
    client.get(url)
    for _ in range(3):
        FileTransferFactory(from_school=school_a)
        FileTransferFactory(to_school=school_a)
    # Session, user, MFA device, the DSL's schools, incoming count and page, outgoing page, and the
    # session saved (each write in its savepoint): the same however many transfers there are.
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.context["incoming"].paginator.count == 3
    assert len(response.context["outgoing"]) == 3


def test_a_receipt_without_who_confirmed_it_gets_a_field_message(client, dsl_a, pupil_a, school_a):
    transfer = services.record_outside_transfer(
        roles=PortalRoles(dsl_a),
        from_school=school_a,
        pupil_reference="AL-2026-001",
        outside_school_name="Fellside Primary",
        method=TransferMethod.SECURE_EMAIL,
        sent_on=timezone.localdate(),
    )
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:transfer-receipt", args=[transfer.pk]),
        {"confirmed_by": "", **_date("confirmed_on", timezone.localdate())},
    )
    assert response.status_code == 400
    assert response.context["receipt_form"].errors["confirmed_by"] == ["Enter who confirmed receipt"]
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT
