"""The council API's OpenAPI contract: the bearer scheme, and a post-processing hook that adds
what every operation shares (error responses with one body shape, conditional requests, the
``servers`` entry) and marks every output field required, since every field is always present."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .examples import COMPONENT_EXAMPLES, LIST_EXAMPLES, list_example
from .pagination import StablePageNumberPagination
from .parameters import PATTERNS

# The parameters holding a public code, by name (their filters enforce the same pattern).
PARAMETER_KINDS = {
    "local_authority": "gss_code",
    "ward": "gss_code",
    "school": "urn",
    "urn": "urn",
    "bcu": "bcu_code",
    "since": "cursor",
}

API_PREFIX = "/api/v1/"

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every error response.",
    "required": ["status", "code", "detail", "errors"],
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code, repeated.", "example": 400},
        "code": {
            "type": "string",
            "description": "A stable word for the kind of error: invalid, not_authenticated, authentication_failed, "
            "permission_denied, not_found or throttled (more may be added).",
            "example": "invalid",
        },
        "detail": {"type": "string", "description": "A sentence for people.", "example": "Not found."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "On a 400, each invalid query parameter with its messages; empty otherwise.",
            "example": {"page_size": ["Enter a whole number from 1 to 500."]},
        },
    },
}

_ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_ETAG = {
    "description": "A strong validator of this response: send it back as If-None-Match to get a 304 when "
    "nothing changed.",
    "schema": {"type": "string"},
    "required": True,
}
ERROR_RESPONSES = {
    "400": {"description": "A query parameter is not valid (each named in `errors`).", "content": _ERROR_BODY},
    "401": {
        "description": "No token, or a token that is invalid, expired or revoked.",
        "headers": {
            "WWW-Authenticate": {"schema": {"type": "string"}, "required": True, "description": 'Bearer realm="api"'}
        },
        "content": _ERROR_BODY,
    },
    "403": {"description": "The client is not granted the scope this endpoint needs.", "content": _ERROR_BODY},
    "404": {
        "description": "No such record among the client's, or a page past the last.",
        "content": _ERROR_BODY,
    },
    "429": {
        "description": "The client's request rate is exceeded.",
        "headers": {
            "Retry-After": {
                "schema": {"type": "integer", "minimum": 1},
                "required": True,
                "description": "Seconds to wait before trying again.",
            }
        },
        "content": _ERROR_BODY,
    },
}
NOT_MODIFIED = {
    "description": "Not modified: the If-None-Match ETag is still the current one (no body).",
    "headers": {"ETag": _ETAG},
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "The ETag of a response you already hold: a 304 with no body if it is still current.",
    "schema": {"type": "string"},
}
LINK = {
    "description": 'RFC 8288 links to the next and previous pages (rel="next", rel="prev"), when there are any.',
    "schema": {"type": "string"},
    "required": False,
}
ENUM_POLICY = (
    " New values are added to an enum only in a new minor version of the API, listed in the API changelog "
    "at least 90 days before they are first served."
)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "councilBearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A council client token, issued with `manage.py create_api_token`.",
        }


def council_contract_hook(result, generator, request, public):
    """drf-spectacular post-processing: the shared parts of every council operation."""
    result["servers"] = [{"url": "/", "description": "The portal serving this schema (paths start /api/v1/)."}]
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name, schema in schemas.items():
        if "properties" in schema:
            # Every field of every response object is always present (null where declared nullable).
            schema["required"] = list(schema["properties"])
        if name in COMPONENT_EXAMPLES:
            schema["example"] = COMPONENT_EXAMPLES[name]
        if name in LIST_EXAMPLES:
            schema["example"] = list_example(*LIST_EXAMPLES[name])
        if "enum" in schema and ENUM_POLICY not in schema.get("description", ""):
            schema["description"] = (schema.get("description", "") + ENUM_POLICY).strip()
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _constrain(parameter)
            operation.setdefault("parameters", []).append(IF_NONE_MATCH)
            ok = operation["responses"]["200"]
            ok["headers"] = {"ETag": _ETAG}
            if any(
                parameter["name"] == StablePageNumberPagination.page_query_param
                for parameter in operation["parameters"]
            ):
                ok["headers"]["Link"] = LINK
            operation["responses"]["304"] = NOT_MODIFIED
            operation["responses"].update(ERROR_RESPONSES)
    return result


def _constrain(parameter: dict) -> None:
    """A code parameter gets its pattern; any other free-text query parameter at least one character
    (an empty value is a 400)."""
    schema = parameter["schema"]
    kind = PARAMETER_KINDS.get(parameter["name"])
    if kind is not None:
        schema["pattern"] = PATTERNS[kind][0]
    elif schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema["minLength"] = 1
