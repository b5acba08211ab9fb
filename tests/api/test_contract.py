"""The council API's contract: one error body with its headers, the committed schema file, and
what the schema declares for every operation."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories.schools import SchoolFactory

from .conftest import make_council

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi-v1.yaml"
ERROR_KEYS = {"status", "code", "detail", "errors"}


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_committed_schema_file_is_the_generated_schema(tmp_path):
    # Every contract change is a reviewed diff of docs/api/openapi-v1.yaml: regenerate it with
    # `manage.py spectacular --file docs/api/openapi-v1.yaml` and commit it with the change.
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated))
    assert yaml.safe_load(SCHEMA_FILE.read_text()) == yaml.safe_load(generated.read_text()), (
        "docs/api/openapi-v1.yaml differs from the generated schema: regenerate it and review the diff"
    )


def test_no_token_is_401_with_the_challenge_and_the_error_body():
    response = APIClient().get("/api/v1/schools/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "errors": {},
    }


def test_a_missing_scope_is_403_with_the_error_body():
    council = make_council(scopes=["postings:read"])
    body = council.http.get("/api/v1/schools/").json()
    assert (body["status"], body["code"], body["errors"]) == (403, "permission_denied", {})


def test_a_school_outside_the_client_is_404_with_the_error_body(council):
    school = SchoolFactory()
    response = council.http.get(f"/api/v1/schools/{school.urn}/")
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}}


def test_an_unknown_path_under_the_api_is_a_json_404(council):
    response = council.http.get("/api/v1/postings/1.5/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert set(response.json()) == ERROR_KEYS


def test_an_unknown_path_without_a_token_is_401():
    assert APIClient().get("/api/v1/no-such-endpoint/").status_code == 401


def test_an_unknown_path_with_a_newline_is_a_json_404_too(council):
    response = council.http.get("/api/v1/schools/a%0Ab/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_throttled_is_429_with_retry_after_in_whole_seconds(council, settings):
    settings.API_THROTTLE_RATE = "1/min"
    council.http.get("/api/v1/schools/")
    response = council.http.get("/api/v1/schools/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"


def test_a_bad_parameter_is_400_naming_each_field(council):
    response = council.http.get("/api/v1/schools/", {"phase": "university", "ward": "nowhere"})
    body = response.json()
    assert (response.status_code, body["code"], sorted(body["errors"])) == (400, "invalid", ["phase", "ward"])
    assert body["errors"]["ward"] == ["Enter a GSS code: a capital letter and eight digits, e.g. E09000901."]


def test_an_empty_parameter_is_400(council):
    response = council.http.get("/api/v1/postings/", {"school": ""})
    assert response.json()["errors"] == {"school": ["Give a value, or leave the parameter out."]}


@pytest.mark.parametrize("value", ["yes", "1", "TRUE"])
def test_a_boolean_parameter_takes_true_or_false_only(council, value):
    assert council.http.get("/api/v1/postings/", {"current": value}).status_code == 400


def test_a_detail_answers_304_to_its_own_etag(council):
    school = SchoolFactory(local_authority=council.authority)
    first = council.http.get(f"/api/v1/schools/{school.urn}/")
    again = council.http.get(f"/api/v1/schools/{school.urn}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])


def _api_operations(schema: dict):
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/"):
            yield from ((path, operation) for operation in operations.values())


def test_every_operation_declares_its_errors_and_conditional_get():
    schema = _schema()
    for path, operation in _api_operations(schema):
        assert set(operation["responses"]) == {"200", "304", "400", "401", "403", "404", "429"}, path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "WWW-Authenticate" in operation["responses"]["401"]["headers"], path
        assert "Retry-After" in operation["responses"]["429"]["headers"], path
        assert "If-None-Match" in [parameter["name"] for parameter in operation["parameters"]], path
        assert operation["summary"], path


def test_every_output_field_is_required():
    for name, component in _schema()["components"]["schemas"].items():
        if "properties" in component:
            assert set(component["required"]) == set(component["properties"]), name


def test_paging_parameters_declare_their_bounds():
    parameters = {p["name"]: p["schema"] for p in _schema()["paths"]["/api/v1/schools/"]["get"]["parameters"]}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert "-urn" in parameters["ordering"]["enum"]
    assert "nonsense" not in parameters["ordering"]["enum"]


def test_the_schema_names_its_server_and_carries_no_placeholder_examples():
    schema = _schema()
    assert schema["servers"] == [{"url": "/", "description": schema["servers"][0]["description"]}]
    text = yaml.safe_dump(schema)
    assert "example.org" not in text
    assert "123" not in [str(value) for value in _examples(schema)]


def _examples(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "example":
                yield value
            yield from _examples(value)
    elif isinstance(node, list):
        for value in node:
            yield from _examples(value)


def test_every_response_component_has_a_demo_example_with_exactly_its_fields():
    schemas = _schema()["components"]["schemas"]
    for name, component in schemas.items():
        if "properties" in component:
            assert set(component["example"]) == set(component["properties"]), name
