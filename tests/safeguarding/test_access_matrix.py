"""Every role against every portal page and method.

Expected outcomes: an HTTP status, "login" (redirected to sign in) or "redirect" (a 302 elsewhere:
a successful form post, or the statistics page for aggregate-only roles). The concern under test
belongs to school A and is shared with police unless the endpoint says otherwise.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.models import ConcernAttachment
from tests.factories.safeguarding import ConcernFactory, StaffReportFactory, TaskFactory

ROLES = ["anonymous", "manager", "council_reader", "plain_staff", "sso_a", "dsl_a", "dsl_b", "staff_a"]

# endpoint: (method, url name, which concern, form data)
ENDPOINTS = {
    "dashboard GET": ("get", "safeguarding:dashboard", None, None),
    "dashboard POST": ("post", "safeguarding:dashboard", None, {}),
    "list GET": ("get", "safeguarding:concern-list", None, None),
    "list POST": ("post", "safeguarding:concern-list", None, {}),
    "create GET": ("get", "safeguarding:concern-create", None, None),
    "create POST (invalid)": ("post", "safeguarding:concern-create", None, {}),
    "detail GET (shared)": ("get", "safeguarding:concern-detail", "shared", None),
    "detail GET (not shared)": ("get", "safeguarding:concern-detail", "unshared", None),
    "detail POST": ("post", "safeguarding:concern-detail", "shared", {}),
    "add action POST": (
        "post",
        "safeguarding:concern-add-action",
        "shared",
        {"action-taken_on": "2026-09-01", "action-summary": "Phoned parent"},
    ),
    "add action GET": ("get", "safeguarding:concern-add-action", "shared", None),
    "change status POST": ("post", "safeguarding:concern-change-status", "shared", {"status-status": "under_review"}),
    "share POST (not shared)": ("post", "safeguarding:concern-share", "unshared", {}),
    "share GET": ("get", "safeguarding:concern-share", "unshared", None),
    "send notices again POST": ("post", "safeguarding:concern-notices-again", "shared", {}),
    "send notices again GET": ("get", "safeguarding:concern-notices-again", "shared", None),
    "attachment GET": ("get", "safeguarding:attachment-download", "attachment", None),
    "attach POST (no file)": ("post", "safeguarding:concern-add-attachment", "shared", {}),
    "attach GET": ("get", "safeguarding:concern-add-attachment", "shared", None),
    "contact details GET": ("get", "safeguarding:contact-details", None, None),
    "contact details POST": (
        "post",
        "safeguarding:contact-details",
        None,
        {"name": "Dana Lead", "email": "dana@school.invalid", "phone": ""},
    ),
    "statistics GET": ("get", "safeguarding:statistics", None, None),
    "statistics POST": ("post", "safeguarding:statistics", None, {}),
    "access log GET": ("get", "safeguarding:access-log", None, None),
    "access log POST": ("post", "safeguarding:access-log", None, {}),
    # The school's safeguarding record.
    "staff reports GET": ("get", "safeguarding:staff-reports", None, None),
    "staff reports POST": ("post", "safeguarding:staff-reports", None, {}),
    "report GET": ("get", "safeguarding:staff-report-create", None, None),
    "report POST (invalid)": ("post", "safeguarding:staff-report-create", None, {}),
    "triage list GET": ("get", "safeguarding:triage", None, None),
    "triage list POST": ("post", "safeguarding:triage", None, {}),
    "triage report GET": ("get", "safeguarding:triage-report", "report", None),
    "triage report POST": ("post", "safeguarding:triage-report", "report", {}),
    "accept POST (invalid)": ("post", "safeguarding:triage-accept", "report", {}),
    "accept GET": ("get", "safeguarding:triage-accept", "report", None),
    "link POST (invalid)": ("post", "safeguarding:triage-link", "report", {}),
    "link GET": ("get", "safeguarding:triage-link", "report", None),
    "close POST (invalid)": ("post", "safeguarding:triage-close", "report", {}),
    "close GET": ("get", "safeguarding:triage-close", "report", None),
    "pupils GET": ("get", "safeguarding:pupil-list", None, None),
    "pupils POST": ("post", "safeguarding:pupil-list", None, {}),
    "pupil GET": ("get", "safeguarding:pupil-detail", "pupil", None),
    "pupil POST": ("post", "safeguarding:pupil-detail", "pupil", {}),
    "task create GET": ("get", "safeguarding:task-create", "pupil", None),
    "task create POST (invalid)": ("post", "safeguarding:task-create", "pupil", {}),
    "my tasks GET": ("get", "safeguarding:my-tasks", None, None),
    "my tasks POST": ("post", "safeguarding:my-tasks", None, {}),
    "task done POST": ("post", "safeguarding:task-complete", "task", {}),
    "task done GET": ("get", "safeguarding:task-complete", "task", None),
    "body map GET": ("get", "safeguarding:body-map", "shared", None),
    "body map POST (invalid)": ("post", "safeguarding:body-map", "shared", {}),
}

# role order: anonymous, manager, council_reader, plain_staff, sso_a, dsl_a, dsl_b, staff_a
EXPECTED = {
    "dashboard GET": ["login", "redirect", "redirect", 403, 200, 200, 200, "redirect"],
    "dashboard POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "list GET": ["login", 403, 403, 403, 200, 200, 200, 403],
    "list POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "create GET": ["login", 403, 403, 403, 403, 200, 200, 403],
    "create POST (invalid)": ["login", 403, 403, 403, 403, 200, 200, 403],
    "detail GET (shared)": ["login", 403, 403, 403, 200, 200, 404, 403],
    "detail GET (not shared)": ["login", 403, 403, 403, 404, 200, 404, 403],
    "detail POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "add action POST": ["login", 403, 403, 403, "redirect", "redirect", 404, 403],
    "add action GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "change status POST": ["login", 403, 403, 403, 403, "redirect", 404, 403],
    "share POST (not shared)": ["login", 403, 403, 403, 404, "redirect", 404, 403],
    "share GET": [405, 405, 405, 405, 405, 405, 405, 405],
    # The officer sees the concern but may not act on its notices; another school's DSL gets 404.
    "send notices again POST": ["login", 403, 403, 403, 403, "redirect", 404, 403],
    "send notices again GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "attachment GET": ["login", 403, 403, 403, 200, 200, 404, 403],
    "attach POST (no file)": ["login", 403, 403, 403, 403, 200, 404, 403],
    "attach GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "contact details GET": ["login", 403, 403, 403, 403, 200, 200, 403],
    "contact details POST": ["login", 403, 403, 403, 403, "redirect", "redirect", 403],
    "statistics GET": ["login", 200, 200, 403, 403, 403, 403, 403],
    "statistics POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "access log GET": ["login", 403, 403, 403, 403, 200, 200, 403],
    "access log POST": [405, 405, 405, 405, 405, 405, 405, 405],
    # A member of staff reports to the DSL and sees their own reports and tasks, nothing else.
    "staff reports GET": ["login", 403, 403, 403, 403, 200, 200, 200],
    "staff reports POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "report GET": ["login", 403, 403, 403, 403, 200, 200, 200],
    "report POST (invalid)": ["login", 403, 403, 403, 403, 200, 200, 200],
    "triage list GET": ["login", 403, 403, 403, 403, 200, 200, 403],
    "triage list POST": [405, 405, 405, 405, 405, 405, 405, 405],
    # School A's report, by a member of its staff: another school's DSL gets 404.
    "triage report GET": ["login", 403, 403, 403, 403, 200, 404, 403],
    "triage report POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "accept POST (invalid)": ["login", 403, 403, 403, 403, 200, 404, 403],
    "accept GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "link POST (invalid)": ["login", 403, 403, 403, 403, 200, 404, 403],
    "link GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "close POST (invalid)": ["login", 403, 403, 403, 403, 200, 404, 403],
    "close GET": [405, 405, 405, 405, 405, 405, 405, 405],
    "pupils GET": ["login", 403, 403, 403, 403, 200, 200, 403],
    "pupils POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "pupil GET": ["login", 403, 403, 403, 403, 200, 404, 403],
    "pupil POST": [405, 405, 405, 405, 405, 405, 405, 405],
    "task create GET": ["login", 403, 403, 403, 403, 200, 404, 403],
    "task create POST (invalid)": ["login", 403, 403, 403, 403, 200, 404, 403],
    "my tasks GET": ["login", 403, 403, 403, 403, 200, 200, 200],
    "my tasks POST": [405, 405, 405, 405, 405, 405, 405, 405],
    # School A's task for the member of staff: they or a DSL of the school mark it done.
    "task done POST": ["login", 403, 403, 403, 403, "redirect", 404, "redirect"],
    "task done GET": [405, 405, 405, 405, 405, 405, 405, 405],
    # The SSO reads the shared concern but not its body map; staff only once their report is on it.
    "body map GET": ["login", 403, 403, 403, 403, 200, 404, 404],
    "body map POST (invalid)": ["login", 403, 403, 403, 403, 200, 404, 404],
}

CASES = [(endpoint, role, EXPECTED[endpoint][i]) for endpoint in ENDPOINTS for i, role in enumerate(ROLES)]


def test_matrix_covers_every_portal_url():
    from safeguarding.urls import urlpatterns

    covered = {url_name.split(":")[1] for _, url_name, _, _ in ENDPOINTS.values()}
    assert covered == {pattern.name for pattern in urlpatterns}


@pytest.mark.parametrize(("endpoint", "role", "expected"), CASES, ids=[f"{e} as {r}" for e, r, _ in CASES])
def test_access(request, client, endpoint, role, expected, school_a, dsl_a, dsl_b, sso_a, staff_a):
    method, url_name, which, data = ENDPOINTS[endpoint]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    kwargs = {}
    if which == "report":
        kwargs["report_id"] = StaffReportFactory(school=school_a).pk
    elif which == "pupil":
        kwargs["pupil_id"] = ConcernFactory(school=school_a, logged_by=dsl_a).pupil_id
    elif which == "task":
        pupil = ConcernFactory(school=school_a, logged_by=dsl_a).pupil
        kwargs["task_id"] = TaskFactory(pupil=pupil, assigned_to=staff_a).pk
    elif which == "unshared":
        kwargs["concern_id"] = ConcernFactory(school=school_a, logged_by=dsl_a).pk
    elif which in ("shared", "attachment"):
        concern = request.getfixturevalue("shared_concern_a")
        kwargs["concern_id"] = concern.pk
        if which == "attachment":
            attachment = ConcernAttachment.objects.create(
                concern=concern,
                file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 test"),
                original_name="note.pdf",
                content_type="application/pdf",
                size=13,
                uploaded_by=dsl_a,
            )
            kwargs["attachment_id"] = attachment.pk
    url = reverse(url_name, kwargs=kwargs)

    response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)

    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == "redirect":
        assert response.status_code == 302
        assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


def test_dsl_of_school_a_does_not_see_school_b_concerns_in_the_list(client, dsl_a, concern_a, concern_b):
    client.force_login(dsl_a)
    response = client.get(reverse("safeguarding:concern-list"))
    shown = [concern.pk for concern in response.context["page"].object_list]
    assert shown == [concern_a.pk]


def test_dsl_cannot_filter_the_list_to_another_schools_concerns(client, dsl_a, concern_b):
    client.force_login(dsl_a)
    response = client.get(reverse("safeguarding:concern-list"), {"school": concern_b.school_id})
    assert list(response.context["page"].object_list) == []
    assert "school" in response.context["filter"].form.errors


def test_sso_list_shows_only_shared_concerns_of_their_schools(client, sso_a, concern_a, shared_concern_a, concern_b):
    client.force_login(sso_a)
    response = client.get(reverse("safeguarding:concern-list"))
    assert [concern.pk for concern in response.context["page"].object_list] == [shared_concern_a.pk]
