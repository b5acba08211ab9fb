import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from safeguarding.demo import DEMO_PASSWORD, DEMO_SSO_USERNAME
from safeguarding.models import Concern, ConcernAction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_demo_prints_working_dsl_and_sso_logins(demo):
    output = demo.output
    assert f"dsl.demo / {DEMO_PASSWORD}" in output
    assert f"{DEMO_SSO_USERNAME} / {DEMO_PASSWORD}" in output
    dsl, sso = Client(), Client()
    for client, username in [(dsl, "dsl.demo"), (sso, DEMO_SSO_USERNAME)]:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        client.force_login(user)
    dsl_sees = dsl.get(reverse("safeguarding:concern-list")).context["page"].paginator.count
    sso_page = sso.get(reverse("safeguarding:concern-list")).context["page"]
    assert dsl_sees > sso_page.paginator.count > 0
    assert all(concern.shared_with_police for concern in sso_page.object_list)


def test_a_second_demo_load_creates_nothing(demo, capsys):
    counts = (Concern.objects.count(), ConcernAction.objects.count())
    call_command("load_demo")
    assert "Safeguarding: created 0 users, 0 concerns, 0 chronology actions" in capsys.readouterr().out
    assert (Concern.objects.count(), ConcernAction.objects.count()) == counts


def test_demo_council_reader_sees_the_statistics_of_riverbank_schools_only(demo):
    from safeguarding.demo import DEMO_COUNCIL_READER_USERNAME
    from schools.models import School

    assert f"{DEMO_COUNCIL_READER_USERNAME} / {DEMO_PASSWORD}" in demo.output
    reader = get_user_model().objects.get(username=DEMO_COUNCIL_READER_USERNAME)
    assert reader.check_password(DEMO_PASSWORD)
    client = Client()
    client.force_login(reader)
    rows = client.get(reverse("safeguarding:statistics")).context["rows"]
    riverbank = set(School.objects.open().filter(local_authority__name="Riverbank").values_list("urn", flat=True))
    assert {row["urn"] for row in rows} == riverbank != set()


def test_demo_staff_login_sees_their_reports_and_the_dsl_the_record(demo):
    from safeguarding.demo import DEMO_STAFF_USERNAME
    from safeguarding.models import BodyMapMark, Pupil, StaffReport, Task

    assert f"{DEMO_STAFF_USERNAME} / {DEMO_PASSWORD}" in demo.output
    staff = get_user_model().objects.get(username=DEMO_STAFF_USERNAME)
    client = Client()
    client.force_login(staff)
    reports = client.get(reverse("safeguarding:staff-reports")).context["page"].object_list
    assert {report.status for report in reports} == {"new", "accepted", "linked", "closed"}
    assert Task.objects.filter(assigned_to=staff).exists()
    assert BodyMapMark.objects.count() == 2
    assert StaffReport.objects.count() == 4
    dsl = Client()
    dsl.force_login(get_user_model().objects.get(username="dsl.demo"))
    pupil = Pupil.objects.get(reference="RB-2026-045")
    entries = dsl.get(reverse("safeguarding:pupil-detail", args=[pupil.pk])).context["entries"]
    assert {entry.category for entry in entries} >= {"concern", "action", "report", "task", "bodymap"}
    assert len(dsl.get(reverse("safeguarding:dashboard")).context["overdue_tasks"]) == 1
