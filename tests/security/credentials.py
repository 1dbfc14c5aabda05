"""The callers of the route matrix and how each got its credentials: through the real login
paths (POST /auth/login, then /auth/mfa/verify with a TOTP code; the admin login form with a
recovery code), or, for Django sessions of non-staff users, force_login plus django_otp.login.

Callers present one kind of credential each (a bearer token, an MFA token or a Django session),
except the privacy officer and the admin, who are logged in to the app and to /admin/ at once.
"""

from dataclasses import dataclass
from http.cookies import SimpleCookie

import django_otp
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.actors import SystemActor
from accounts.models import Team, TeamRole, User
from accounts.services import team_membership_set, user_deactivate
from audit.context import AccessContext
from tests.factories import PASSWORD

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
RECOVERY_CODE = "matrixrecovery01"
_CLIENT: list[APIClient] = []


def shared_client() -> APIClient:
    """One client for the whole module, emptied before each use: building a client loads every
    middleware, and WhiteNoise then indexes every static file (tens of milliseconds each)."""
    if not _CLIENT:
        _CLIENT.append(APIClient())
    client = _CLIENT[0]
    client.cookies = SimpleCookie()
    client.credentials()
    return client


@dataclass
class Caller:
    code: str  # the column in route_matrix.txt
    user: User | None = None
    authorization: str = ""  # the Authorization header, if any
    session_key: str = ""  # a Django session cookie, if any
    refresh: str = ""  # the refresh token of the login, if any
    mfa_token: str = ""  # the token of the password step, if any

    def client(self) -> APIClient:
        """The shared client with this caller's credentials and nothing else: cookies an
        earlier cell was given (a logout, a new session) are gone."""
        client = shared_client()
        if self.authorization:
            client.credentials(HTTP_AUTHORIZATION=self.authorization)
        if self.session_key:
            client.cookies["sessionid"] = self.session_key
        return client


def totp_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def _password_step(user: User) -> dict[str, str]:
    response = shared_client().post(
        "/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def token_caller(code: str, user: User, device: TOTPDevice | None = None) -> Caller:
    """Tokens from POST /auth/login and, when the user needs one, /auth/mfa/verify."""
    body = _password_step(user)
    if "access" not in body:
        assert device is not None, f"{user.email} needs a second factor: {body}"
        response = shared_client().post(
            "/api/v1/auth/mfa/verify",
            {"mfa_token": body["mfa_token"], "code": totp_code(device)},
            format="json",
        )
        assert response.status_code == 200, response.content
        body = response.json()
    return Caller(code, user, f"Bearer {body['access']}", refresh=body["refresh"])


def mfa_pending_caller(code: str, user: User, scheme: str) -> Caller:
    """The mfa_token of the password step, presented with `scheme`."""
    body = _password_step(user)
    assert body.get("mfa_required"), body
    return Caller(code, user, f"{scheme} {body['mfa_token']}", mfa_token=body["mfa_token"])


def admin_session(user: User) -> str:
    """The admin login form with password and a recovery code (this time step's TOTP code is
    spent on the API login already)."""
    device = StaticDevice.objects.create(user=user, name="recovery-codes")
    StaticToken.objects.create(device=device, token=RECOVERY_CODE)
    client = shared_client()
    response = client.post(
        "/admin/login/",
        {
            "username": user.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": RECOVERY_CODE,
        },
    )
    assert response.status_code == 302, response.content[:500]
    return client.cookies["sessionid"].value


def django_session(user: User, device: TOTPDevice | None) -> str:
    """A Django session logged in with the password only (force_login, as /api-auth/login/
    gave), verified with `device` through django_otp.login when one is given."""
    client = shared_client()
    client.force_login(user, backend=MODEL_BACKEND)
    session = client.session
    if device is not None:
        request = HttpRequest()
        request.session = session
        request.user = user
        django_otp.login(request, device)
        session.save()
    return session.session_key


def session_caller(code: str, user: User, device: TOTPDevice | None) -> Caller:
    return Caller(code, user, session_key=django_session(user, device))


def all_callers(users: dict[str, User], totp: dict[str, TOTPDevice], team: Team) -> list[Caller]:
    """Every column of route_matrix.txt. Order matters where a later step changes a user:
    promotion after the login, deactivation after both credentials were obtained."""
    u = users
    pending = mfa_pending_caller("mfab", u["pending"], "Bearer")  # also presented as mfae
    token = pending.mfa_token
    callers = [
        Caller("anon"),
        token_caller("fw", u["worker"]),
        token_caller("mem", u["member"], totp["member"]),
        token_caller("omem", u["other_member"], totp["other_member"]),
        token_caller("coord", u["coordinator"], totp["coordinator"]),
        token_caller("po", u["privacy_officer"], totp["privacy_officer"]),
        token_caller("adm", u["admin"], totp["admin"]),
        session_caller("mses", u["member"], totp["member"]),
        token_caller("ptok", u["promoted"]),  # a field worker: no second factor asked
        token_caller("dtok", u["deactivated"], totp["deactivated"]),
        session_caller("dses", u["deactivated"], totp["deactivated"]),
        session_caller("pses", u["member"], None),
        session_caller("ppo", u["privacy_officer"], None),
        pending,
        Caller("mfae", pending.user, f"MFA-Enrolment {token}", mfa_token=token),
        mfa_pending_caller("enrol", u["enrollee"], "MFA-Enrolment"),
    ]
    for caller in callers:
        if caller.code in ("po", "adm"):
            caller.session_key = admin_session(caller.user)
    system = {
        "actor": SystemActor("route_matrix"),
        "context": AccessContext.system(role="route_matrix"),
    }
    team_membership_set(team=team, user=u["promoted"], role=TeamRole.MEMBER, **system)
    user_deactivate(user=u["deactivated"], **system)
    return callers
