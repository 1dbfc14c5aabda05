"""Input and output shapes of the signals API. No business logic here."""

import re
import uuid
from datetime import datetime

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.postcodes import postcode_normalise
from backend.serializers import DateTimeField, StrictSerializer
from signals.consent_scope import ANY
from signals.deadlines import QUEUE_DEADLINE_PREFIX
from signals.models import Consent, ConsentPurpose, Outcome, Status, TargetGroup, Urgency
from signals.services.intake import IntakeConsent, IntakeInput

PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,19}$")


class ResidentInput(StrictSerializer):
    first_name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)

    def validate_phone(self, value: str) -> str:
        if value and not PHONE.match(value):
            raise serializers.ValidationError(_("Not a phone number."), code="invalid")
        return value


class AddressInput(StrictSerializer):
    postcode = serializers.CharField(max_length=8)
    house_number = serializers.IntegerField(min_value=1, max_value=99999)
    addition = serializers.RegexField(
        r"^[A-Za-z0-9 -]{0,8}$", max_length=8, required=False, allow_blank=True
    )

    def validate_postcode(self, value: str) -> str:
        postcode = postcode_normalise(value)
        if postcode is None:
            raise serializers.ValidationError(
                _("Not a Dutch postcode like 3511 AB."), code="invalid"
            )
        return postcode


class PurposesInput(StrictSerializer):
    """One yes or no per consent purpose (signals.models.ConsentPurpose); team contact must be
    answered, the others default to no."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            purpose.value: serializers.BooleanField()
            if purpose == ConsentPurpose.TEAM_CONTACT
            else serializers.BooleanField(default=False)
            for purpose in ConsentPurpose
        }


class InitiativeRefField(serializers.RegexField):
    """A catalogue id (a UUID) or "any"; ids come out in their canonical lower-case form."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            r"^(any|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$",
            max_length=36,
            error_messages={"invalid": _('Give a catalogue id of an initiative, or "any".')},
            **kwargs,
        )

    def to_internal_value(self, data: object) -> str:
        value = super().to_internal_value(data)
        if value == ANY:
            return value
        try:
            return str(uuid.UUID(value))
        except ValueError:
            self.fail("invalid")


class ConsentInput(StrictSerializer):
    given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices)
    representative_relation = serializers.CharField(max_length=64, required=False, allow_blank=True)
    method = serializers.ChoiceField(choices=Consent.Method.choices)
    given_at = DateTimeField(offset_required=True)
    purposes = PurposesInput()
    initiatives = serializers.ListField(
        child=InitiativeRefField(),
        required=False,
        max_length=10,
        help_text="the initiatives the resident agreed to be shared with, by catalogue id (GET "
        '/api/v1/initiatives), or "any" for any initiative the team picks with the resident',
    )
    consent_text_id = serializers.IntegerField()
    consent_text_sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", required=False)


class SignalCreateInput(StrictSerializer):
    """Parses an intake body into the service's IntakeInput; the rules of intake (consent age,
    a representative's relation, recipients) are the service's."""

    client_uuid = serializers.UUIDField()
    resident = ResidentInput()
    address = AddressInput()
    preferred_language = serializers.RegexField(r"^[a-z]{2}$", required=False, allow_blank=True)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    reasons = serializers.ListField(
        child=serializers.SlugField(max_length=48), required=False, max_length=10
    )
    observation = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    consent = ConsentInput()

    def to_input(self) -> IntakeInput:
        data = self.validated_data
        resident, address, consent = data["resident"], data["address"], data["consent"]
        return IntakeInput(
            client_uuid=data["client_uuid"],
            first_name=resident["first_name"],
            phone=resident.get("phone", ""),
            email=resident.get("email", ""),
            postcode=address["postcode"],
            house_number=address["house_number"],
            house_number_addition=address.get("addition", ""),
            preferred_language=data.get("preferred_language", ""),
            target_group=data["target_group"],
            reasons=tuple(data.get("reasons", ())),
            observation=data.get("observation", ""),
            urgency=data["urgency"],
            consent=IntakeConsent(
                given_by=consent["given_by"],
                representative_relation=consent.get("representative_relation", ""),
                method=consent["method"],
                given_at=consent["given_at"],
                purposes=frozenset(
                    ConsentPurpose(code) for code, given in consent["purposes"].items() if given
                ),
                initiatives=tuple(consent.get("initiatives", ())),
                consent_text_id=consent["consent_text_id"],
                consent_text_sha256=consent.get("consent_text_sha256", ""),
            ),
        )


class SignalReceiptOutput(serializers.Serializer):
    id = serializers.UUIDField()
    client_uuid = serializers.UUIDField()
    status = serializers.CharField()
    created_at = DateTimeField()


class MySignalOutput(SignalReceiptOutput):
    updated_at = DateTimeField()
    connected = serializers.SerializerMethodField(
        help_text="the signal was closed with the resident connected to an initiative"
    )
    connected_to = serializers.SerializerMethodField(
        help_text="the initiative's name, only where the resident's consent named it"
    )

    def get_connected(self, signal) -> bool:
        return signal.status == Status.CLOSED and signal.outcome == Outcome.CONNECTED_TO_INITIATIVE

    def get_connected_to(self, signal) -> str | None:
        if not self.get_connected(signal):
            return None
        return getattr(signal, "connected_to", None) or None


class TransitionInput(StrictSerializer):
    to = serializers.ChoiceField(choices=Status.choices)
    version = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)


class AssignInput(StrictSerializer):
    assignee = serializers.UUIDField(
        required=False, allow_null=True, help_text="omit to claim the signal yourself"
    )
    version = serializers.IntegerField(min_value=1)


class ForwardInput(StrictSerializer):
    team = serializers.UUIDField()
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=2000)


class NoteInput(StrictSerializer):
    body = serializers.CharField(max_length=2000)
    corrects = serializers.UUIDField(required=False)


class WithdrawInput(StrictSerializer):
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="How the withdrawal reached you (kept, encrypted, as evidence of it); no "
        "details about the resident.",
    )


class BreakGlassInput(StrictSerializer):
    reason = serializers.CharField(
        min_length=10,
        max_length=500,
        help_text="Why you need this signal outside your team; the privacy officer reviews it. "
        "No details about the resident.",
    )


class BreakGlassOutput(serializers.Serializer):
    id = serializers.UUIDField()
    signal_id = serializers.UUIDField()
    opened_at = DateTimeField()
    expires_at = DateTimeField()


class RefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class PersonRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    full_name = serializers.CharField()


class NeighbourhoodOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    wijk_code = serializers.CharField()
    wijk_name = serializers.CharField()


class DeadlineOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="e.g. outcome_follow_up: the follow-up measurement")
    due_at = DateTimeField()
    overdue = serializers.BooleanField()


class QueueItemOutput(serializers.Serializer):
    """Queue rows carry no personal fields: the list is for choosing work, the detail for it."""

    id = serializers.UUIDField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    urgency = serializers.CharField()
    target_group = serializers.CharField()
    reasons = serializers.SerializerMethodField()
    team = RefOutput()
    neighbourhood = NeighbourhoodOutput(allow_null=True)
    assigned_to = PersonRefOutput(allow_null=True)
    due_at = DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    escalated_at = DateTimeField(allow_null=True)
    created_at = DateTimeField()
    deadlines = serializers.SerializerMethodField(
        help_text="deadlines besides the status's own due_at (signals.providers.queue_deadlines)"
    )

    def get_reasons(self, signal) -> list[str]:
        return [reason.code for reason in signal.reasons.all()]  # prefetched by the selector

    def get_overdue(self, signal) -> bool:
        return bool(
            signal.due_at
            and signal.due_at < self.context["now"]
            and signal.status in self.context["open_statuses"]
        )

    @extend_schema_field(DeadlineOutput(many=True))
    def get_deadlines(self, signal) -> list[dict]:
        deadlines = []
        for kind in self.context.get("deadline_kinds", ()):
            due_at = getattr(signal, f"{QUEUE_DEADLINE_PREFIX}{kind}", None)
            if due_at is not None:
                overdue = due_at < self.context["now"]
                deadlines.append({"kind": kind, "due_at": due_at, "overdue": overdue})
        return DeadlineOutput(deadlines, many=True).data


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = PersonRefOutput(allow_null=True)
    note_id = serializers.UUIDField(allow_null=True)
    data = serializers.DictField()
    created_at = DateTimeField()


class NoteOutput(serializers.Serializer):
    id = serializers.UUIDField()
    body = serializers.CharField()
    author = PersonRefOutput()
    corrects_id = serializers.UUIDField(allow_null=True)
    created_at = DateTimeField()
    erased_at = DateTimeField(allow_null=True)


class ConsentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    given_by = serializers.CharField()
    representative_relation = serializers.CharField()
    method = serializers.CharField()
    given_at = DateTimeField()
    purposes = serializers.DictField(child=serializers.BooleanField())
    recipients = serializers.ListField(child=serializers.CharField())
    consent_text_version = serializers.CharField(source="consent_text.version")
    consent_text_language = serializers.CharField(source="consent_text.language")
    withdrawn_at = serializers.SerializerMethodField()

    def get_withdrawn_at(self, consent) -> datetime | None:
        withdrawal = getattr(consent, "withdrawal", None)
        return withdrawal.withdrawn_at if withdrawal else None


class SignalDetailOutput(QueueItemOutput):
    deadlines = None  # the queue's; the detail's own readers (measurements) show theirs
    resident = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    preferred_language = serializers.CharField()
    observation = serializers.CharField()
    outcome = serializers.CharField()
    acknowledge_due_at = DateTimeField(allow_null=True)
    first_contact_due_at = DateTimeField(allow_null=True)
    personal_data_erased_at = DateTimeField(allow_null=True)
    consent = ConsentOutput()
    allowed_transitions = serializers.SerializerMethodField()
    events = EventOutput(many=True)
    notes = NoteOutput(many=True)
    updated_at = DateTimeField()

    def get_resident(self, signal) -> dict:
        return {
            "first_name": signal.resident_first_name,
            "phone": signal.contact_phone,
            "email": signal.contact_email,
        }

    def get_address(self, signal) -> dict:
        return {
            "postcode": signal.postcode,
            "house_number": signal.house_number,
            "addition": signal.house_number_addition,
        }

    def get_allowed_transitions(self, signal) -> list[str]:
        from signals.workflow import allowed_from

        return allowed_from(signal.status)


class ConsentTextOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.CharField()
    language = serializers.CharField()
    body = serializers.CharField()
    sha256 = serializers.CharField()
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentPurpose.choices),
        help_text="the purposes this text says what happens for; intake refuses any other",
    )


class ReasonCodeOutput(serializers.Serializer):
    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_en = serializers.CharField()
