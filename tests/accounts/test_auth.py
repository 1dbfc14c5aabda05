import pytest
from django.urls import reverse

from accounts.models import LoginSession, TeamRole
from tests.factories import PASSWORD, TeamFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("auth-login")
REFRESH = reverse("auth-refresh")
LOGOUT = reverse("auth-logout")
ME = reverse("me")


def login(api_client, email, password=PASSWORD):
    return api_client.post(LOGIN, {"email": email, "password": password}, format="json")


def bearer(api_client, access):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api_client


def test_login_returns_token_pair_and_opens_a_session(api_client):
    user = UserFactory(field_worker=True)
    response = login(api_client, user.email.upper())  # email is case-insensitive
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert LoginSession.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    user.refresh_from_db()
    assert user.last_login is not None


def test_wrong_password_is_refused_with_stable_code(api_client):
    user = UserFactory()
    response = login(api_client, user.email, "wrong-password")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert not LoginSession.objects.exists()


def test_refresh_rotates_and_old_refresh_is_refused(api_client):
    user = UserFactory()
    first = login(api_client, user.email).json()
    rotated = api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != first["refresh"]

    again = api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")
    assert again.status_code == 401
    assert again.json()["code"] == "token_not_valid"


def test_refresh_reuse_revokes_the_whole_session(api_client):
    user = UserFactory()
    first = login(api_client, user.email).json()
    second = api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json").json()
    api_client.post(REFRESH, {"refresh": first["refresh"]}, format="json")  # stolen token replayed

    assert bearer(api_client, second["access"]).get(ME).status_code == 401
    api_client.credentials()
    response = api_client.post(REFRESH, {"refresh": second["refresh"]}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "session_revoked"


def test_logout_revokes_access_and_refresh_at_once(api_client):
    user = UserFactory()
    pair = login(api_client, user.email).json()
    bearer(api_client, pair["access"])
    assert api_client.get(ME).status_code == 200

    response = api_client.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204

    after = api_client.get(ME)
    assert after.status_code == 401
    assert after.json()["code"] == "session_revoked"
    api_client.credentials()
    assert api_client.post(REFRESH, {"refresh": pair["refresh"]}, format="json").status_code == 401


def test_logout_leaves_other_devices_logged_in(api_client, client_for):
    user = UserFactory()
    other_device = client_for(user)
    pair = login(api_client, user.email).json()
    bearer(api_client, pair["access"]).post(LOGOUT, {}, format="json")
    assert other_device.get(ME).status_code == 200


def test_lockout_after_repeated_failures(api_client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(api_client, user.email, "wrong-password").status_code == 401
    assert login(api_client, user.email, "wrong-password").status_code == 429  # limit reached
    locked = login(api_client, user.email, PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert not LoginSession.objects.exists()


def test_successful_login_resets_failure_count(api_client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(api_client, user.email, "wrong-password")
    assert login(api_client, user.email).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(api_client, user.email, "wrong-password")
    assert login(api_client, user.email).status_code == 200


def test_login_is_throttled_per_client(api_client, throttle_rates):
    throttle_rates(login="3/min")
    codes = [login(api_client, "nobody@example.test", "x").status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


def test_me_lists_roles_and_teams(client_for):
    team = TeamFactory(name="Buurtteam Zuilen")
    user = member_of(team, TeamRole.COORDINATOR)
    body = client_for(user).get(ME).json()
    assert body["email"] == user.email
    assert body["roles"] == ["team_coordinator"]
    assert body["teams"] == [
        {"id": str(team.id), "name": "Buurtteam Zuilen", "role": "coordinator"}
    ]


def test_me_requires_authentication(api_client):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_deactivated_user_token_stops_working(client_for):
    user = UserFactory()
    client = client_for(user)
    user.is_active = False
    user.save()
    assert client.get(ME).status_code == 401
