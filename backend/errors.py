"""Domain errors and their catalogue of stable codes with Dutch and English messages.

Services raise `DomainError(code)`; the single exception handler turns it into
`{"code", "message", "details"}` in the language the client asked for. Apps add their own codes
with `register()` at import time so this module stays small.

A message is interface text, so it is gettext like the rest (docs/adr/0040, 0042): the English
text is the msgid under the context "error", the Dutch is in locale/nl. `message_for` reads it
in Dutch or English only (backend.i18n.reading_language), never in a third language that
would fall back to the English msgid.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from backend.i18n import reading_language


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    message: Promise  # pgettext_lazy("error", "<English text>")


CATALOGUE: dict[str, ErrorSpec] = {}


def register(code: str, status: int, message: Promise) -> None:
    """Catalogue `code`. Each code is registered once, by the errors module of the app that
    raises it; a second registration is a clash between two apps, refused at start-up."""
    if code in CATALOGUE:
        raise ValueError(f"error code {code!r} registered twice")
    if not isinstance(message, Promise):
        raise TypeError(f"error code {code!r}: the message is pgettext_lazy('error', ...)")
    CATALOGUE[code] = ErrorSpec(status=status, message=message)


def message_for(code: str, language: str | None = None, **params: Any) -> str:
    """The message of `code` in `language` (or the active language when None): English for
    English, Dutch for anything else; `params` fill its `{placeholders}`."""
    spec = CATALOGUE[code]
    with translation.override(reading_language(language)):
        text = str(spec.message)
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
register("validation_error", 400, pgettext_lazy("error", "The input is invalid."))
register("malformed_request", 400, pgettext_lazy("error", "The request could not be parsed."))
register("not_authenticated", 401, pgettext_lazy("error", "You are not logged in."))
register("authentication_failed", 401, pgettext_lazy("error", "Authentication failed."))
register("token_not_valid", 401, pgettext_lazy("error", "The token is invalid or expired."))
register(
    "permission_denied",
    403,
    pgettext_lazy("error", "You do not have permission to perform this action."),
)
register("not_found", 404, pgettext_lazy("error", "Not found."))
register("method_not_allowed", 405, pgettext_lazy("error", "This method is not allowed here."))
register("not_acceptable", 406, pgettext_lazy("error", "This response format is not supported."))
register(
    "unsupported_media_type", 415, pgettext_lazy("error", "This content type is not supported.")
)
register(
    "throttled", 429, pgettext_lazy("error", "Too many requests; try again in {wait} seconds.")
)
register(
    "json_too_deep",
    400,
    pgettext_lazy("error", "The request's JSON is nested too deeply (at most {limit} levels)."),
)
register(
    "request_too_large",
    413,
    pgettext_lazy("error", "The request is too large (at most {limit} bytes)."),
)
register(
    "invalid_cursor",
    400,
    pgettext_lazy("error", "The cursor for this list is invalid; start again from the first page."),
)
register("server_error", 500, pgettext_lazy("error", "Something went wrong on our side."))
register(
    "database_unavailable",
    503,
    pgettext_lazy("error", "The database is briefly unavailable; try again in {wait} seconds."),
)
register(
    "database_busy",
    503,
    pgettext_lazy("error", "The database is briefly too busy; try again in {wait} seconds."),
)
