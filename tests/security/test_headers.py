"""Security headers on every area of the portal: a strict Content-Security-Policy, a
Permissions-Policy that denies powerful browser features, and ``Cache-Control: no-store``.

Each area is one page, file or API answer, fetched as a role that may see it."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import simple_history
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import issue_api_token
from tests.factories.api import ApiClientFactory
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.roles import council_reader
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory
from tests.factories.searches import SearchRecordFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


def _as(client, user):
    client.force_login(user)
    return client


def _dsl(client):
    user = UserFactory()
    contact = DSLContactFactory(user=user)
    return _as(client, user), contact.school


def _home(client):
    return client.get(reverse("home"))


def _login(client):
    return client.get(reverse("login"))


def _failed_sign_in(client):
    return client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})


def _portal_dashboard(client):
    client, _ = _dsl(client)
    return client.get(reverse("safeguarding:dashboard"))


def _portal_concern(client):
    client, school = _dsl(client)
    concern = ConcernFactory(school=school)
    return client.get(reverse("safeguarding:concern-detail", args=[concern.pk]))


def _portal_attachment(client):
    from safeguarding.models import ConcernAttachment

    client, school = _dsl(client)
    concern = ConcernFactory(school=school)
    attachment = ConcernAttachment.objects.create(
        concern=concern,
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 fictional"),
        original_name="note.pdf",
        content_type="application/pdf",
        size=18,
        uploaded_by=concern.logged_by,
    )
    return client.get(reverse("safeguarding:attachment-download", args=[concern.pk, attachment.pk]))


def _portal_not_found(client):
    client, _ = _dsl(client)
    return client.get(reverse("safeguarding:concern-detail", args=[999999]))


def _concern_statistics(client):
    return _as(client, BCUManagerFactory()).get(reverse("safeguarding:statistics"))


def _search_summary(client):
    return _as(client, council_reader()).get(reverse("searches:summary"))


def _admin_index(client):
    # A BCU manager's landing page (the admin index sends them on to it).
    return _as(client, BCUManagerFactory()).get(reverse("admin:index"), follow=True)


def _admin_login(client):
    return client.get(reverse("admin:login"))


def _admin_changelist(client):
    SchoolFactory()
    return _as(client, BCUManagerFactory()).get(reverse("admin:schools_school_changelist"))


def _admin_search_record(client):
    record = SearchRecordFactory()
    return _as(client, BCUManagerFactory()).get(reverse("admin:searches_searchrecord_change", args=[record.pk]))


def _search_report(client):
    return _as(client, BCUManagerFactory()).get(reverse("admin:searches_searchrecord_report"), OCTOBER)


def _search_report_csv(client):
    return _as(client, BCUManagerFactory()).get(
        reverse("admin:searches_searchrecord_report_csv"), {**OCTOBER, "group_by": "age_band"}
    )


def _priority_csv(client):
    return _as(client, BCUManagerFactory()).get(reverse("admin:priorities_priorityscore_export"))


def _api_client() -> APIClient:
    school = SchoolFactory()
    _, secret = issue_api_token(client=ApiClientFactory(local_authorities=[school.local_authority]))
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return http


def _api_list(client):
    return _api_client().get(reverse("v1:school-list"))


def _api_without_token(client):
    return client.get(reverse("v1:school-list"))


def _api_docs(client):
    return client.get(reverse("api-docs"))


def _health(client):
    return client.get(reverse("health"))


AREAS: dict[str, Callable] = {
    "home": _home,
    "sign-in page": _login,
    "failed sign-in": _failed_sign_in,
    "portal dashboard": _portal_dashboard,
    "portal concern": _portal_concern,
    "portal attachment download": _portal_attachment,
    "portal page not found": _portal_not_found,
    "concern statistics": _concern_statistics,
    "search summary": _search_summary,
    "admin index": _admin_index,
    "admin sign-in page": _admin_login,
    "admin list": _admin_changelist,
    "admin search record": _admin_search_record,
    "search report": _search_report,
    "search report CSV": _search_report_csv,
    "priority list CSV": _priority_csv,
    "council API list": _api_list,
    "council API without a token": _api_without_token,
    "API documentation": _api_docs,
    "health": _health,
}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(params=list(AREAS), ids=list(AREAS))
def response(request, client):
    response = AREAS[request.param](client)
    assert response.status_code in (200, 401, 404), response.status_code
    return response


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def test_every_area_sends_a_strict_content_security_policy(response):
    directives = policy(response)

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    sources = {source for values in directives.values() for source in values}
    assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"}


def test_every_area_loads_images_from_the_portal_only_except_the_api_documentation(request, response):
    expected = ["'self'", "data:"] if request.node.callspec.id == "API documentation" else ["'self'"]

    assert policy(response)["img-src"] == expected


def test_every_area_denies_powerful_browser_features(response):
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"):
        assert features[feature] == "()", feature


def test_every_area_forbids_storing_the_response(response):
    assert "no-store" in response["Cache-Control"].split(", ")


def test_every_area_refuses_to_be_framed_and_sends_no_referrer_elsewhere(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_council_api_is_private_and_no_store_and_still_answers_304_to_a_matching_etag(db):
    http = _api_client()
    first = http.get(reverse("v1:school-list"))

    again = http.get(reverse("v1:school-list"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "private, no-store"
    assert again.status_code == 304


def test_static_files_stay_cacheable(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = client.get("/static/js/portal.js")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_documentation_loads_its_script_from_the_portal(client):
    page = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs") + "?script=")

    assert f'src="{reverse("api-docs")}?script="' in page
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


# Templates: nothing the policy would block.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def project_templates() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html") if ".venv" not in path.parts)


@pytest.mark.parametrize("path", project_templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_script_style_or_event_handler(path):
    text = path.read_text()

    for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER, JAVASCRIPT_URL):
        assert not pattern.search(text), f"{pattern.pattern} in {path.relative_to(ROOT)}"


def test_the_one_allowed_inline_style_hash_is_django_simple_historys_paginator():
    template = Path(simple_history.__file__).parent / "templates" / "simple_history" / "object_history_list.html"
    value = re.search(r'<p class="paginator" style="([^"]*)"', template.read_text()).group(1)
    digest = base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()

    allowed = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"]

    assert allowed == ["'unsafe-hashes'", f"'sha256-{digest}'"]
