"""Least privilege between BCUs on the admin pages the URL matrix does not post to: training records,
suitability assessments, and the list's "delete selected" action."""

import pytest
from django.urls import reverse

from officers.models import Officer, SuitabilityAssessment, TrainingRecord
from tests.factories.officers import (
    BCUFactory,
    BCUManagerFactory,
    OfficerFactory,
    SuitabilityAssessmentFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def riverbank():
    return BCUFactory(name="Riverbank BCU")


@pytest.fixture
def hartwell():
    return BCUFactory(name="Hartwell BCU")


@pytest.fixture
def client_of_riverbank(client, riverbank):
    client.force_login(BCUManagerFactory(bcus=[riverbank]))
    return client


RECORDS = {
    "trainingrecord": lambda bcu: TrainingRecordFactory(
        officer=OfficerFactory(bcu=bcu), course=TrainingCourseFactory()
    ),
    "suitabilityassessment": lambda bcu: SuitabilityAssessmentFactory(officer=OfficerFactory(bcu=bcu)),
}


@pytest.mark.parametrize("model", RECORDS)
def test_another_bcus_record_opens_read_only_and_cannot_be_deleted(client_of_riverbank, hartwell, model):
    record = RECORDS[model](hartwell)

    page = client_of_riverbank.get(reverse(f"admin:officers_{model}_change", args=[record.pk]))
    deleted = client_of_riverbank.post(reverse(f"admin:officers_{model}_delete", args=[record.pk]), {"post": "yes"})

    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert deleted.status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", RECORDS)
def test_a_record_of_the_managers_bcu_opens_for_change(client_of_riverbank, riverbank, model):
    record = RECORDS[model](riverbank)

    page = client_of_riverbank.get(reverse(f"admin:officers_{model}_change", args=[record.pk]))

    assert b'name="_save"' in page.content


@pytest.mark.parametrize("model", RECORDS)
def test_the_officer_chooser_offers_only_the_managers_officers(client_of_riverbank, riverbank, hartwell, model):
    mine, theirs = OfficerFactory(bcu=riverbank), OfficerFactory(bcu=hartwell)

    field = client_of_riverbank.get(reverse(f"admin:officers_{model}_add")).context["adminform"].form.fields["officer"]

    assert set(field.queryset) == {mine}
    assert theirs not in field.queryset


def test_delete_selected_with_another_bcus_officer_among_them_deletes_nothing(
    client_of_riverbank, riverbank, hartwell
):
    officers = [OfficerFactory(bcu=riverbank), OfficerFactory(bcu=hartwell)]
    data = {"action": "delete_selected", "_selected_action": [o.pk for o in officers], "post": "yes"}

    response = client_of_riverbank.post(reverse("admin:officers_officer_changelist"), data)

    assert response.status_code == 403
    assert Officer.objects.filter(pk__in=[o.pk for o in officers]).count() == 2


def test_delete_selected_of_the_managers_own_officers_deletes_them(client_of_riverbank, riverbank):
    officers = [OfficerFactory(bcu=riverbank), OfficerFactory(bcu=riverbank)]
    data = {"action": "delete_selected", "_selected_action": [o.pk for o in officers], "post": "yes"}

    response = client_of_riverbank.post(reverse("admin:officers_officer_changelist"), data)

    assert response.status_code == 302
    assert not Officer.objects.filter(pk__in=[o.pk for o in officers]).exists()


def test_the_officer_page_of_another_bcu_offers_no_inline_to_add_or_change(client_of_riverbank, hartwell):
    officer = OfficerFactory(bcu=hartwell)
    TrainingRecordFactory(officer=officer, course=TrainingCourseFactory())

    response = client_of_riverbank.get(reverse("admin:officers_officer_change", args=[officer.pk]))

    assert 'name="training_records-0-completed_on"' not in response.content.decode()
    inlines = response.context["inline_admin_formsets"]
    assert inlines and not any(inline.has_add_permission or inline.has_change_permission for inline in inlines)
    assert TrainingRecord.objects.count() == 1 and SuitabilityAssessment.objects.count() == 0
