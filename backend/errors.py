"""Domain errors and their catalogue of stable codes with Dutch and English messages.

Services raise `DomainError(code)`; the single exception handler turns it into
`{"code", "message", "details"}` in the language the client asked for. Apps add their own codes
with `register()` at import time so this module stays small.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from backend.i18n import in_language


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    nl: str
    en: str


CATALOGUE: dict[str, ErrorSpec] = {}


def register(code: str, status: int, *, nl: str, en: str) -> None:
    existing = CATALOGUE.get(code)
    spec = ErrorSpec(status=status, nl=nl, en=en)
    if existing is not None and existing != spec:
        raise ValueError(f"error code {code!r} registered twice with different texts")
    CATALOGUE[code] = spec


def message_for(code: str, language: str | None = None, **params: Any) -> str:
    spec = CATALOGUE[code]
    text = in_language(spec.nl, spec.en, language or None)
    return text.format(**params) if params else text


class DomainError(Exception):
    """A refusal the client can act on. `details` must never hold personal data."""

    def __init__(self, code: str, *, details: dict[str, Any] | None = None, **params: Any):
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}")
        super().__init__(code)
        self.code = code
        self.status = CATALOGUE[code].status
        self.details = details or {}
        self.params = params

    def message(self, language: str | None = None) -> str:
        return message_for(self.code, language, **self.params)


def invalid_field(path: Sequence[str], code: str, message: str) -> DomainError:
    """A 400 validation_error for one input field, in the shape the handler gives a
    serializer's errors (`details.fields.<path>: [{message, code}]`), for a rule a service
    checks on input it was handed already parsed."""
    error: Any = [{"message": message, "code": code}]
    for key in reversed(path):
        error = {key: error}
    return DomainError("validation_error", details={"fields": error})


# Generic codes used by the exception handler for framework errors.
register("validation_error", 400, nl="De invoer is ongeldig.", en="The input is invalid.")
register(
    "malformed_request",
    400,
    nl="Het verzoek kon niet worden gelezen.",
    en="The request could not be parsed.",
)
register("not_authenticated", 401, nl="Je bent niet ingelogd.", en="You are not logged in.")
register("authentication_failed", 401, nl="Inloggen is mislukt.", en="Authentication failed.")
register(
    "token_not_valid",
    401,
    nl="Het token is ongeldig of verlopen.",
    en="The token is invalid or expired.",
)
register(
    "permission_denied",
    403,
    nl="Je hebt geen toegang tot deze actie.",
    en="You do not have permission to perform this action.",
)
register("not_found", 404, nl="Niet gevonden.", en="Not found.")
register(
    "method_not_allowed",
    405,
    nl="Deze methode is hier niet toegestaan.",
    en="This method is not allowed here.",
)
register(
    "not_acceptable",
    406,
    nl="Dit antwoordformaat wordt niet ondersteund.",
    en="This response format is not supported.",
)
register(
    "unsupported_media_type",
    415,
    nl="Dit type inhoud wordt niet ondersteund.",
    en="This content type is not supported.",
)
register(
    "throttled",
    429,
    nl="Te veel verzoeken; probeer het over {wait} seconden opnieuw.",
    en="Too many requests; try again in {wait} seconds.",
)
register(
    "json_too_deep",
    400,
    nl="De JSON in het verzoek is te diep genest (hoogstens {limit} niveaus).",
    en="The request's JSON is nested too deeply (at most {limit} levels).",
)
register(
    "request_too_large",
    413,
    nl="Het verzoek is te groot (hoogstens {limit} bytes).",
    en="The request is too large (at most {limit} bytes).",
)
register(
    "invalid_cursor",
    400,
    nl="De cursor voor deze lijst is ongeldig; begin opnieuw bij de eerste pagina.",
    en="The cursor for this list is invalid; start again from the first page.",
)
register(
    "server_error",
    500,
    nl="Er ging iets mis aan onze kant.",
    en="Something went wrong on our side.",
)
register(
    "database_unavailable",
    503,
    nl="De database is even niet bereikbaar; probeer het over {wait} seconden opnieuw.",
    en="The database is briefly unavailable; try again in {wait} seconds.",
)
register(
    "database_busy",
    503,
    nl="De database is even te druk; probeer het over {wait} seconden opnieuw.",
    en="The database is briefly too busy; try again in {wait} seconds.",
)
