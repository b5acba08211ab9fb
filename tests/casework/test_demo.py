import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from casework.models import FileTransfer, PoliceAttendance, ProfessionalChallenge, TransferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_demo_has_each_kind_of_casework_record(demo):
    assert {t.status for t in FileTransfer.objects.all()} == {TransferStatus.SENT, TransferStatus.ACKNOWLEDGED}
    assert FileTransfer.objects.filter(to_school__isnull=True).exists()
    assert PoliceAttendance.objects.filter(school_challenged=True).exists()
    assert set(ProfessionalChallenge.objects.values_list("stage", flat=True)) == {
        "practitioner",
        "manager",
        "partnership",
    }
    assert "Casework" in demo.output


def test_each_demo_dsl_sees_a_transfer_sent_to_their_school(demo):
    for username in ("dsl.demo", "dsl.demo2"):
        incoming = _client(username).get(reverse("casework:transfer-list")).context["incoming"]
        assert incoming.paginator.count >= 1, username


def test_the_demo_council_reader_sees_challenge_counts(demo):
    response = _client("council.demo").get(reverse("casework:challenge-statistics"))
    assert response.status_code == 200
