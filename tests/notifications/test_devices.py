"""Device registry: the services, the API and its permissions, logout, deactivation, pruning."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.actors import SystemActor
from accounts.models import LoginSession
from accounts.services import user_deactivate
from audit.context import AccessContext
from backend.errors import DomainError
from notifications.models import Device, Notification
from notifications.services import device_delete, device_register, devices_remove_for_user
from notifications.tasks import devices_prune, notifications_send
from tests.factories import UserFactory
from tests.notifications.factories import DeviceFactory, NotificationFactory

pytestmark = pytest.mark.django_db

DEVICES = reverse("device-list")


def detail(device_id) -> str:
    return reverse("device-detail", args=[device_id])


def register(client, **body):
    body.setdefault("registration_token", "fcm-token-A")
    body.setdefault("platform", "android")
    return client.post(DEVICES, body, format="json")


# --- services -------------------------------------------------------------------------------


def test_register_creates_then_refreshes():
    user = UserFactory(language="en")
    device, created = device_register(user=user, registration_token="t1", platform="ios")
    assert created is True
    assert (device.user, device.platform, device.language, device.is_active) == (
        user,
        "ios",
        "en",
        True,
    )

    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        again, created = device_register(
            user=user, registration_token="t1", platform="ios", app_version="2.0.0", language="nl"
        )
    assert created is False
    assert again.pk == device.pk
    assert (again.app_version, again.language, again.last_seen_at) == ("2.0.0", "nl", later)
    assert Device.objects.count() == 1


def test_a_shared_phone_moves_to_whoever_registers_it_and_old_pushes_stay_behind():
    first, second = UserFactory(), UserFactory()
    device, _ = device_register(user=first, registration_token="shared", platform="android")
    waiting = NotificationFactory(device=device)  # for the first user, not sent yet

    moved, created = device_register(user=second, registration_token="shared", platform="android")

    assert created is False
    assert moved.pk == device.pk
    assert moved.user == second
    notifications_send(notification_ids=[waiting.pk])
    waiting.refresh_from_db()
    assert waiting.status == Notification.Status.DEAD
    assert waiting.last_error_code == "device_inactive"


def test_a_new_token_for_a_known_installation_updates_its_row():
    user = UserFactory()
    device, _ = device_register(
        user=user, registration_token="old", installation_id="fid-1", platform="android"
    )
    rotated, created = device_register(
        user=user, registration_token="new", installation_id="fid-1", platform="android"
    )
    assert (created, rotated.pk, rotated.registration_token) == (False, device.pk, "new")


def test_one_installation_registered_twice_keeps_one_row():
    user = UserFactory()
    by_token, _ = device_register(user=user, registration_token="tok", platform="android")
    by_fid, _ = device_register(user=user, installation_id="fid-9", platform="android")
    merged, created = device_register(
        user=user, registration_token="tok", installation_id="fid-9", platform="android"
    )
    assert created is False
    assert merged.pk == by_token.pk
    assert list(Device.objects.values_list("pk", "registration_token", "installation_id")) == [
        (by_token.pk, "tok", "fid-9")
    ]
    assert not Device.objects.filter(pk=by_fid.pk).exists()


def test_an_address_is_required():
    with pytest.raises(DomainError) as refused:
        device_register(user=UserFactory(), platform="android")
    assert refused.value.code == "device_address_required"


def test_registering_again_reactivates_a_removed_device():
    device = DeviceFactory(inactive=True)
    again, created = device_register(
        user=device.user, registration_token=device.registration_token, platform="android"
    )
    assert created is False
    assert (again.is_active, again.deactivated_at, again.deactivation_reason) == (True, None, "")


def test_only_the_owner_deletes():
    device = DeviceFactory()
    with pytest.raises(DomainError) as refused:
        device_delete(user=UserFactory(), device_id=device.pk)
    assert refused.value.code == "device_not_found"
    device_delete(user=device.user, device_id=device.pk)
    device.refresh_from_db()
    assert (device.is_active, device.deactivation_reason) == (False, "deleted_by_owner")


def test_removal_for_one_login_session_leaves_the_other_devices():
    user = UserFactory()
    phone_session = LoginSession.objects.create(user=user)
    phone = DeviceFactory(user=user, login_session=phone_session)
    tablet = DeviceFactory(user=user, login_session=LoginSession.objects.create(user=user))

    assert devices_remove_for_user(user=user, reason="logout", login_session_id=phone_session.pk)
    phone.refresh_from_db()
    tablet.refresh_from_db()
    assert (phone.is_active, phone.deactivation_reason) == (False, "logout")
    assert tablet.is_active is True

    assert devices_remove_for_user(user=user, reason="user_deactivated") == 1
    tablet.refresh_from_db()
    assert tablet.is_active is False


def test_user_deactivation_ends_sessions_and_pushes(client_for):
    user = UserFactory()
    client = client_for(user)
    devices = [DeviceFactory(user=user), DeviceFactory(user=user)]
    assert client.get(DEVICES).status_code == 200

    system = {"actor": SystemActor("test"), "context": AccessContext.system(role="test")}
    user_deactivate(user=user, **system)
    user_deactivate(user=user, **system)  # repeating is harmless

    user.refresh_from_db()
    assert user.is_active is False
    assert not LoginSession.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert set(LoginSession.objects.filter(user=user).values_list("revoked_reason", flat=True)) == {
        "user_deactivated"
    }
    for device in devices:
        device.refresh_from_db()
        assert (device.is_active, device.deactivation_reason) == (False, "user_deactivated")
    assert client.get(DEVICES).status_code == 401


@override_settings(DEVICE_PRUNE_DAYS=30)
def test_devices_unseen_for_the_prune_period_are_deleted():
    now = timezone.now()
    stale = DeviceFactory(last_seen_at=now - timedelta(days=30, minutes=1))
    stale_inactive = DeviceFactory(inactive=True, last_seen_at=now - timedelta(days=45))
    recent = DeviceFactory(last_seen_at=now - timedelta(days=29))
    history = NotificationFactory(device=stale, status=Notification.Status.SENT)

    assert devices_prune() == 2

    assert list(Device.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Device.objects.filter(pk__in=[stale.pk, stale_inactive.pk]).exists()
    history.refresh_from_db()
    assert history.device is None  # the delivery record stays, without the device


# --- API ------------------------------------------------------------------------------------


def test_register_answers_201_then_200_and_never_echoes_the_token(client_for):
    user = UserFactory()
    client = client_for(user)

    first = register(client, installation_id="fid-A", app_version="1.0.0", language="en")
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {
        "id",
        "platform",
        "installation_id",
        "app_version",
        "language",
        "created_at",
        "last_seen_at",
    }
    assert (body["platform"], body["language"]) == ("android", "en")

    again = register(client, app_version="1.1.0")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    device = Device.objects.get()
    assert (device.app_version, device.installation_id) == ("1.1.0", "fid-A")
    assert str(device.login_session_id) == client.token_pair.session_id


def test_register_refuses_unknown_fields_and_bad_values(client_for):
    client = client_for(UserFactory())

    unknown = register(client, user="someone-else", is_active=False)
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "validation_error"
    assert set(unknown.json()["details"]["fields"]) == {"user", "is_active"}

    assert register(client, platform="windows").status_code == 400
    no_address = client.post(DEVICES, {"platform": "ios"}, format="json")
    assert no_address.status_code == 400
    assert no_address.json()["code"] == "device_address_required"
    assert not Device.objects.exists()


def test_the_list_shows_only_your_own_active_devices(client_for, django_assert_max_num_queries):
    user = UserFactory()
    mine = DeviceFactory(user=user)
    DeviceFactory(user=user, inactive=True)
    DeviceFactory()
    client = client_for(user)
    with django_assert_max_num_queries(2):  # authentication, then the list
        response = client.get(DEVICES)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [str(mine.pk)]


def test_delete_is_for_the_owner_and_anyone_else_gets_404(client_for):
    device = DeviceFactory()
    other = client_for(UserFactory())

    refused = other.delete(detail(device.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 404
    assert refused.json() == {
        "code": "device_not_found",
        "message": "This device was not found.",
        "details": {},
    }
    device.refresh_from_db()
    assert device.is_active is True

    owner = client_for(device.user)
    assert owner.delete(detail(device.pk)).status_code == 204
    assert owner.delete(detail(device.pk)).status_code == 404
    device.refresh_from_db()
    assert device.is_active is False


def test_anonymous_gets_401_everywhere(api_client):
    device = DeviceFactory()
    assert api_client.get(DEVICES).status_code == 401
    assert register(api_client).status_code == 401
    assert api_client.delete(detail(device.pk)).status_code == 401
    device.refresh_from_db()
    assert device.is_active is True


def test_logout_stops_pushes_to_this_session_s_device_only(client_for):
    user = UserFactory()
    phone, tablet = client_for(user), client_for(user)
    assert register(phone, registration_token="phone").status_code == 201
    assert register(tablet, registration_token="tablet").status_code == 201

    assert phone.post(reverse("auth-logout"), {}, format="json").status_code == 204

    assert dict(Device.objects.values_list("registration_token", "is_active")) == {
        "phone": False,
        "tablet": True,
    }
    assert Device.objects.get(registration_token="phone").deactivation_reason == "logout"
