"""The route matrix: route_matrix.txt (the readable table) parsed into cells, and the routes of
the whole URL configuration it must cover. `python -m tests.security.matrix` prints every cell.

A cell is (method, route, object, caller) with its expected outcome. Routes are spelled as the
URL resolver spells them, regex groups written `<name>` (`admin/<app_label>/`)."""

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).with_name("route_matrix.txt")
CALLERS = {  # column -> name in test ids
    "anon": "anonymous",
    "fw": "field_worker",
    "mem": "member",
    "omem": "other_member",
    "coord": "coordinator",
    "po": "privacy_officer",
    "adm": "admin",
    "mses": "member_session",
    "ptok": "password_only_token",
    "dtok": "deactivated_token",
    "dses": "deactivated_session",
    "pses": "password_session",
    "ppo": "password_session_po",
    "mfab": "mfa_pending_bearer",
    "mfae": "mfa_pending_enrolment",
    "enrol": "enrolment_token",
}
# Refusals whose error code the cell checks too (`status=code`), spelled short for the table.
ALIASES = {
    "noreq": "400=subject_request_required",  # a rights action without a request
    "badreq": "400=subject_request_mismatch",  # another subject's request, or another kind
    "repw": "403=password_reverification_failed",  # the second factor changed on a token alone
    "nostart": "409=mfa_enrolment_not_started",
    "badcode": "400=credential_code_invalid",  # another account's one-time code, or none
    "needmfa": "401=mfa_required",  # a password-only token of a role that needs the factor
    "revoked": "401=session_revoked",  # a token whose login session has ended
    "apponly": "400=logout_not_a_login_session",  # /auth/logout with a Django session
    # Public routes refuse an anonymous caller's wrong credentials, not their absence.
    "badpw": "401=invalid_credentials",
    "badtok": "401=token_not_valid",
    "badmfa": "401=mfa_token_invalid",
}
# The pages Django's admin generates per ModelAdmin: column -> (method, route suffix).
ADMIN_PAGES = {
    "list": ("GET", ""),
    "list+": ("POST", ""),
    "add": ("GET", "add/"),
    "add+": ("POST", "add/"),
    "hist": ("GET", "<path:object_id>/history/"),
    "del": ("GET", "<path:object_id>/delete/"),
    "del+": ("POST", "<path:object_id>/delete/"),
    "chg": ("GET", "<path:object_id>/change/"),
    "chg+": ("POST", "<path:object_id>/change/"),
    "obj": ("GET", "<path:object_id>/"),
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# Where `login` and `wlogin` send the caller: the admin's OTP login and the workspace's.
LOGIN_PAGES = {"login": "/admin/login/", "wlogin": "/werkruimte/inloggen/"}


@dataclass(frozen=True)
class Expected:
    statuses: frozenset[int]
    login: bool = False  # a 302 to a login page
    writes: bool = False  # `*`: the database must have changed
    code: str = ""  # `=code`: the error body's code
    login_page: str = LOGIN_PAGES["login"]

    @classmethod
    def parse(cls, token: str) -> "Expected":
        token = ALIASES.get(token, token)
        if token in LOGIN_PAGES:
            return cls(frozenset({302}), login=True, login_page=LOGIN_PAGES[token])
        token, _, code = token.partition("=")
        writes = token.endswith("*")
        statuses = frozenset(int(status) for status in token.rstrip("*").split("/"))
        return cls(statuses, writes=writes, code=code)

    def __str__(self) -> str:
        if self.login:
            return f"302 to {self.login_page}"
        return (
            "/".join(str(s) for s in sorted(self.statuses))
            + (f" {self.code}" if self.code else "")
            + (" (writes)" if self.writes else "")
        )


@dataclass(frozen=True)
class Cell:
    method: str
    route: str
    obj: str
    caller: str  # column code
    expected: Expected
    section: str  # routes, admin models or probes
    line: int  # in route_matrix.txt

    @property
    def id(self) -> str:
        parts = [f"{self.method} /{self.route}"]
        if self.obj != "-":
            parts.append(self.obj)
        parts.append(CALLERS[self.caller])
        return " | ".join(parts)


def _rows(section: str) -> Iterator[tuple[int, list[str]]]:
    current = None
    for number, line in enumerate(TABLE.read_text().splitlines(), start=1):
        if line.startswith("["):
            current = line.strip("[]")
        elif current == section and line.strip() and not line.startswith("#"):
            yield number, line.split()


def _route_cells(section: str) -> Iterator[Cell]:
    columns = list(CALLERS)
    for number, (method, route, obj, *tokens) in _rows(section):
        assert len(tokens) == len(columns), f"route_matrix.txt:{number}: {len(tokens)} cells"
        for caller, token in zip(columns, tokens, strict=True):
            yield Cell(method, route, obj, caller, Expected.parse(token), section, number)


def admin_models() -> dict[str, int]:
    """Model label -> the line of its first row in [admin models]."""
    models: dict[str, int] = {}
    for number, (label, *_rest) in _rows("admin models"):
        models.setdefault(label, number)
    return models


def _admin_cells() -> Iterator[Cell]:
    pages: dict[tuple[str, str, str], int] = {}
    for number, (label, obj, caller, *tokens) in _rows("admin models"):
        assert len(tokens) == len(ADMIN_PAGES), f"route_matrix.txt:{number}: {len(tokens)} cells"
        app, model = label.split(".")
        for page, token in zip(ADMIN_PAGES, tokens, strict=True):
            if token == ".":
                continue
            method, suffix = ADMIN_PAGES[page]
            route = f"admin/{app}/{model}/{suffix}"
            page_obj = obj if "<" in suffix else "-"
            pages.setdefault((method, route, page_obj), number)
            yield Cell(
                method, route, page_obj, caller, Expected.parse(token), "admin models", number
            )
    # Everyone without a verified staff session is sent to the admin login, on every page.
    for (method, route, obj), number in pages.items():
        for caller in CALLERS:
            if caller not in ("adm", "po"):
                login = Expected.parse("login")
                yield Cell(method, route, obj, caller, login, "admin models", number)


@cache
def cells() -> tuple[Cell, ...]:
    found = [*_route_cells("routes"), *_admin_cells(), *_route_cells("probes")]
    keys = Counter((c.method, c.route, c.obj, c.caller) for c in found)
    duplicates = {key for key, count in keys.items() if count > 1}
    assert not duplicates, f"cells listed twice in route_matrix.txt: {sorted(duplicates)[:5]}"
    return tuple(found)


def lookup(method: str, route: str, obj: str, caller: str) -> Cell:
    """The one cell of the table for a call, for tests that reuse its expectation (the signals
    API's effects, tests/signals/test_api_permissions.py)."""
    found = {(c.method, c.route, c.obj, c.caller): c for c in cells()}
    return found[(method, route, obj, caller)]


# An anonymous 401 under /api/ without a code in its cell is this one (test_route_matrix.py).
ANONYMOUS_REFUSAL = "not_authenticated"


# Public documents under /api/v1/: the same answer for everyone, credentials or not (ADR 43).
PUBLIC_DOCUMENTS = frozenset({"api/v1/openapi.json"})


def public_api_rows() -> set[tuple[str, str]]:
    """(method, route) of the API routes an anonymous caller reaches: those whose `anon` cell is
    not a plain 401 not_authenticated (the login, the token refresh, the second factor's
    verification, setting credentials with a one-time code). Everything else under /api/v1/
    refuses anonymous callers by the table."""
    public = set()
    for c in cells():
        if c.section != "routes" or c.caller != "anon" or not c.route.startswith("api/v1/"):
            continue
        if c.route in PUBLIC_DOCUMENTS:
            continue
        refused = c.expected.statuses == {401} and c.expected.code in ("", ANONYMOUS_REFUSAL)
        if not refused:
            public.add((c.method, c.route))
    return public


def table_routes() -> dict[str, set[str]]:
    """Route -> methods, for the [routes] and [admin models] sections."""
    routes: dict[str, set[str]] = {}
    for cell in cells():
        if cell.section != "probes":
            routes.setdefault(cell.route, set()).add(cell.method)
    return routes


def probe_paths() -> set[str]:
    return {c.route for c in cells() if c.section == "probes"}


# --- the URL configuration ------------------------------------------------------------------


def spell(pattern: str) -> str:
    """A route as the table spells it: regex groups as `<name>`, without ^ and $."""
    pattern = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern)
    return pattern.replace("^", "").replace("$", "")


def url_routes() -> dict[str, object]:
    """Every route of the whole URL configuration -> its URL pattern (admin, docs, schema, API,
    health probes and any login view)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: dict[str, object] = {}

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.setdefault(spell(prefix + str(entry.pattern)), entry)

    walk(get_resolver().url_patterns, "")
    return found


def api_patterns() -> list[tuple[str, object]]:
    """(route, URL pattern) of every endpoint under api/v1/, for tests that walk the API (the
    schema, pagination, parsers, no-store)."""
    return [(route, p) for route, p in url_routes().items() if route.startswith("api/v1/")]


def api_endpoints() -> list[tuple[str, str, str]]:
    """(route, method in lower case, URL name) of every method an API view serves."""
    found = []
    for route, pattern in api_patterns():
        methods = served_methods(pattern)
        assert methods is not None, f"{route}: not a DRF view"
        for method in ("get", "post", "put", "patch", "delete"):
            if method.upper() in methods:
                found.append((route, method, pattern.name))  # type: ignore[attr-defined]
    return found


# Sample values for the path converters of the API's routes.
_CONVERTERS = ("signal_id", "pk", "device_id", "subject_id", "request_id")
_CONVERTERS += ("membership_request_id", "team_id", "id")


def concrete(route: str) -> str:
    """The route as a path, each id a random UUID (an object that does not exist)."""
    for name in _CONVERTERS:
        route = route.replace(f"<uuid:{name}>", str(uuid.uuid4()))
    assert "<" not in route, f"add a sample value for the converter in {route}"
    return "/" + route


def schema_path(route: str) -> str:
    """The path of `route` (`api/v1/signals/<uuid:signal_id>`) in the OpenAPI document: relative
    to its server `/api/v1`, path parameters in camelCase (`/signals/{signalId}`, ADR 43)."""
    path = "/" + route.removeprefix("api/v1/")

    def camel(match: re.Match[str]) -> str:
        head, *rest = match.group(1).split("_")
        return "{" + head + "".join(part.capitalize() for part in rest) + "}"

    return re.sub(r"<uuid:(\w+)>", camel, path)


def served_methods(pattern: object) -> set[str] | None:
    """The methods a DRF view implements; None for plain Django views (not introspectable)."""
    view = getattr(getattr(pattern, "callback", None), "view_class", None)
    if view is None or not hasattr(view, "permission_classes"):
        return None
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}


def totals() -> dict[str, int]:
    """The matrix size: rows are (method, route, object); every row has a cell per caller."""
    route_cells = [c for c in cells() if c.section != "probes"]
    probe_cells = [c for c in cells() if c.section == "probes"]
    return {
        "routes": len(set(url_routes()) - probe_paths()),
        "route_methods": len({(c.method, c.route) for c in route_cells}),
        "rows": len({(c.method, c.route, c.obj) for c in route_cells}),
        "objects": len({c.obj for c in route_cells}),
        "callers": len(CALLERS),
        "cells": len(route_cells),
        "probe_paths": len(probe_paths()),
        "probe_cells": len(probe_cells),
        "all_cells": len(cells()),
    }


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.test")
    django.setup()
    width = max(len(c.id) for c in cells())
    for cell in cells():
        print(f"{cell.id:{width}}  {cell.expected}")
    t = totals()
    print(f"{t['rows']} rows (method, route, object) x {t['callers']} callers = {t['cells']} cells")


if __name__ == "__main__":
    main()
