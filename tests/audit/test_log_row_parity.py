"""One rule for the access-log row (issue 19 item 1, docs/adr/0041): the selector or service that
discloses or changes a resident's data writes its row, in its own transaction, so every front
end writes exactly the same rows.

Each operation on personal data of signals, initiatives, outcomes and privacy is listed in
OPERATIONS with the domain functions that write its rows and the ways to reach it: the API, the
workspace page, and a direct call of the domain function (as a command, a task or the demo loader
would).
Every way present is run on the same world, each in a savepoint rolled back afterwards, and
the rows each wrote are compared: everything but the row's own id, time and origin (client
address, user agent, request id), and ids of objects the call itself created. An operation with
one front end is compared with the direct call, which proves that the rows are the domain
function's and the view adds none.

A guard lists every function in signals, initiatives, outcomes and privacy that writes
access-log rows (calls `access_logged`) and fails when one has no operation here, and fails when
a view module of those apps or of the workspace's signal, team, initiative and privacy pages
builds a row itself."""

import ast
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Team, TeamRole, User
from audit.models import AccessLog
from initiatives import selectors as initiative_selectors
from initiatives import services as initiative_services
from initiatives.models import Initiative
from outcomes import selectors as outcome_selectors
from outcomes import services as outcome_services
from outcomes.services import MeasurementInput
from privacy import break_glass_reviews, registers, rights_selectors, subject_rights
from privacy import selectors as privacy_selectors
from privacy.selectors import AccessLogFilter
from privacy.subject_export import RenderedExport, subject_export_render
from signals import selectors, services, workload
from signals.models import BreakGlassAccess, ConsentPurpose, Signal, Status
from signals.selectors import QueueFilter
from tests.factories import UserFactory, member_of
from tests.fixtures import token_client
from tests.initiatives.factories import make_initiative
from tests.signals.factories import intake_input, intake_payload, make_signal, team_with_coverage
from tests.workspace.helpers import workspace_login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REASON = "Bewoner belde de centrale lijn; haar eigen buurtteam is vandaag dicht."
MEASURED_SHARING = {
    "purposes": frozenset(
        {
            ConsentPurpose.TEAM_CONTACT,
            ConsentPurpose.SHARE_WITH_INITIATIVE,
            ConsentPurpose.MEASURE_OUTCOME,
        }
    ),
    "initiatives": ("any",),
}
ANSWERS = {
    "emptiness": "yes",
    "miss_people": "more_or_less",
    "rejected": "no",
    "rely_on": "no",
    "trust": "no",
    "close_to": "more_or_less",
}


@dataclass
class World:
    team: Team
    other_team: Team
    signaller: User
    member: User
    coordinator: User
    outsider: User  # a member of the other team, who opens the signal by break-glass
    signal: Signal  # routed, in `team`
    worked: Signal  # contacted by `member`, consent to share with any initiative and to measure
    initiative: Initiative
    officer: User  # the privacy officer
    clients: dict[str, Any]
    made: dict[str, Any]  # what a `prepare` made, for the calls that follow

    def api(self, user: User) -> APIClient:
        return self.clients[f"api:{user.pk}"]

    def page(self, user: User) -> Client:
        return self.clients[f"page:{user.pk}"]

    def version(self, signal: Signal) -> int:
        return Signal.objects.get(pk=signal.pk).version


@pytest.fixture
def world() -> World:
    team = team_with_coverage("Buurtteam Noord", postcode="3511AB")
    other_team = team_with_coverage("Buurtteam Zuid", postcode="3521CD")
    signaller = UserFactory(field_worker=True)
    member = member_of(team, full_name="Mila Lid")
    coordinator = member_of(team, TeamRole.COORDINATOR, full_name="Cor Coördinator")
    outsider = member_of(other_team, full_name="Olga Ander")
    signal = make_signal(signaller=signaller, state=Status.ROUTED)
    worked = make_signal(
        signaller=signaller, state=Status.CONTACTED, worker=member, consent=MEASURED_SHARING
    )
    initiative = make_initiative(name="Domstad Plusbus", slug="domstad-plusbus")
    officer = UserFactory(privacy_officer=True, full_name="Functionaris Fenna")
    clients: dict[str, Any] = {}
    for user in (signaller, member, coordinator, outsider, officer):
        clients[f"api:{user.pk}"] = token_client(user)
    for user in (member, coordinator, outsider, officer):
        clients[f"page:{user.pk}"] = workspace_login(Client(), user)
    return World(
        team,
        other_team,
        signaller,
        member,
        coordinator,
        outsider,
        signal,
        worked,
        initiative,
        officer,
        clients,
        {},
    )


# --- the operations ----------------------------------------------------------------------------

Call = Callable[[World], Any]


@dataclass(frozen=True)
class Operation:
    name: str
    writers: tuple[str, ...]  # the domain functions that write its rows (module.function)
    actions: tuple[str, ...]  # the rows every front end must write, by action
    api: Call | None = None
    page: Call | None = None
    direct: Call | None = None
    prepare: Call | None = None  # more set-up, before any front end runs


def _ok(response: Any, *codes: int) -> Any:
    assert response.status_code in codes, (response.status_code, response.content[:400])
    return response


def _post(client: Any, url: str, body: dict[str, Any], *codes: int) -> Any:
    if isinstance(client, APIClient):
        return _ok(client.post(url, body, format="json"), *codes)
    return _ok(client.post(url, body), *codes)


def _api(w: World, user: User) -> APIClient:
    return w.api(user)


def _signal_url(signal: Signal, tail: str = "") -> str:
    return f"/api/v1/signals/{signal.pk}{tail}"


def _page_url(signal: Signal, tail: str = "") -> str:
    return f"/werkruimte/signalen/{signal.pk}/{tail}"


def _break_glass(w: World) -> None:
    services.signal_break_glass_open(signal_id=w.signal.pk, actor=w.outsider, reason=REASON)


def _proposed(w: World) -> None:
    initiative_services.referral_propose(
        actor=w.member, signal_id=w.worked.pk, initiative_id=w.initiative.pk
    )


def _agreed(w: World) -> None:
    _proposed(w)
    initiative_services.referral_step(actor=w.member, signal_id=w.worked.pk, step="agreed")


def _measured(w: World) -> None:
    outcome_services.measurement_record(
        actor=w.member, signal_id=w.worked.pk, measure=MeasurementInput("baseline", ANSWERS)
    )


PRIVACY_REASON = "Wil niet dat haar gegevens nog gebruikt worden."
REQUESTS_PAGE = "/werkruimte/privacy/verzoeken/"


def _subject(w: World) -> str:
    return str(w.signal.subject_id)


def _subject_request(kind: str) -> Call:
    def prepare(w: World) -> None:
        w.made["request"] = subject_rights.subject_request_register(
            actor=w.officer,
            kind=kind,
            subject_id=w.signal.subject_id,
            received_at=timezone.now(),
            channel="letter",
            reason=PRIVACY_REASON,
        )

    return prepare


def _request_url(w: World, tail: str = "") -> str:
    return f"{REQUESTS_PAGE}{w.made['request'].pk}/{tail}"


def _opened(w: World) -> None:
    _break_glass(w)
    w.made["opening"] = BreakGlassAccess.objects.get(signal=w.signal)


def _export(w: World, fmt: str) -> RenderedExport:
    return subject_export_render(
        actor=w.officer,
        subject_id=w.signal.subject_id,
        subject_request_id=w.made["request"].pk,
        fmt=fmt,
    )


OPERATIONS: list[Operation] = [
    # signals: reads
    Operation(
        "queue",
        ("signals.selectors.queue_page",),
        ("list",),
        api=lambda w: _ok(w.api(w.member).get("/api/v1/queue"), 200),
        page=lambda w: _ok(w.page(w.member).get("/werkruimte/wachtrij/"), 200),
        direct=lambda w: selectors.queue_page(user=w.member, filters=QueueFilter(), paginate=list),
    ),
    Operation(
        "detail",
        ("signals.selectors.signal_get_for_team",),
        ("read",),
        api=lambda w: _ok(w.api(w.member).get(_signal_url(w.worked)), 200),
        page=lambda w: _ok(w.page(w.member).get(_page_url(w.worked)), 200),
        direct=lambda w: selectors.signal_get_for_team(user=w.member, signal_id=w.worked.pk),
    ),
    Operation(
        "detail under break-glass",
        ("signals.selectors.signal_get_for_team",),
        ("read",),
        prepare=_break_glass,
        api=lambda w: _ok(w.api(w.outsider).get(_signal_url(w.signal)), 200),
        page=lambda w: _ok(w.page(w.outsider).get(_page_url(w.signal)), 200),
    ),
    Operation(
        "my signals",
        ("signals.selectors.my_signals",),
        ("list",),
        api=lambda w: _ok(w.api(w.signaller).get("/api/v1/my/signals"), 200),
        direct=lambda w: selectors.my_signals(user=w.signaller),
    ),
    Operation(
        "coordinator overview",
        ("signals.workload.team_workload",),
        ("list",),
        page=lambda w: _ok(w.page(w.coordinator).get("/werkruimte/coordinatie/"), 200),
        direct=lambda w: workload.team_workload(user=w.coordinator),
    ),
    Operation(
        "withdrawal confirmation",
        ("initiatives.selectors.withdrawal_preview",),
        ("read",),
        page=lambda w: _ok(
            w.page(w.member).get(_page_url(w.worked, "toestemming-intrekken/")), 200
        ),
        direct=lambda w: initiative_selectors.withdrawal_preview(
            actor=w.member, signal_id=w.worked.pk
        ),
    ),
    # signals: writes
    Operation(
        "intake",
        ("signals.services.intake.signal_create",),
        ("create",),
        api=lambda w: _post(w.api(w.signaller), "/api/v1/signals", intake_payload(), 201),
        direct=lambda w: services.signal_create(actor=w.signaller, intake=intake_input()),
    ),
    Operation(
        "transition",
        ("signals.services.transitions.signal_transition",),
        ("update",),
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.signal, "/transitions"),
            {"to": "acknowledged", "version": w.version(w.signal), "note": "Morgen bellen."},
            200,
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.signal, "status/"),
            {"to": "acknowledged", "version": w.version(w.signal), "note": "Morgen bellen."},
            302,
        ),
    ),
    Operation(
        "close with an outcome",
        ("signals.services.transitions.signal_transition",),
        ("update",),
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.worked, "/transitions"),
            {"to": "closed", "version": w.version(w.worked), "outcome": "resident_declined_help"},
            200,
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.worked, "status/"),
            {"to": "closed", "version": w.version(w.worked), "outcome": "resident_declined_help"},
            302,
        ),
    ),
    Operation(
        "claim",
        ("signals.services.transitions.signal_assign",),
        ("update",),
        api=lambda w: _post(
            w.api(w.member), _signal_url(w.signal, "/assign"), {"version": w.version(w.signal)}, 200
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.signal, "toewijzen/"),
            {"version": w.version(w.signal)},
            302,
        ),
    ),
    Operation(
        "assign by the coordinator",
        ("signals.services.transitions.signal_assign",),
        ("update",),
        api=lambda w: _post(
            w.api(w.coordinator),
            _signal_url(w.signal, "/assign"),
            {"version": w.version(w.signal), "assignee": str(w.member.pk)},
            200,
        ),
        page=lambda w: _post(
            w.page(w.coordinator),
            _page_url(w.signal, "toewijzen/"),
            {"version": w.version(w.signal), "assignee": str(w.member.pk)},
            302,
        ),
    ),
    Operation(
        "forward",
        ("signals.services.transitions.signal_forward",),
        ("update",),
        api=lambda w: _post(
            w.api(w.coordinator),
            _signal_url(w.signal, "/forward"),
            {"team": str(w.other_team.pk), "version": w.version(w.signal), "reason": "Verhuisd."},
            202,
        ),
        page=lambda w: _post(
            w.page(w.coordinator),
            _page_url(w.signal, "doorsturen/"),
            {"team": str(w.other_team.pk), "version": w.version(w.signal), "reason": "Verhuisd."},
            302,
        ),
    ),
    Operation(
        "note",
        ("signals.services.transitions.signal_note_add",),
        ("create",),
        api=lambda w: _post(
            w.api(w.member), _signal_url(w.worked, "/notes"), {"body": "Niet thuis."}, 201
        ),
        page=lambda w: _post(
            w.page(w.member), _page_url(w.worked, "notities/"), {"body": "Niet thuis."}, 302
        ),
    ),
    Operation(
        "consent withdrawal",
        ("signals.services.consent.consent_withdraw",),
        ("consent_change",),
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.worked, "/withdraw-consent"),
            {"reason": "Belde zelf."},
            200,
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.worked, "toestemming-intrekken/"),
            {"reason": "Belde zelf."},
            302,
        ),
    ),
    Operation(
        "break-glass opening",
        ("signals.services.break_glass.signal_break_glass_open",),
        ("create",),
        api=lambda w: _post(
            w.api(w.outsider), _signal_url(w.signal, "/break-glass"), {"reason": REASON}, 201
        ),
        page=lambda w: _post(
            w.page(w.outsider),
            "/werkruimte/noodinzage/",
            {"signal": str(w.signal.pk), "reason": REASON},
            302,
        ),
    ),
    # initiatives
    Operation(
        "suggestions and referrals",
        (
            "initiatives.selectors.suggestions_for",
            "initiatives.selectors.referrals_for",
        ),
        ("read", "list"),
        prepare=_proposed,
        api=lambda w: (
            _ok(w.api(w.member).get(_signal_url(w.worked, "/suggestions")), 200),
            _ok(w.api(w.member).get(_signal_url(w.worked, "/referrals")), 200),
        ),
        page=lambda w: _ok(w.page(w.member).get(_page_url(w.worked, "initiatieven/")), 200),
    ),
    Operation(
        "referral proposal",
        ("initiatives.services.referral_propose",),
        ("create",),
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.worked, "/referrals"),
            {"initiative": str(w.initiative.pk), "note": "Houdt van uitjes."},
            201,
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.worked, "initiatieven/voorstellen/"),
            {"initiative": str(w.initiative.pk), "note": "Houdt van uitjes."},
            302,
        ),
    ),
    Operation(
        "referral step",
        ("initiatives.services.referral_step",),
        ("update",),
        prepare=_proposed,
        api=lambda w: _post(
            w.api(w.member), _signal_url(w.worked, "/referral-steps"), {"step": "agreed"}, 200
        ),
        page=lambda w: _post(
            w.page(w.member), _page_url(w.worked, "initiatieven/stap/"), {"step": "agreed"}, 302
        ),
    ),
    Operation(
        "referral step with the contact details handed over",
        ("initiatives.services.referral_step",),
        ("update", "export"),
        prepare=_agreed,
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.worked, "/referral-steps"),
            {"step": "contacted", "share_contact": True},
            200,
        ),
        page=lambda w: _post(
            w.page(w.member),
            _page_url(w.worked, "initiatieven/stap/"),
            {"step": "contacted", "share_contact": "on"},
            302,
        ),
    ),
    # outcomes (no workspace page yet: the API against the domain function)
    Operation(
        "measurement",
        ("outcomes.services.measurement_record",),
        ("create",),
        api=lambda w: _post(
            w.api(w.member),
            _signal_url(w.worked, "/measurements"),
            {
                "phase": "baseline",
                "answers": [{"item": k, "option": v} for k, v in ANSWERS.items()],
            },
            201,
        ),
        direct=lambda w: outcome_services.measurement_record(
            actor=w.member, signal_id=w.worked.pk, measure=MeasurementInput("baseline", ANSWERS)
        ),
    ),
    Operation(
        "measurements read",
        ("outcomes.selectors.measurements_for_signal",),
        ("read",),
        prepare=_measured,
        api=lambda w: _ok(w.api(w.member).get(_signal_url(w.worked, "/measurements")), 200),
        direct=lambda w: outcome_selectors.measurements_for_signal(
            user=w.member, signal_id=w.worked.pk
        ),
    ),
    # privacy: the officer's reads (the row names its front end's format: API and page are each
    # compared with the selector called with that format)
    Operation(
        "access-log search through the API",
        ("privacy.selectors.access_log_search",),
        ("audit_read",),
        api=lambda w: _ok(
            w.api(w.officer).get("/api/v1/audit/access-log", {"subject": _subject(w)}), 200
        ),
        direct=lambda w: privacy_selectors.access_log_search(
            actor=w.officer,
            filters=AccessLogFilter(subject_id=w.signal.subject_id),
            fmt="json",
            paginate=list,
        ),
    ),
    Operation(
        "access-log search at the desk",
        ("privacy.selectors.access_log_search",),
        ("audit_read",),
        page=lambda w: _ok(
            w.page(w.officer).get("/werkruimte/privacy/toegangslog/", {"subject": _subject(w)}),
            200,
        ),
        direct=lambda w: privacy_selectors.access_log_search(
            actor=w.officer,
            filters=AccessLogFilter(subject_id=w.signal.subject_id),
            fmt="workspace",
            paginate=list,
        ),
    ),
    Operation(
        "access-log export",
        ("privacy.selectors.access_log_export",),
        ("audit_read",),
        api=lambda w: _ok(
            w.api(w.officer).get(
                "/api/v1/audit/access-log/export", {"subject": _subject(w)}, HTTP_ACCEPT="text/csv"
            ),
            200,
        ),
        direct=lambda w: privacy_selectors.access_log_export(
            actor=w.officer,
            filters=AccessLogFilter(subject_id=w.signal.subject_id),
            limit=settings.ACCESS_LOG_EXPORT_MAX_ROWS,
        ),
    ),
    Operation(
        "break-glass review list",
        ("privacy.selectors.break_glass_openings",),
        ("audit_read",),
        prepare=_opened,
        api=lambda w: _ok(w.api(w.officer).get("/api/v1/audit/break-glass"), 200),
        page=lambda w: _ok(w.page(w.officer).get("/werkruimte/privacy/noodinzage/"), 200),
        direct=lambda w: privacy_selectors.break_glass_openings(
            actor=w.officer, paginate=lambda rows: list(rows.order_by("-opened_at", "id"))
        ),
    ),
    Operation(
        "break-glass opening read",
        ("privacy.selectors.break_glass_opening_get",),
        ("audit_read",),
        prepare=_opened,
        page=lambda w: _ok(
            w.page(w.officer).get(
                f"/werkruimte/privacy/noodinzage/{w.made['opening'].pk}/beoordelen/"
            ),
            200,
        ),
        direct=lambda w: privacy_selectors.break_glass_opening_get(
            actor=w.officer, access_id=w.made["opening"].pk
        ),
    ),
    Operation(
        "break-glass review",
        ("privacy.break_glass_reviews.break_glass_review_record",),
        ("create",),
        prepare=_opened,
        page=lambda w: _post(
            w.page(w.officer),
            f"/werkruimte/privacy/noodinzage/{w.made['opening'].pk}/beoordelen/",
            {"note": "Terecht.", "confirm": "on"},
            302,
        ),
        direct=lambda w: break_glass_reviews.break_glass_review_record(
            actor=w.officer, access_id=w.made["opening"].pk, note="Terecht."
        ),
    ),
    Operation(
        "subject lookup",
        ("privacy.rights_selectors.signal_subject_lookup",),
        ("read",),
        page=lambda w: _post(
            w.page(w.officer), "/werkruimte/privacy/betrokkene/", {"signal": str(w.signal.pk)}, 200
        ),
        direct=lambda w: rights_selectors.signal_subject_lookup(
            actor=w.officer, signal_id=w.signal.pk
        ),
    ),
    Operation(
        "consent gaps through the API",
        ("privacy.registers.consent_gaps.consent_gaps_page",),
        ("list",),
        api=lambda w: _ok(w.api(w.officer).get("/api/v1/privacy/consent-gaps"), 200),
        direct=lambda w: registers.consent_gaps_page(actor=w.officer, fmt="json", paginate=list),
    ),
    Operation(
        "consent gaps at the desk",
        ("privacy.registers.consent_gaps.consent_gaps_page",),
        ("list",),
        page=lambda w: _ok(w.page(w.officer).get("/werkruimte/privacy/toestemmingen/"), 200),
        direct=lambda w: registers.consent_gaps_page(
            actor=w.officer, fmt="workspace", paginate=list
        ),
    ),
    Operation(
        "consent register",
        ("privacy.registers.consents.consent_register_read",),
        ("list",),
        api=lambda w: _ok(w.api(w.officer).get("/api/v1/privacy/consent-register"), 200),
        direct=lambda w: registers.consent_register_read(
            actor=w.officer, fmt="json", paginate=list
        ),
    ),
    Operation(
        "consent register as CSV",
        ("privacy.registers.consents.consent_register_read",),
        ("export",),
        api=lambda w: _ok(
            w.api(w.officer).get("/api/v1/privacy/consent-register", HTTP_ACCEPT="text/csv"), 200
        ),
        direct=lambda w: registers.consent_register_read(
            actor=w.officer, fmt="csv", paginate=lambda rows: rows
        ),
    ),
    # privacy: subject requests
    Operation(
        "subject request registered",
        ("privacy.subject_rights.subject_request_register",),
        ("create",),
        api=lambda w: _post(
            w.api(w.officer),
            "/api/v1/privacy/requests",
            {
                "kind": "restriction",
                "subject_id": _subject(w),
                "channel": "letter",
                "reason": PRIVACY_REASON,
            },
            201,
        ),
        page=lambda w: _post(
            w.page(w.officer),
            f"{REQUESTS_PAGE}nieuw/",
            {
                "kind": "restriction",
                "subject_id": _subject(w),
                "received_on": str(timezone.localdate()),
                "channel": "letter",
                "reason": PRIVACY_REASON,
                "confirm": "True",
            },
            302,
        ),
    ),
    Operation(
        "subject request list",
        ("privacy.rights_selectors.subject_request_page",),
        ("list",),
        prepare=_subject_request("access"),
        api=lambda w: _ok(
            w.api(w.officer).get("/api/v1/privacy/requests", {"status": "open"}), 200
        ),
        page=lambda w: _ok(w.page(w.officer).get(REQUESTS_PAGE, {"status": "open"}), 200),
        direct=lambda w: rights_selectors.subject_request_page(
            actor=w.officer, filters={"status": "open"}, now=timezone.now(), paginate=list
        ),
    ),
    Operation(
        "subject request opened at the desk",
        ("privacy.rights_selectors.subject_request_open",),
        ("read",),
        prepare=_subject_request("access"),
        page=lambda w: _ok(w.page(w.officer).get(_request_url(w)), 200),
        direct=lambda w: rights_selectors.subject_request_open(
            actor=w.officer, subject_request_id=w.made["request"].pk
        ),
    ),
    Operation(
        "subject request closed",
        ("privacy.subject_rights.subject_request_close",),
        ("update",),
        prepare=_subject_request("access"),
        api=lambda w: _post(
            w.api(w.officer),
            f"/api/v1/privacy/requests/{w.made['request'].pk}/close",
            {"status": "completed"},
            200,
        ),
        page=lambda w: _post(
            w.page(w.officer),
            _request_url(w, "afhandelen/"),
            {"decision": "completed", "confirm": "on"},
            302,
        ),
        direct=lambda w: subject_rights.subject_request_close(
            actor=w.officer, subject_request_id=w.made["request"].pk, status="completed"
        ),
    ),
    Operation(
        "restriction carried out",
        ("privacy.subject_rights._carry_out",),
        ("update", "update"),
        prepare=_subject_request("restriction"),
        api=lambda w: _post(
            w.api(w.officer),
            f"/api/v1/privacy/subjects/{_subject(w)}/restriction",
            {"request": str(w.made["request"].pk), "reason": PRIVACY_REASON},
            200,
        ),
        page=lambda w: _post(
            w.page(w.officer),
            _request_url(w, "afhandelen/"),
            {"decision": "carry_out", "confirm": "on"},
            302,
        ),
        direct=lambda w: subject_rights.subject_restrict(
            actor=w.officer,
            subject_id=w.signal.subject_id,
            reason=PRIVACY_REASON,
            subject_request_id=w.made["request"].pk,
        ),
    ),
    Operation(
        "subject export as JSON",
        ("privacy.subject_export.subject_export_render",),
        ("export",),
        prepare=_subject_request("access"),
        api=lambda w: _ok(
            w.api(w.officer).get(
                f"/api/v1/privacy/subjects/{_subject(w)}/export",
                {"request": str(w.made["request"].pk)},
            ),
            200,
        ),
        page=lambda w: _post(
            w.page(w.officer), _request_url(w, "inzage/"), {"format": "json", "confirm": "on"}, 200
        ),
        direct=lambda w: _export(w, "json"),
    ),
    Operation(
        "subject export as PDF",
        ("privacy.subject_export.subject_export_render",),
        ("export",),
        prepare=_subject_request("access"),
        api=lambda w: _ok(
            w.api(w.officer).get(
                f"/api/v1/privacy/subjects/{_subject(w)}/export",
                {"request": str(w.made["request"].pk), "format": "pdf"},
            ),
            200,
        ),
        page=lambda w: _post(
            w.page(w.officer), _request_url(w, "inzage/"), {"format": "pdf", "confirm": "on"}, 200
        ),
        direct=lambda w: _export(w, "pdf"),
    ),
]


# --- comparing rows ----------------------------------------------------------------------------

ISO_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(?P<offset>Z|[+-]\d\d:\d\d)?$")


def _known_ids() -> set[str]:
    """Every id in the database before a front end runs: those stay as they are."""
    from django.apps import apps

    known: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"signals", "initiatives", "outcomes", "accounts", "privacy"}:
            known.update(str(pk) for pk in model.objects.values_list("pk", flat=True))
    known.update(str(s) for s in Signal.objects.values_list("subject_id", flat=True))
    return known


def _is_id(value: str) -> bool:
    if value.isdigit():
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _plain(value: Any, known: set[str]) -> Any:
    """A value with the ids of objects the call created, and moments, made comparable: a new
    id is "<new>", a moment keeps its format (offset) but not its time."""
    if isinstance(value, dict):
        return {key: _plain(item, known) for key, item in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(item, known) for item in value]
    if isinstance(value, uuid.UUID):
        value = str(value)
    if isinstance(value, str):
        moment = ISO_MOMENT.match(value)
        if moment:
            return f"<moment{moment['offset'] or ''}>"
        if _is_id(value) and value not in known:
            return "<new>"
    return value


def _row(row: AccessLog, known: set[str]) -> tuple:
    """Everything but the row's id, sequence, time, hashes and origin."""
    return tuple(
        _plain(value, known)
        for value in (
            row.action,
            row.purpose,
            row.authorisation_rule,
            row.subject_id,
            row.object_type,
            row.object_id,
            sorted(row.fields_touched),
            row.consent_id,
            row.outcome,
            row.actor_id,
            sorted(row.actor_roles),
            row.actor_organisation_id,
            row.details,
        )
    )


def _rows_of(call: Call, world: World) -> list[tuple]:
    """The rows one front end writes, in a savepoint rolled back afterwards."""
    known = _known_ids()
    before = set(AccessLog.objects.values_list("pk", flat=True))
    savepoint = transaction.savepoint()
    try:
        call(world)
        written = AccessLog.objects.exclude(pk__in=before).exclude(action="access_denied")
        rows = sorted((_row(row, known) for row in written), key=repr)
    finally:
        transaction.savepoint_rollback(savepoint)
    return rows


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.name for op in OPERATIONS])
def test_every_front_end_writes_the_same_rows(world, operation):
    if operation.prepare:
        operation.prepare(world)
    fronts = {
        name: call
        for name, call in (
            ("api", operation.api),
            ("page", operation.page),
            ("direct", operation.direct),
        )
        if call is not None
    }
    assert len(fronts) >= 2, "an operation is compared over at least two ways in"
    written = {name: _rows_of(call, world) for name, call in fronts.items()}
    for name, rows in written.items():
        assert sorted(row[0] for row in rows) == sorted(operation.actions), (name, rows)
    first, *others = fronts
    for other in others:
        assert written[other] == written[first], (first, other)


# --- the guard ---------------------------------------------------------------------------------

DOMAIN_APPS = ("signals", "initiatives", "outcomes", "privacy")
# Functions that write rows but that no front end reaches, with where their rows are asserted.
NO_FRONT_END = {
    # the retention task's step (Celery beat); tests/privacy/test_retention.py asserts its rows
    "privacy.retention.signal_retention_enforce",
}
VIEW_MODULES = (
    "signals/api/views.py",
    "initiatives/api/views.py",
    "outcomes/api/views.py",
    "outcomes/api/stats_views.py",
    "workspace/views_signals.py",
    "workspace/views_team.py",
    "workspace/views_initiatives.py",
    "privacy/api.py",
    "privacy/api_rights.py",
    "privacy/api_consent.py",
    "workspace/views_privacy.py",
    "workspace/views_privacy_requests.py",
)


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def functions_writing_rows() -> set[str]:
    """Every function of the domain apps (views and migrations left out) whose body calls
    `access_logged`, the one helper that writes rows (audit.disclosure)."""
    found = set()
    for app in DOMAIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "api" in parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.FunctionDef):
                    continue
                calls = {
                    getattr(call.func, "id", getattr(call.func, "attr", None))
                    for call in ast.walk(node)
                    if isinstance(call, ast.Call)
                }
                if "access_logged" in calls:
                    found.add(f"{_module_of(path)}.{node.name}")
    return found


def test_every_function_that_writes_rows_has_a_parity_case():
    covered = {writer for op in OPERATIONS for writer in op.writers} | NO_FRONT_END
    found = functions_writing_rows()
    assert found - covered == set(), "add an Operation for each (tests/audit/test_log_row_parity)"
    assert covered - found == set(), "an Operation names a function that writes no row"


def test_the_guard_finds_a_function_that_writes_rows():
    """The scan is not blind: it sees the selectors and services it must see."""
    found = functions_writing_rows()
    assert {
        "signals.selectors.signal_get_for_team",
        "signals.services.transitions.signal_transition",
        "initiatives.services.referral_step",
        "outcomes.services.measurement_record",
        "privacy.selectors.access_log_search",
        "privacy.subject_export.subject_export_render",
    } <= found


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_no_view_builds_a_log_row(module):
    source = (ROOT / module).read_text()
    for word in ("access_logged", "access_log_record", "Disclosure", "disclosures", "log.add"):
        assert word not in source, f"{module} names {word}: the domain function writes the row"


def test_the_moment_format_is_compared():
    known: set[str] = set()
    utc = _plain(datetime(2026, 12, 1, 9, 30).isoformat() + "+00:00", known)
    local = _plain("2026-12-01T10:30:00+01:00", known)
    assert utc != local
