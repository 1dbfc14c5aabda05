"""Every route, every role (issue 8): each route of the whole URL configuration, per method and
object, called by each of 16 callers, against the table in route_matrix.txt.

Per cell: the status; for a refusal, that nothing changed and (under /api/) the error shape;
for a success, the keys of the answer (shapes.py) and, for a write marked `*`, that it wrote;
for another team's object answered 404, the same body as for a random id. The world is built
once per module (world.py); every cell runs in a savepoint that is rolled back."""

import re

import pytest
from django.urls import Resolver404, resolve

from tests.security import calls, matrix, shapes
from tests.security.snapshot import changed_tables, fingerprints, write_counts

CELLS = matrix.cells()
ROW_HINT = (
    "add a row to tests/security/route_matrix.txt under [routes]: "
    "`<METHOD> {route} <object> <one cell per caller: {callers}>`"
)
ADMIN_HINT = (
    "add rows to tests/security/route_matrix.txt under [admin models]: "
    "`{label} own adm <10 pages>` and `{label} own po <10 pages>`"
)


@pytest.fixture(scope="module")
def baseline(world):
    """Every cell starts from this state: each one is rolled back."""
    return fingerprints()


def _excerpt(response) -> str:
    return response.content[:300].decode(errors="replace")


def _check_body(cell: matrix.Cell, response, path: str) -> None:
    status = response.status_code
    content_type = response.get("Content-Type", "")
    if path.startswith("/api/") and (status >= 400 or (cell.method, cell.route) in shapes.SHAPES):
        assert content_type.startswith("application/json"), (
            f"{cell.id}: {status} answered {content_type!r}, not JSON: {_excerpt(response)}"
        )
    if status >= 400 and path.startswith("/api/"):
        errors = shapes.key_errors(response.json(), shapes.ERROR)
        assert not errors, f"{cell.id}: error body {errors}"
    if cell.expected.code:
        assert response.json()["code"] == cell.expected.code, f"{cell.id}: {_excerpt(response)}"
    elif cell.caller == "anon" and status == 401 and path.startswith("/api/"):
        # Refused for want of credentials, not for wrong ones: a route that answers otherwise
        # says so in its cell (`401=invalid_credentials`) and is public (matrix.public_api_rows).
        code = response.json()["code"]
        assert code == matrix.ANONYMOUS_REFUSAL, f"{cell.id}: {_excerpt(response)}"
    if 200 <= status < 300 and status != 204:
        spec = shapes.SHAPES.get((cell.method, cell.route))
        if spec is not None:
            body = response.json()
            assert shapes.rows_to_check(body, spec), f"{cell.id}: an empty list checks no keys"
            errors = shapes.key_errors(body, spec)
            assert not errors, f"{cell.id}: {errors}"
        elif cell.route in shapes.CONTENT_TYPES:
            assert content_type.startswith(shapes.CONTENT_TYPES[cell.route]), content_type


def _check_writes(cell: matrix.Cell, response, baseline: dict[str, str], counts: dict) -> None:
    changed = changed_tables(baseline, counts)
    succeeded = response.status_code < 400 and not cell.expected.login
    if cell.expected.writes and succeeded:
        assert changed, f"{cell.id}: answered {response.status_code} but wrote nothing"
    else:
        assert not changed, f"{cell.id}: answered {response.status_code} and changed {changed}"


def _check_same_as_missing(cell: matrix.Cell, world, response) -> None:
    """No existence oracle: another team's signal or another user's device answers exactly like
    an id that never was."""
    caller = world.callers[cell.caller]
    missing = calls.send(caller, calls.build(world, cell.method, cell.route, "missing", caller))
    assert missing.status_code == 404, f"{cell.id}: a random id answered {missing.status_code}"
    if not cell.route.startswith("api/"):  # a page: the same but for its path and CSRF token
        foreign_page = _page_without_ids(response)
        assert foreign_page == _page_without_ids(missing)
        return
    assert response.json() == missing.json(), (
        f"{cell.id}: foreign {response.json()} differs from missing {missing.json()}"
    )


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _page_without_ids(response) -> str:
    return UUID.sub("", CSRF_FIELD.sub("", response.content.decode()))


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_cell(world, baseline, cell_savepoint, cell: matrix.Cell) -> None:
    caller = world.callers[cell.caller]
    call = calls.build(world, cell.method, cell.route, cell.obj, caller)
    counts = write_counts() if cell.method in matrix.WRITE_METHODS else {}
    response = calls.send(caller, call)
    assert response.status_code in cell.expected.statuses, (
        f"{cell.id}: got {response.status_code}, expected {cell.expected} "
        f"(route_matrix.txt:{cell.line}): {_excerpt(response)}"
    )
    if cell.expected.login:
        location = response.get("Location", "")
        assert location.startswith(cell.expected.login_page), (
            f"{cell.id}: redirected to {location!r}"
        )
    _check_body(cell, response, call.path)
    if cell.method in matrix.WRITE_METHODS:
        _check_writes(cell, response, baseline, counts)
    if cell.obj == "foreign" and response.status_code == 404 and calls.out_of_reach(cell.route):
        _check_same_as_missing(cell, world, response)


def test_the_change_detector_sees_a_write_and_not_one_rolled_back(world, baseline, cell_savepoint):
    from django.db import transaction

    from signals.models import SignalNote

    counts = write_counts()
    with transaction.atomic():
        world.signals["own"].notes.create(author=world.users["member"], body="Teruggedraaid.")
        transaction.set_rollback(True)
    assert changed_tables(baseline, counts) == []
    SignalNote.objects.create(
        signal=world.signals["own"], author=world.users["member"], body="Blijft staan."
    )
    assert changed_tables(baseline, counts) == ["signals_signalnote"]


# --- the table covers the URL configuration, and only it ---------------------------------------


def test_every_route_has_a_row():
    routes = set(matrix.url_routes()) - matrix.probe_paths()
    missing = sorted(routes - set(matrix.table_routes()))
    hints = []
    for route in missing:
        found = calls.admin_model(route)
        if found and found[0] not in matrix.admin_models():
            hints.append(ADMIN_HINT.format(label=found[0]))
        else:
            hints.append(ROW_HINT.format(route=route, callers=" ".join(matrix.CALLERS)))
    assert not missing, "routes without a row:\n" + "\n".join(sorted(set(hints)))


def test_every_row_has_a_route():
    routes = set(matrix.url_routes())
    stale = {c.route: c.line for c in CELLS if c.section != "probes" and c.route not in routes}
    assert not stale, "rows for routes the URL configuration does not have (remove them): " + (
        ", ".join(f"{route} (route_matrix.txt:{line})" for route, line in sorted(stale.items()))
    )


def test_every_method_a_view_serves_has_a_row():
    table = matrix.table_routes()
    gaps = []
    for route, pattern in matrix.url_routes().items():
        served = matrix.served_methods(pattern)
        if served is not None and route in table:
            gaps += [f"{method} {route}" for method in sorted(served - table[route])]
    assert not gaps, f"methods without rows in route_matrix.txt: {gaps}"


def test_every_row_names_every_caller():
    rows: dict[tuple[str, str, str], set[str]] = {}
    for cell in CELLS:
        rows.setdefault((cell.method, cell.route, cell.obj), set()).add(cell.caller)
    incomplete = {row: set(matrix.CALLERS) - callers for row, callers in rows.items()}
    assert not {row: gap for row, gap in incomplete.items() if gap}


# What a probed path may still reach: the admin's catch-all (404 for staff, the login page for
# everyone else) and a model's `<object_id>/` redirect (to the change page of an object that then
# does not exist). Never a view of its own.
CATCH_ALLS = ("admin/<url>", "/<path:object_id>/")


def test_probed_paths_are_not_mounted():
    """The paths under [probes] have no view of their own: the old password-only login of DRF's
    browsable API (`api-auth/`), paths the API must answer with its JSON 404, and the admin
    pages the auth work removed (another user's password page, django-otp's device admins)."""
    routes = matrix.url_routes()
    mounted = []
    for path in sorted(matrix.probe_paths()):
        if path in routes:
            mounted.append(f"/{path} is a route")
            continue
        if "<" in path:  # spelled with an id: only the route's spelling can be compared
            continue
        try:
            match = resolve("/" + path)
        except Resolver404:
            continue
        reached = matrix.spell(match.route)
        if not reached.endswith(CATCH_ALLS):
            mounted.append(f"/{path} -> {reached} ({match.view_name or match.func})")
    assert not mounted, f"mounted, but listed under [probes] as must-not-exist: {mounted}"


# --- anonymous callers under /api/ (was tests/test_url_matrix.py) ------------------------------


def test_only_authentication_routes_are_public():
    """The table names the public API routes by their `anon` cells; every other API route's
    `anon` cell is a plain 401, which test_cell checks as not_authenticated, so a new endpoint
    that forgets authentication fails there. Public can only be a way in."""
    public = matrix.public_api_rows()
    assert public, "the login at least is public"
    assert all(route.startswith("api/v1/auth/") for _, route in public), public


@pytest.mark.parametrize(("method", "route"), sorted(matrix.public_api_rows()))
@pytest.mark.django_db
def test_a_public_api_route_refuses_an_empty_body_as_input(api_client, method, route):
    """Reached without credentials, the empty body is refused as input: a 400 in the error shape,
    never a 401 and never a 500."""
    response = getattr(api_client, method.lower())(matrix.concrete(route), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
