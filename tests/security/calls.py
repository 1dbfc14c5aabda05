"""What each cell sends: the concrete URL for a route and object, and its body. API bodies
would succeed for a caller who is allowed, so a refusal is the permission check and not bad
input; admin forms are posted empty (for those allowed, the form refuses them and nothing
changes), except the confirmed deletes.

Objects: `own` is the own team's (team A) signal, the caller's own device, the subject with an
open request of the route's kind, or one row of an admin page's model; `foreign` is another
team's signal, another user's device, another subject (presenting the first subject's
request), or another account's one-time credential code; `unrequested` is a subject without a
registered request; `missing` a random id (or a code never issued); `privileged` the privacy
officer's account (admin pages of users); `reset`, `reset+`, `reset+po` the user admin's
reset-credentials action, asked and confirmed for a field worker, confirmed for the privacy
officer."""

import re
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Team
from signals.models import BreakGlassAccess
from tests.factories import PASSWORD
from tests.security.credentials import Caller
from tests.security.world import World
from tests.signals.factories import intake_payload

WRONG_PASSWORD = "not-the-password-7"
NEW_PASSWORD = "Zelf-gekozen-wachtwoord-42"  # passes Django's password validators
UNISSUED_CODE = "AAAAA-AAAAA-AAAAA-AAAAA"
BREAK_GLASS_REASON = "Bewoner belde de centrale lijn; haar buurtteam is onbereikbaar."
# The rights actions take the id of an open subject request (issue 8, item 7); GET export sends it
# as a query parameter of the same name as the action bodies' field.
REQUEST_PARAM = "request"
PREFERENCES = {
    "quiet_hours_start": "21:00",
    "quiet_hours_end": "08:00",
    "timezone": "Europe/Amsterdam",
    "daily_digest": False,
}
ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<page>.*)$")


@cache
def _registered_models() -> frozenset[str]:
    from django.contrib import admin

    return frozenset(model._meta.label_lower for model in admin.site._registry)


def admin_model(route: str) -> tuple[str, str] | None:
    """(model label, page) when `route` is a page of a registered ModelAdmin, else None."""
    match = ADMIN_MODEL_ROUTE.match(route)
    if match is None:
        return None
    label = f"{match['app']}.{match['model']}"
    return (label, match["page"]) if label in _registered_models() else None


def out_of_reach(route: str) -> bool:
    """Routes whose `foreign` object is another team's signal or another user's device: one the
    caller must not learn exists."""
    return "<uuid:signal_id>" in route or "<uuid:device_id>" in route


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    data: dict[str, Any] | None
    json: bool  # JSON body (the API) or a form (admin and login pages)


def _signal(w: World, obj: str, route: str = "", method: str = "") -> Any:
    if obj == "missing":
        return uuid.uuid4()
    # Referrals need a signal the team has contacted; a step needs a referral to take. The
    # workspace's initiatives pages (issue 13) are the same reads and writes.
    referred = ("/referral-steps", "/initiatieven/stap/", "/initiatieven/")
    if route.endswith(referred) or (route.endswith("/referrals") and method == "GET"):
        return w.signals[f"{obj}_referred"].pk
    if route.endswith(("/referrals", "/initiatieven/voorstellen/")):
        return w.signals[f"{obj}_worked"].pk
    return w.signals[obj].pk


def _version(w: World, obj: str) -> int:
    return w.signals["foreign" if obj == "foreign" else "own"].version


def _subject_and_request(w: World, route: str, obj: str) -> tuple[Any, Any]:
    """The subject id in the path and the request id the call presents (None: none)."""
    kind = route.rsplit("/", 1)[-1]
    kind = {"lift": "restriction_lift"}.get(kind, kind)
    kind = "access" if kind == "export" else kind
    mine = w.signals["restricted" if kind == "restriction_lift" else "own"]
    request = w.requests[kind].pk
    if obj == "own":
        return mine.subject_id, request
    if obj == "foreign":  # another subject, presenting this subject's request
        other = w.signals["own" if kind == "restriction_lift" else "foreign"]
        return other.subject_id, request
    if obj == "unrequested":  # a subject with data to act on, but no registered request
        return mine.subject_id, None
    return uuid.uuid4(), None


def _admin_object(w: World, route: str, obj: str) -> Any:
    if obj == "privileged":
        return w.users["privacy_officer"].pk
    found = admin_model(route)
    assert found, route
    return w.admin_objects[found[0]]


def concrete_path(
    w: World, route: str, obj: str, caller: Caller, method: str = ""
) -> tuple[str, dict[str, Any]]:
    """The path for `route` (as the URL resolver spells it) with `obj` filled in, and the query
    parameters the call needs."""
    query: dict[str, Any] = {}
    values: dict[str, Any] = {}
    if "<uuid:signal_id>" in route:
        values["uuid:signal_id"] = _signal(w, obj, route, method)
    if "<uuid:device_id>" in route:
        device = {
            "own": w.devices.get(_user_key(w, caller)),
            "foreign": w.devices["bystander"],
        }.get(obj)
        values["uuid:device_id"] = device.pk if device else uuid.uuid4()
    if "<uuid:subject_id>" in route:
        subject, request = _subject_and_request(w, route, obj)
        values["uuid:subject_id"] = subject
        if route.endswith("/export") and request:
            query[REQUEST_PARAM] = str(request)
    if "<uuid:team_id>" in route:  # own: team A, the caller's if a member; foreign: team B
        team = {"own": w.teams["a"], "foreign": w.teams["b"]}.get(obj)
        values["uuid:team_id"] = team.pk if team else uuid.uuid4()
    if "<uuid:membership_request_id>" in route:  # own: a role requested in team A; foreign: B
        pending = w.membership_requests.get(obj)
        values["uuid:membership_request_id"] = pending.pk if pending else uuid.uuid4()
    if "<uuid:request_id>" in route:
        values["uuid:request_id"] = w.requests["access"].pk if obj == "own" else uuid.uuid4()
    if "<uuid:access_id>" in route:  # own: the break-glass opening of the own signal
        opening = BreakGlassAccess.objects.filter(signal=w.signals["own"]).first()
        values["uuid:access_id"] = opening.pk if obj == "own" and opening else uuid.uuid4()
    if "<path:content_type_id>" in route:
        values["path:content_type_id"] = ContentType.objects.get_for_model(Team).pk
        values["path:object_id"] = w.teams["a"].pk
    elif "<path:object_id>" in route or "<id>" in route:
        key = "path:object_id" if "<path:object_id>" in route else "id"
        values[key] = _admin_object(w, route, obj)
    if "<object_pk>" in route:
        values["object_pk"] = w.teams["a"].pk if "/team/" in route else w.signals["own"].pk
        values["user_id"] = w.users["admin"].pk
        values["group_id"] = Group.objects.get(name="team_member").pk
    if "<int:pk>" in route:  # a TOTP device's secret (config) and QR code
        values["int:pk"] = w.admin_objects["otp_totp.totpdevice"]
    if route in ("api/v1/stats/tables", "api/v1/stats/charts"):  # one table, one chart
        query["name"] = "score-distribution" if route.endswith("charts") else "status"
    values["app_label"] = "accounts"
    values["url"] = "nope/"
    if route == "admin/autocomplete/":
        query.update(app_label="accounts", model_name="teammembership", field_name="user")
    path = re.sub(r"<([^>]+)>", lambda m: str(values[m[1]]), route)
    return "/" + path, query


def _user_key(w: World, caller: Caller) -> str | None:
    if caller.user is None:
        return None
    return next(key for key, user in w.users.items() if user.pk == caller.user.pk)


def _api_body(w: World, route: str, obj: str, caller: Caller) -> dict[str, Any]:
    tail = route.removeprefix("api/v1/")
    if tail == "signals":
        return intake_payload()
    if tail == "auth/credentials/set":  # own: the account's code; foreign: another's
        code = {"own": "resetting", "foreign": "reset_other"}.get(obj)
        return {
            "email": w.users["resetting"].email,
            "code": w.credential_codes[code] if code else UNISSUED_CODE,
            "password": NEW_PASSWORD,
        }
    version = _version(w, obj)
    officer_action = {"reason": "Schriftelijk verzoek van de bewoner."}
    bodies: dict[str, dict[str, Any]] = {
        "auth/login": {"email": w.users["bystander"].email, "password": WRONG_PASSWORD},
        "auth/refresh": {"refresh": caller.refresh or "not-a-refresh-token"},
        # No provider is configured in the matrix: 400 oidc_provider_unknown (docs/adr/0046).
        "auth/oidc/exchange": {
            "provider": "matrix",
            "client_id": "app",
            "code": "not-a-code",
            "code_verifier": "v" * 43,
            "redirect_uri": "nl.buurtsignaal.app:/oidc",
            "nonce": "n",
        },
        "auth/logout": {"refresh": caller.refresh} if caller.refresh else {},
        "auth/mfa/verify": {"mfa_token": caller.mfa_token or "forged", "code": "not-a-code"},
        "auth/mfa/totp": {},
        "auth/mfa/totp/confirm": {"code": "not-a-code"},
        "transitions": {"to": "acknowledged", "version": version},
        "assign": {"version": version},
        "forward": {"team": str(w.teams["c"].pk), "version": version, "reason": "Woont in Zuid."},
        "notes": {"body": "Gebeld, geen gehoor."},
        "withdraw-consent": {"reason": "Belde zelf."},
        "break-glass": {"reason": BREAK_GLASS_REASON},
        "measurements": {"phase": "follow_up", "declined": True},
        "referrals": {"initiative": str(_matrix_initiative())},
        "referral-steps": {"step": "agreed"},
        "devices": {"platform": "android", "registration_token": "fcm-token-matrix-new"},
        "privacy/requests": {
            "kind": "access",
            "subject_id": str(w.signals["own"].subject_id),
            "channel": "letter",
        },
        "close": {"status": "refused", "outcome_note": "Geen gegevens gevonden."},
        "me/notification-preferences": PREFERENCES,
    }
    for key in (tail, tail.rsplit("/", 1)[-1]):
        if key in bodies:
            return bodies[key]
    if "<uuid:subject_id>" in route:
        _subject, request = _subject_and_request(w, route, obj)
        return {**officer_action, **({"request": str(request)} if request else {})}
    return {}


def _matrix_initiative() -> Any:
    from initiatives.models import Initiative

    return Initiative.objects.get(slug="matrix-initiatief").pk


def _admin_body(w: World, route: str, obj: str) -> dict[str, Any]:
    if route == "admin/login/":
        return {"username": w.users["bystander"].email, "password": WRONG_PASSWORD}
    if route == "api-auth/login/":  # the old password-only login: with the right password
        return {"username": w.users["member"].email, "password": PASSWORD}
    if route == "admin/accounts/user/" and obj.startswith("reset"):
        # The reset-credentials action: asked (its confirmation page), then confirmed, for a
        # field worker or for the privacy officer's account (only a superuser may).
        target = w.users["privacy_officer" if obj == "reset+po" else "worker"]
        action = {"action": "reset_credentials", "_selected_action": [target.pk]}
        return action if obj == "reset" else {**action, "confirm": "yes"}
    label, page = admin_model(route) or ("", None)
    if page == "":  # the changelist: the bulk delete action, confirmed
        pk = w.admin_objects[label]
        return {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
    if page and page.endswith("delete/"):
        return {"post": "yes"}
    if "user-manage" in route:  # grant the admin itself the model's view permission
        return {"permissions": ["view_team" if "/team/" in route else "view_signal"]}
    return {}


def _workspace_body(w: World, route: str, obj: str) -> dict[str, Any]:
    """Forms of the workspace (issue 13) that would succeed for a caller who is allowed."""
    version = _version(w, obj)
    tail = route.removeprefix("werkruimte/").rstrip("/").rsplit("/", 1)[-1]
    signal = str(_signal(w, obj)) if obj != "-" else ""
    bodies: dict[str, dict[str, Any]] = {
        "status": {"to": "acknowledged", "version": version},
        "toewijzen": {"version": version},
        "doorsturen": {
            "team": str(w.teams["c"].pk),
            "version": version,
            "reason": "Woont in Zuid.",
        },
        "notities": {"body": "Gebeld, geen gehoor."},
        "toestemming-intrekken": {"reason": "Belde zelf."},
        "noodinzage": {"signal": signal, "reason": BREAK_GLASS_REASON},
        "instellingen": {k: v for k, v in PREFERENCES.items() if v is not False},
        "betrokkene": {"signal": signal},
        "voorstellen": {"initiative": str(_matrix_initiative())},
        "stap": {"step": "agreed"},
        # the privacy officer's desk (issue 20): each action confirmed
        "beoordelen": {"note": "Terecht geopend.", "confirm": "on"},
        "nieuw": {
            "kind": "access",
            "subject_id": str(w.signals["own"].subject_id),
            "received_on": str(timezone.localdate()),
            "channel": "letter",
            "confirm": "True",
        },
        "afhandelen": {"decision": "completed", "confirm": "on"},
        "inzage": {"format": "json", "confirm": "on"},
    }
    return bodies.get(tail, {})


def build(w: World, method: str, route: str, obj: str, caller: Caller) -> Call:
    path, query = concrete_path(w, route, obj, caller, method)
    is_api = route.startswith("api/v1/")
    if method in ("GET", "DELETE"):
        return Call(method, path, query or None, json=False)
    if is_api:
        data = _api_body(w, route, obj, caller)
    elif route.startswith("werkruimte/"):
        data = _workspace_body(w, route, obj)
    else:
        data = _admin_body(w, route, obj)
    return Call(method, path, data, json=is_api)


def send(caller: Caller, call: Call) -> Any:
    client = caller.client()
    verb = getattr(client, call.method.lower())
    if call.method in ("GET", "DELETE"):
        return verb(call.path, call.data)
    if call.json:
        return verb(call.path, call.data, format="json")
    return verb(call.path, call.data)
