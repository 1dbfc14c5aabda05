"""The world the route matrix runs in, built once per module: two teams with one routed signal
each, a restricted subject, open subject requests, one break-glass opening, a device per user,
one row for every admin page, two accounts holding one-time credential codes (read from their
e-mail), a team role requested in each of teams A and B, and the callers (credentials.py)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.actors import SystemActor
from accounts.models import AddressPoint, MembershipRequest, Team, TeamRole, User
from accounts.services import credentials_reset, login_session_open, team_membership_request
from audit.context import AccessContext, actor_roles
from audit.models import Action, Purpose
from audit.services import access_log_record
from initiatives.models import Initiative
from notifications.models import Device, EmailNotice, Notification, NotificationPreference
from notifications.services import device_register
from outcomes.services import MeasurementInput, measurement_record
from outcomes.stats.facts import month_start
from outcomes.stats.releases import figure_release_create
from privacy.models import RetentionPolicy, SubjectRequest
from privacy.subject_rights import subject_request_register, subject_restrict
from signals.models import (
    Consent,
    ConsentText,
    DeadlinePolicy,
    ReasonCode,
    RoutingRule,
    Signal,
    Status,
)
from signals.services import signal_break_glass_open, signal_note_add
from tests.accounts.helpers import mailed_code
from tests.factories import TeamFactory, UserFactory, member_of
from tests.security.credentials import Caller, all_callers
from tests.signals.factories import make_signal, team_with_coverage

ENROLLED = ("member", "other_member", "coordinator", "privacy_officer", "admin")
ENROLLED += ("deactivated", "pending")


@dataclass
class World:
    teams: dict[str, Team]
    users: dict[str, User]
    signals: dict[str, Signal]  # own (team A), foreign (team B), restricted (team A, art. 18)
    devices: dict[str, Device]  # by user key
    requests: dict[str, SubjectRequest] = field(default_factory=dict)  # open, by kind
    admin_objects: dict[str, Any] = field(default_factory=dict)  # model label -> pk
    callers: dict[str, Caller] = field(default_factory=dict)  # by column
    credential_codes: dict[str, str] = field(default_factory=dict)  # user key -> one-time code
    # own: a team role an admin requested in team A (its coordinator decides); foreign: team B
    membership_requests: dict[str, MembershipRequest] = field(default_factory=dict)


def _teams_and_users() -> tuple[dict[str, Team], dict[str, User]]:
    teams = {
        "a": team_with_coverage("Buurtteam Binnenstad", postcode="3511AB"),
        "b": team_with_coverage("Buurtteam Overvecht", postcode="3563AB"),
        "c": TeamFactory(name="Buurtteam Zuid"),  # a forward target
    }
    coordinator = TeamRole.COORDINATOR
    users = {
        "worker": UserFactory(field_worker=True),  # the signaller of the own signal
        "bystander": UserFactory(field_worker=True),  # the signaller of the others
        "member": member_of(teams["a"]),
        "other_member": member_of(teams["b"]),
        "b_colleague": member_of(teams["b"]),  # opened the own signal by break-glass
        "coordinator": member_of(teams["a"], coordinator),
        "privacy_officer": UserFactory(privacy_officer=True),
        "admin": UserFactory(admin=True),
        "deactivated": member_of(teams["a"]),
        "pending": member_of(teams["a"]),  # enrolled; stops after the password step
        "enrollee": member_of(teams["a"]),  # has no authenticator yet
        "promoted": UserFactory(field_worker=True),  # joins team A after logging in
        "resetting": UserFactory(field_worker=True),  # holds a one-time code from an admin
        "reset_other": UserFactory(field_worker=True),  # holds another one
    }
    return teams, users


def _signals(users: dict[str, User]) -> dict[str, Signal]:
    own = make_signal(signaller=users["worker"], state=Status.ROUTED)
    foreign = make_signal(
        signaller=users["bystander"],
        state=Status.ROUTED,
        address={"postcode": "3563AB", "house_number": 5, "addition": ""},
    )
    restricted = make_signal(
        signaller=users["bystander"],
        state=Status.ROUTED,
        address={"postcode": "3511AB", "house_number": 7, "addition": ""},
    )
    # A consent recorded before recipients were catalogue ids, whose name matched no entry: a
    # row for the privacy officer's consent-gaps list (docs/adr/0032).
    Consent.objects.filter(signal=foreign).update(unresolved_recipients=["Matrix oude naam"])
    officer = {"actor": users["privacy_officer"]}
    restriction = subject_request_register(
        **officer,
        kind=SubjectRequest.Kind.RESTRICTION,
        subject_id=restricted.subject_id,
        received_at=timezone.now(),
        channel=SubjectRequest.Channel.LETTER,
        reason="Bewoner betwist de juistheid.",
    )
    subject_restrict(
        **officer,
        subject_id=restricted.subject_id,
        reason="Bewoner betwist de juistheid.",
        subject_request_id=restriction.pk,
    )
    signal_break_glass_open(
        signal_id=own.pk, actor=users["b_colleague"], reason="Centrale lijn; team A onbereikbaar."
    )
    signal_note_add(signal_id=own.pk, actor=users["member"], body="Gebeld; belt morgen terug.")
    for signal, worker in ((own, users["member"]), (foreign, users["other_member"])):
        # a refused baseline: the matrix's POST records the follow-up
        measurement_record(
            actor=worker, signal_id=signal.pk, measure=MeasurementInput("baseline", declined=True)
        )
    member = users["member"]
    access_log_record(  # a team read of the own signal: the subject's access history
        context=AccessContext(
            actor_id=member.pk,
            actor_roles=actor_roles(member),
            actor_organisation_id=member.organisation_id,
        ),
        action=Action.READ,
        purpose=Purpose.SIGNAL_HANDLING,
        subject_id=own.subject_id,
        object_type="signals.signal",
        object_id=own.pk,
        fields_touched=["observation"],
    )
    signals = {"own": own, "foreign": foreign, "restricted": restricted}
    signals.update(_referable_signals(users))
    return {key: Signal.objects.get(pk=signal.pk) for key, signal in signals.items()}


def _referable_signals(users: dict[str, User]) -> dict[str, Signal]:
    """Signals the teams have contacted, for the referral routes: `*_worked` without a
    referral (to propose one), `*_referred` with one proposed (to take its next step)."""
    from initiatives.services import referral_propose

    initiative = Initiative.objects.create(
        slug="matrix-initiatief",
        name="Matrix initiatief",
        description_nl="Ontmoeting.",
        contact_route="Via de website.",
        last_verified_on=timezone.localdate(),
        citywide=True,
    )
    made = {}
    for key, (signaller, worker, postcode, number) in {
        "own_worked": ("worker", "member", "3511AB", 11),
        "own_referred": ("worker", "member", "3511AB", 12),
        "foreign_worked": ("bystander", "other_member", "3563AB", 11),
        "foreign_referred": ("bystander", "other_member", "3563AB", 12),
    }.items():
        made[key] = make_signal(
            signaller=users[signaller],
            state=Status.CONTACTED,
            worker=users[worker],
            address={"postcode": postcode, "house_number": number, "addition": ""},
        )
        if key.endswith("_referred"):
            referral_propose(
                actor=users[worker], signal_id=made[key].pk, initiative_id=initiative.pk
            )
    return made


def _subject_requests(w: World) -> dict[str, SubjectRequest]:
    """An open request of each kind the rights actions carry out."""
    now = timezone.now()

    def open_request(kind: str, signal: Signal) -> SubjectRequest:
        return SubjectRequest.objects.create(
            kind=kind,
            subject_id=signal.subject_id,
            received_at=now,
            due_at=now + timedelta(days=30),
            reason="Schriftelijk verzoek van de bewoner.",
            registered_by=w.users["privacy_officer"],
        )

    kind = SubjectRequest.Kind
    return {
        "access": open_request(kind.ACCESS, w.signals["own"]),
        "erasure": open_request(kind.ERASURE, w.signals["own"]),
        "restriction": open_request(kind.RESTRICTION, w.signals["own"]),
        "restriction_lift": open_request(kind.RESTRICTION_LIFT, w.signals["restricted"]),
    }


def _admin_objects(w: World) -> dict[str, Any]:
    """One row per model the admin registers, for its object pages."""
    spent = login_session_open(user=w.users["bystander"])  # a refresh token nobody presents
    blacklisted = BlacklistedToken.objects.create(
        token=OutstandingToken.objects.get(jti=RefreshToken(spent.refresh)["jti"])
    )
    attempt = AccessAttempt.objects.create(
        username="nobody@example.test", ip_address="127.0.0.1", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(username="nobody@example.test", ip_address="::1")
    rule = RoutingRule.objects.create(name="Jongeren naar Zuid", is_active=False, team=w.teams["c"])
    neighbourhood = w.teams["a"].coverage.get().neighbourhood
    first = {
        "auth.group": Group,
        "axes.accesslog": AxesAccessLog,
        "signals.consenttext": ConsentText,
        "signals.deadlinepolicy": DeadlinePolicy,
        "notifications.notification": Notification,
        "privacy.retentionpolicy": RetentionPolicy,
    }
    return {
        **{label: model.objects.order_by("pk").first().pk for label, model in first.items()},
        "token_blacklist.outstandingtoken": OutstandingToken.objects.filter(user=w.users["worker"])
        .first()
        .pk,
        "token_blacklist.blacklistedtoken": blacklisted.pk,
        "axes.accessattempt": attempt.pk,
        "axes.accessfailurelog": failure.pk,
        "otp_totp.totpdevice": TOTPDevice.objects.get(user=w.users["member"]).pk,
        "otp_static.staticdevice": StaticDevice.objects.get(user=w.users["admin"]).pk,
        "accounts.user": w.users["worker"].pk,
        "accounts.organisation": w.users["worker"].organisation_id,
        "accounts.team": w.teams["a"].pk,
        "accounts.mappingversion": neighbourhood.mapping_version_id,
        "accounts.neighbourhood": neighbourhood.pk,
        "accounts.addresspoint": AddressPoint.objects.filter(postcode="3511AB").first().pk,
        "accounts.loginsession": w.users["member"].login_sessions.first().pk,
        "signals.reasoncode": ReasonCode.objects.get(code="few_contacts").pk,
        "signals.routingrule": rule.pk,
        "signals.signal": w.signals["own"].pk,
        "signals.signalevent": w.signals["own"].events.order_by("id").first().pk,
        "notifications.device": w.devices["member"].pk,
        # A catalogue row no referral holds, so the admin's deletes can go through.
        "initiatives.initiative": Initiative.objects.create(
            slug="admin-rij",
            name="Admin rij",
            description_nl="Ontmoeting.",
            contact_route="Via de website.",
            last_verified_on=timezone.localdate(),
        ).pk,
        "notifications.notificationpreference": NotificationPreference.objects.create(
            user=w.users["member"]
        ).pk,
        "notifications.emailnotice": EmailNotice.objects.create(
            user=w.users["member"], kind="team_digest", reason="digest", dedupe_key="matrix"
        ).pk,
    }


def build_world() -> World:
    teams, users = _teams_and_users()
    totp = {
        key: TOTPDevice.objects.create(user=users[key], name="authenticator", confirmed=True)
        for key in ENROLLED
    }
    # Devices first: routing then records a notification for team A's devices.
    devices = {
        key: device_register(user=user, platform="android", registration_token=f"fcm-{key}")[0]
        for key, user in users.items()
    }
    w = World(teams=teams, users=users, signals=_signals(users), devices=devices)
    w.requests = _subject_requests(w)
    w.callers = {caller.code: caller for caller in all_callers(users, totp, teams["a"])}
    w.admin_objects = _admin_objects(w)
    # The figures are read from a stored release (docs/adr/0031): last month's.
    figure_release_create(
        period=(month_start(timezone.now()) - timedelta(days=1)).date().replace(day=1)
    )
    system = {
        "actor": SystemActor("route_matrix"),
        "context": AccessContext.system(role="route_matrix"),
    }
    for key in ("resetting", "reset_other"):
        credentials_reset(user=users[key], **system)
    w.credential_codes = {key: mailed_code(users[key]) for key in ("resetting", "reset_other")}
    w.membership_requests = {
        obj: team_membership_request(
            team=teams[team],
            user=UserFactory(full_name=f"Aanvraag {team}"),
            role=TeamRole.MEMBER,
            actor=users["admin"],
            context=system["context"],
        )
        for obj, team in (("own", "a"), ("foreign", "b"))
    }
    w.admin_objects["accounts.membershiprequest"] = w.membership_requests["own"].pk
    return w
