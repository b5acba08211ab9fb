"""The transfer page's actions refuse the roles and the input they are not for."""

import pytest
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from casework.models import TransferStatus
from tests.factories.casework import FileTransferFactory

pytestmark = pytest.mark.django_db


def test_an_sso_cannot_acknowledge_a_transferred_file(client, sso_a, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_b, to_school=school_a)
    client.force_login(sso_a)

    response = client.post(reverse("casework:transfer-acknowledge", args=[transfer.pk]), {"new_pupil_reference": "A1"})

    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT


def test_acknowledging_under_a_reference_that_holds_another_file_shows_a_field_message(
    client, dsl_b, school_a, school_b
):
    earlier = FileTransferFactory(from_school=school_a, to_school=school_b)
    services.acknowledge_file_transfer(transfer=earlier, roles=PortalRoles(dsl_b), new_pupil_reference="BI-7")
    later = FileTransferFactory(from_school=school_a, to_school=school_b)
    client.force_login(dsl_b)

    response = client.post(reverse("casework:transfer-acknowledge", args=[later.pk]), {"new_pupil_reference": "BI-7"})

    assert response.status_code == 400
    assert response.context["acknowledge_form"].errors["new_pupil_reference"] == [
        "This reference already holds another transferred file: check the reference"
    ]
    later.refresh_from_db()
    assert later.status != TransferStatus.ACKNOWLEDGED


def test_the_sending_dsl_cannot_record_a_receipt_for_a_transfer_inside_the_portal(client, dsl_a, school_a, school_b):
    transfer = FileTransferFactory(from_school=school_a, to_school=school_b)
    client.force_login(dsl_a)

    response = client.post(
        reverse("casework:transfer-receipt", args=[transfer.pk]),
        {"confirmed_by": "Ms Reed", "confirmed_on": timezone.localdate().strftime("%d %m %Y")},
    )

    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.receipt_confirmed_by == ""
