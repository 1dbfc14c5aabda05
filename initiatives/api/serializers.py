"""Input and output shapes of the initiatives API. No business logic here."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.serializers import DateTimeField, StrictSerializer
from initiatives import referral_flow
from initiatives.models import ReferralStep


class InitiativeOutput(serializers.Serializer):
    id = serializers.UUIDField()
    slug = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    description_nl = serializers.CharField()
    description_en = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.ListField(child=serializers.CharField())
    reasons = serializers.SerializerMethodField()
    citywide = serializers.BooleanField()
    buurt_codes = serializers.ListField(child=serializers.CharField())
    wijk_codes = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    step_free = serializers.BooleanField()
    transport_offered = serializers.BooleanField()
    cost = serializers.CharField()
    contact_route = serializers.CharField(help_text="the initiative's own contact route")
    accepting_new = serializers.BooleanField()
    last_verified_on = serializers.DateField()

    def get_reasons(self, initiative) -> list[str]:
        return sorted(reason.code for reason in initiative.reasons.all())  # prefetched


class InitiativeRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SuggestionOutput(serializers.Serializer):
    initiative = InitiativeOutput()
    score = serializers.IntegerField()
    matched = serializers.ListField(
        child=serializers.CharField(),
        help_text="criteria met: same_buurt|same_wijk|citywide, target_group, reasons, "
        "language, accepting_new, step_free, transport_offered, free",
    )
    unmatched = serializers.ListField(child=serializers.CharField())
    matched_reasons = serializers.ListField(child=serializers.CharField())


class SuggestionsOutput(serializers.Serializer):
    signal_id = serializers.UUIDField()
    results = SuggestionOutput(many=True)


class ConsentGateOutput(serializers.Serializer):
    share_allowed = serializers.BooleanField()
    missing_purpose = serializers.CharField(allow_null=True)
    missing_recipient = serializers.CharField(allow_null=True)
    consent_withdrawn = serializers.BooleanField()


class ReferralOutput(serializers.Serializer):
    id = serializers.UUIDField()
    initiative = InitiativeRefOutput()
    step = serializers.ChoiceField(choices=ReferralStep.choices)
    allowed_steps = serializers.SerializerMethodField()
    follow_up_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")
    contact_shared_at = DateTimeField(allow_null=True)
    first_meeting_at = DateTimeField(allow_null=True)
    created_at = DateTimeField()
    ended_at = DateTimeField(allow_null=True)
    consent = serializers.SerializerMethodField()

    def get_allowed_steps(self, referral) -> list[str]:
        return referral_flow.allowed_after(referral.step)

    def get_overdue(self, referral) -> bool:
        return bool(referral.follow_up_on and referral.follow_up_on < self.context["today"])

    @extend_schema_field(ConsentGateOutput)
    def get_consent(self, referral) -> dict:
        return self.context["gates"][referral.pk].as_details()


class HandoverOutput(serializers.Serializer):
    initiative = serializers.CharField()
    initiative_contact_route = serializers.CharField()
    resident = serializers.DictField(child=serializers.CharField(allow_blank=True))


class ReferralStepOutput(ReferralOutput):
    handover = serializers.SerializerMethodField(
        help_text="the resident's contact details for the initiative: only when share_contact "
        "was asked and consent allows it"
    )

    @extend_schema_field(HandoverOutput(allow_null=True))
    def get_handover(self, referral) -> dict | None:
        return self.context.get("handover")


class ReferralProposeInput(StrictSerializer):
    initiative = serializers.UUIDField()
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReferralStepInput(StrictSerializer):
    step = serializers.ChoiceField(
        choices=[c for c in ReferralStep.choices if c[0] not in ("proposed", "stopped")]
    )
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="needed for stuck and the declines; kept as a team note",
    )
    share_contact = serializers.BooleanField(
        default=False,
        help_text="hand the resident's contact details over for the initiative (needs consent "
        "share_with_initiative naming it)",
    )
