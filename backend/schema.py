"""How the OpenAPI schema is generated, so that it says what the API does (docs/adr/0017).

- Every operation documents the errors it can answer, derived from the view by the rules in
  `ApiAutoSchema.error_statuses`, each with the one error shape (component `Error`). A view adds
  what no rule can see with `error_responses(...)` in its `extend_schema(responses=...)`.
- Operations are grouped by tag from their path (TAG_RULES) and carry a summary: the
  first sentence of the view's docstring unless `extend_schema(summary=...)` says otherwise.
- Strict serializers (backend.serializers.StrictSerializer) say `additionalProperties: false`,
  at every level, because they refuse unknown fields.
- An optional query parameter may be empty (`?wijk=`): DRF and our FilterSerializer read that
  as not given, and the schema says so (`allowEmptyValue`).
- Lists with a `pagination_class` are documented as pages with their cursor parameters by
  drf-spectacular itself; request bodies follow DEFAULT_PARSER_CLASSES (JSON only).
- The NL API Design Rules (`make api-lint`, docs/adr/0043): paths are relative to the server
  `/api/v1` (settings: SERVERS, SCHEMA_PATH_PREFIX_TRIM), every response documents the
  `API-Version` header, every error also offers `application/problem+json` (component
  `Problem`), and path parameters are named in camelCase in the document only
  (`nl_api_rules`): a path parameter's name is never sent, so no client sees the difference.
"""

import re
from collections.abc import Callable
from typing import Any

from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_doc
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from backend.api_errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE
from backend.api_version import API_VERSION, VERSION_HEADER
from backend.errors import CATALOGUE

API_PREFIX = "/api/v1/"
ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_CODE_COMPONENT = "ErrorCode"
PROBLEM_COMPONENT = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM_COMPONENT}"}
VERSION_HEADER_REF = {"$ref": f"#/components/headers/{VERSION_HEADER}"}
OPENAPI_JSON_PATH = "/openapi.json"
BODY_METHODS = ("POST", "PUT", "PATCH")

# Path (after /api/v1/) to tag, first match wins: one tag per audience and area.
TAG_RULES = [
    (r"openapi\.json", "api"),
    (r"me/notification-preferences", "devices"),
    (r"auth/.*|me", "auth"),
    (r"signals/\{signal_id\}/withdraw-consent", "signals"),  # signaller, team and officer
    (r"signals/\{signal_id\}/(suggestions|referrals|referral-steps)", "initiatives"),
    (r"initiatives", "initiatives"),
    (r"signals/\{signal_id\}(/.*)?", "queue"),  # team work on one signal
    (r"signals|my/signals|consent-texts|reason-codes", "signals"),
    (r"queue|teams(/.*)?|membership-requests(/.*)?", "queue"),  # coordinators: roles too
    (r"devices(/.*)?", "devices"),
    (r"instruments", "outcomes"),
    (r"stats(/.*)?", "stats"),
    (r"audit/.*", "audit"),
    (r"privacy/.*", "privacy"),
]

ERROR_DESCRIPTIONS = {
    400: "Invalid input: `validation_error` with `details.fields`, or another 400 code.",
    401: "Not logged in, or the credentials or token were refused.",
    403: "Logged in, but your role or second factor does not allow this.",
    404: "No such object, or not one you may see.",
    406: "The requested format is not offered here.",
    409: "Conflicts with the current state (version, workflow step, an earlier request).",
    413: "The request body is larger than the limit.",
    415: "Only `application/json` request bodies are accepted.",
    423: "Processing of this resident's data is restricted (AVG art. 18).",
    429: "Too many requests or attempts; see `details.retry_after` or try again later.",
    503: "A service this depends on (an organisation's identity provider) cannot be reached now.",
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error answers a view adds to the ones its rules give, for extend_schema(responses=)."""
    return {
        status: OpenApiResponse(response=ERROR_REF, description=ERROR_DESCRIPTIONS[status])
        for status in statuses
    }


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "The one error shape; `message` is in Dutch or English by Accept-Language.",
        "properties": {
            "code": {"$ref": f"#/components/schemas/{ERROR_CODE_COMPONENT}"},
            "message": {"type": "string"},
            "details": {
                "type": "object",
                "additionalProperties": True,
                "description": "Codes and ids only, never personal data; `fields` for "
                "validation errors.",
            },
        },
        "required": ["code", "message", "details"],
        "additionalProperties": False,
    }


def _problem_schema() -> dict[str, Any]:
    error = _error_schema()
    return {
        "type": "object",
        "description": "The one error shape as RFC 9457 problem details, for a client whose "
        "Accept header names application/problem+json: `code`, `message` and `details` as "
        "in `Error`, plus the RFC's members.",
        "properties": {
            "type": {
                "type": "string",
                "format": "uri-reference",
                "example": PROBLEM_TYPE,
                "description": f"`{PROBLEM_TYPE}`: `code` names the problem.",
            },
            "title": {"type": "string", "description": "The HTTP status phrase."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "The same text as `message`."},
            **error["properties"],
        },
        "required": ["type", "title", "status", "detail", *error["required"]],
        "additionalProperties": False,
    }


def _error_content() -> dict[str, Any]:
    return {
        "application/json": {"schema": ERROR_REF},
        PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF},
    }


# The end of a sentence: a full stop (not of "Art." or "e.g.") before a space or the end.
_SENTENCE = re.compile(r"(.+?(?<!\bArt)(?<!\be\.g)(?<!\bi\.e)[.!?])(\s|$)")


def _first_sentence(text: str) -> str:
    paragraph = text.strip().split("\n\n")[0].replace("\n", " ")
    match = _SENTENCE.match(paragraph)
    return (match.group(1) if match else paragraph).strip()


class ApiAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        route = self.path.removeprefix(API_PREFIX)
        for pattern, tag in TAG_RULES:
            if re.fullmatch(pattern, route):
                return [tag]
        warn(f"no tag for {self.path}: add a rule to backend.schema.TAG_RULES")
        return super().get_tags()

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        if summary:
            return summary
        method = getattr(self.view, self.method.lower(), None)
        doc = (get_doc(method) if method else "") or get_doc(self.view.__class__)
        if not doc:
            warn(f"no summary for {self.method} {self.path}: give the view a docstring")
            return None
        return _first_sentence(doc)

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_parameters()
        for parameter in parameters:
            # DRF serializers and FilterSerializer read `?name=` as "not given" (QueryDict input).
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _is_public(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def error_statuses(self) -> list[int]:
        """The error answers this operation can give, by rule: every operation 401 (no or a
        refused token, or refused credentials on the public ones); 403 unless public; 400 with
        a body or query parameters, and with a body 413 and 415; 404 with path parameters; 406
        with more than one response format; 409 for a POST, PUT or PATCH on an object in the
        path; 423 for anything on one signal (its processing can be restricted); 429 when the
        view has throttles."""
        parameters = self._get_parameters()
        in_path = any(p["in"] == "path" for p in parameters)
        in_query = any(p["in"] == "query" for p in parameters)
        has_body = self.method in BODY_METHODS and self.get_request_serializer() is not None
        statuses = {401}
        if not self._is_public():
            statuses.add(403)
        if has_body or in_query:
            statuses.add(400)
        if has_body:
            statuses |= {413, 415}
        if in_path:
            statuses.add(404)
        if len(self.map_renderers("media_type")) > 1:
            statuses.add(406)
        if in_path and self.method in BODY_METHODS:
            statuses.add(409)
        if "{signal_id}" in self.path:
            statuses.add(423)
        if self.view.get_throttles():
            statuses.add(429)
        return sorted(statuses)

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for name, schema in (
            (ERROR_COMPONENT, _error_schema()),
            (ERROR_CODE_COMPONENT, {"type": "string", "enum": sorted(CATALOGUE)}),
            (PROBLEM_COMPONENT, _problem_schema()),
        ):
            self.registry.register_on_missing(
                ResolvedComponent(
                    name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
                )
            )
        for status in self.error_statuses():
            responses.setdefault(
                str(status),
                {"content": _error_content(), "description": ERROR_DESCRIPTIONS[status]},
            )
        for response in responses.values():  # errors are JSON whatever format was asked for
            content = response.get("content", {})
            if content.get("application/json", {}).get("schema") == ERROR_REF:
                response["content"] = _error_content()
        return dict(sorted(responses.items()))


class StrictSerializerExtension(OpenApiSerializerExtension):
    """A StrictSerializer refuses unknown fields; its schema says so."""

    target_class = "backend.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema


class Fresh:
    """An example value computed each time the schema is generated (see fresh_examples)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def resolve_fresh(value: Any) -> Any:
    """`value` with every Fresh in it replaced by a value made now."""
    if isinstance(value, Fresh):
        return value.make()
    if isinstance(value, dict):
        return {key: resolve_fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_fresh(item) for item in value]
    return value


def fresh_examples(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: makes the Fresh values in examples, so an example with a recent
    moment or a new idempotency key still works weeks after start-up."""
    return resolve_fresh(result)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


_BLANK = {"type": "string", "maxLength": 0}


def _blank_branch_dropped(node: Any) -> Any:
    """drf-spectacular documents a blank-allowed string with a pattern as `oneOf: [{pattern},
    {maxLength: 0}]`; when the pattern itself matches "", "" matches both branches and so is
    invalid by `oneOf` (the DemoSignal's `addition`). Such a pair becomes the first branch."""
    if isinstance(node, list):
        return [_blank_branch_dropped(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _blank_branch_dropped(value) for key, value in node.items()}
    branches = node.get("oneOf")
    if (
        isinstance(branches, list)
        and len(branches) == 2
        and branches[1] == _BLANK
        and "pattern" in branches[0]
        and re.search(branches[0]["pattern"], "") is not None
    ):
        del node["oneOf"]
        node.update(branches[0])
    return node


# OpenAPI 3.0's own way to say "this reference, or null" (`nullable` counts only next to a
# `type`, so it cannot make a `$ref` nullable).
_NULL = {"type": "object", "nullable": True, "enum": [None]}


def _nullable_refs(node: Any) -> Any:
    """drf-spectacular writes a nullable nested serializer as `allOf: [$ref], nullable: true`
    without a type, which OpenAPI 3.0 reads as "never null" (the referral's `handover`: the
    linter refused its example). Such a node becomes `anyOf: [$ref, null]`."""
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_refs(value) for key, value in node.items()}
    refs = node.get("allOf")
    if node.get("nullable") and "type" not in node and isinstance(refs, list) and len(refs) == 1:
        del node["allOf"], node["nullable"]
        node["anyOf"] = [refs[0], _NULL]
    return node


_PATH_PARAMETER = re.compile(r"\{([a-z0-9_]+)\}")
_SUCCESS = re.compile(r"[23]\d\d")


def nl_api_rules(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook for the NL API Design Rules (docs/adr/0043): the `API-Version`
    header on every response, CORS on GET /openapi.json, and path parameters in camelCase.
    DRF's URL keyword arguments keep their names; only the document's names change."""
    components = result.setdefault("components", {})
    components.setdefault("headers", {})[VERSION_HEADER] = {
        "description": "The full semantic version of the API that answered "
        "(docs/api-changelog.md); its major number is the one in the path.",
        "required": True,
        "schema": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$", "example": API_VERSION},
    }
    paths: dict[str, Any] = {}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    parameter["name"] = _camel(parameter["name"])
            for status, response in operation.get("responses", {}).items():
                headers = response.setdefault("headers", {})
                headers[VERSION_HEADER] = VERSION_HEADER_REF
                if path == OPENAPI_JSON_PATH and _SUCCESS.fullmatch(status):
                    headers["access-control-allow-origin"] = {
                        "description": "`*`: the document is public and read with no credentials.",
                        "schema": {"type": "string", "enum": ["*"]},
                    }
        paths[_PATH_PARAMETER.sub(lambda m: "{" + _camel(m.group(1)) + "}", path)] = item
    result["paths"] = paths
    return _nullable_refs(_blank_branch_dropped(result))
