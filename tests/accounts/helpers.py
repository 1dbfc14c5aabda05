"""Helpers for the session, credential and separation-of-duties tests."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actors import SystemActor
from accounts.models import CredentialCode, User
from accounts.services import credential_code_deliver
from audit.context import AccessContext
from tests.factories import PASSWORD

SYSTEM = {"actor": SystemActor("test"), "context": AccessContext.system(role="test")}


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code django-otp accepts again in the same time step (tests run faster than 30 s)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return code_for(device)


def password_only_session(client: Client, user: User) -> Client:
    """What /api-auth/login/ used to hand out: a Django session from the password alone."""
    client.force_login(user)
    return client


def verified_session(client: Client, user: User, device: TOTPDevice | None = None) -> Client:
    """A Django session whose second factor django-otp verified (what an OTP login leaves)."""
    device = device or totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def admin_login(client: Client, user: User, device: TOTPDevice | None = None) -> Client:
    """Logs in to /admin/ through the real OTP login form."""
    device = device or totp_device(user)
    response = client.post(
        reverse("admin:login"),
        {
            "username": user.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": fresh_code(device),
        },
    )
    assert response.status_code == 302, response.content[:500]
    return client


CODE_PATTERN = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b")


def mailed_code(user: User) -> str:
    """Runs the sending task's service in this process (the locmem e-mail backend) and returns
    the one-time code from the e-mail that reached `user`'s registered address."""
    record = CredentialCode.objects.get(user=user)
    sent_before = len(mail.outbox)
    assert credential_code_deliver(code_id=record.pk)
    [message] = mail.outbox[sent_before:]
    assert message.to == [user.email]
    [code] = CODE_PATTERN.findall(message.body)
    return code


def fresh(user: User) -> User:
    """The user read again, without its cached permissions."""
    return User.objects.get(pk=user.pk)


def team_form(team, rows) -> dict:
    """The admin's team change form with `rows` of (user, role) as new membership lines."""
    data = {
        "organisation": team.organisation_id,
        "name": team.name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "coverage-TOTAL_FORMS": "0",
        "coverage-INITIAL_FORMS": "0",
        "coverage-MIN_NUM_FORMS": "0",
        "coverage-MAX_NUM_FORMS": "1000",
    }
    for index, (user, role) in enumerate(rows):
        data[f"memberships-{index}-user"] = user.pk
        data[f"memberships-{index}-role"] = role
    return data
