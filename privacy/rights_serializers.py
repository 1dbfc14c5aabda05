"""Input and output shapes of the data-subject rights and register endpoints (api_rights.py).
Inputs are strict: an unknown field is a 400. Outputs never carry staff names; staff ids only
when the export is asked for with include_staff."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.serializers import DateTimeField, StrictSerializer
from outcomes.selectors import measurement_answers_text, score_of
from privacy.export_texts import code_text, label, recipient_text
from privacy.models import SubjectRequest
from privacy.registers import purpose_description
from privacy.registers.lawful_bases import lawful_bases_data
from privacy.retention import retention_info
from privacy.rights_selectors import export_language, initiative_names, subject_recipients

FUTURE_SLACK = timedelta(minutes=10)


# --- inputs -----------------------------------------------------------------------------------


class SubjectRequestIdField(serializers.UUIDField):
    """The registered request a rights action carries out. Required, but a missing one is
    passed on as None, so the refusal is the service's stable `subject_request_required` (with
    the kind needed) rather than a field error: one answer whatever front end calls it."""

    def __init__(self, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"Required: the id of the resident's open registered request of kind {kind} "
            "(POST /privacy/requests) that this carries out. Missing: 400 "
            "subject_request_required; "
            "unknown: 404 subject_request_not_found; another kind or resident: 400 "
            "subject_request_mismatch; closed: 409 subject_request_closed.",
        )
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is serializers.empty or data in (None, ""):
            return True, None
        return super().validate_empty_values(data)


class SubjectExportQuery(StrictSerializer):
    request = SubjectRequestIdField(kind="`access`")
    format = serializers.ChoiceField(choices=["json", "pdf"], required=False)
    include_staff = serializers.BooleanField(
        required=False, default=False, help_text="Include staff user ids (never names)."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # `from` is a Python keyword, so these cannot be class attributes.
        fields["from"] = serializers.DateField(
            required=False, help_text="Who looked: from this day (Europe/Amsterdam), inclusive."
        )
        fields["to"] = serializers.DateField(
            required=False, help_text="Who looked: up to and including this day."
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError(
                {"to": _("Must be on or after from.")}, code="invalid_period"
            )
        return attrs


class SubjectActionInput(StrictSerializer):
    request = SubjectRequestIdField(
        kind="`erasure`, `restriction` or `restriction_lift` (the one of this endpoint)"
    )
    reason = serializers.CharField(
        max_length=500, help_text="The stated grounds. No names or contact details."
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class SubjectRequestFilterInput(StrictSerializer):
    status = serializers.ChoiceField(choices=SubjectRequest.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=SubjectRequest.Kind.choices, required=False)
    subject = serializers.UUIDField(required=False, help_text="Pseudonymous subject id.")
    overdue = serializers.ChoiceField(
        choices=["true", "false"], required=False, help_text="Open and past the due date."
    )
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class SubjectRequestCreateInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=SubjectRequest.Kind.choices)
    subject_id = serializers.UUIDField()
    received_at = DateTimeField(required=False, help_text="Defaults to now.")
    channel = serializers.ChoiceField(
        choices=SubjectRequest.Channel.choices, default=SubjectRequest.Channel.OTHER
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Required for erasure and restriction. No names or contact details.",
    )

    def validate_received_at(self, value: Any) -> Any:
        if value > timezone.now() + FUTURE_SLACK:
            raise serializers.ValidationError(_("Cannot be in the future."), code="future")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] in SubjectRequest.ACTION_KINDS and not attrs.get("reason", "").strip():
            raise serializers.ValidationError(
                {"reason": [serializers.ErrorDetail(_("State the reason."), code="required")]}
            )
        attrs.setdefault("received_at", timezone.now())
        return attrs


class SubjectRequestCloseInput(StrictSerializer):
    status = serializers.ChoiceField(
        choices=[SubjectRequest.Status.COMPLETED, SubjectRequest.Status.REFUSED]
    )
    outcome_note = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ConsentRegisterQuery(StrictSerializer):
    format = serializers.ChoiceField(choices=["json", "csv"], required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


class ProcessingRegisterQuery(StrictSerializer):
    format = serializers.ChoiceField(choices=["json", "md"], required=False)


# --- outputs ----------------------------------------------------------------------------------


class DataRecipientOutput(serializers.Serializer):
    initiative_id = serializers.UUIDField()
    name = serializers.CharField()
    received_at = DateTimeField()
    signal_id = serializers.UUIDField()


class SubjectRequestOutput(serializers.Serializer):
    """A request, with every initiative the resident's contact details already reached and
    when (AVG art. 19: an erasure or restriction must be told to them, and the resident may
    ask who they are). A list passes `recipients` (by subject id) in the context: one query."""

    id = serializers.UUIDField()
    kind = serializers.CharField()
    subject_id = serializers.UUIDField()
    channel = serializers.CharField()
    status = serializers.CharField()
    received_at = DateTimeField()
    due_at = DateTimeField()
    overdue = serializers.SerializerMethodField()
    reason = serializers.CharField()
    registered_by_id = serializers.UUIDField()
    handled_by_id = serializers.UUIDField(allow_null=True)
    completed_at = DateTimeField(allow_null=True)
    outcome_note = serializers.CharField()
    recipients = serializers.SerializerMethodField()

    def get_overdue(self, request: SubjectRequest) -> bool:
        now = self.context.get("now") or timezone.now()
        return request.status == SubjectRequest.Status.OPEN and request.due_at < now

    @extend_schema_field(DataRecipientOutput(many=True))
    def get_recipients(self, request: SubjectRequest) -> list[dict[str, Any]]:
        recipients = self.context.get("recipients")
        if recipients is None:
            recipients = subject_recipients(subject_ids=[request.subject_id])
        rows = recipients.get(request.subject_id, [])
        return DataRecipientOutput(rows, many=True).data


class _StaffIdsOptional(serializers.Serializer):
    """Drops staff id fields unless the export was asked for with include_staff."""

    STAFF_FIELDS: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("include_staff"):
            for name in self.STAFF_FIELDS:
                data.pop(name, None)
        return data


class ExportPersonalDataOutput(serializers.Serializer):
    first_name = serializers.CharField(source="resident_first_name")
    phone = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")
    postcode = serializers.CharField()
    house_number = serializers.IntegerField(allow_null=True)
    house_number_addition = serializers.CharField()
    observation = serializers.CharField()


class ExportNamedOutput(serializers.Serializer):
    name = serializers.CharField()


class ExportNeighbourhoodOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ExportReasonOutput(serializers.Serializer):
    code = serializers.CharField()
    label_nl = serializers.CharField()
    label_en = serializers.CharField()


class ExportEventOutput(_StaffIdsOptional):
    STAFF_FIELDS = ("actor_id",)
    at = DateTimeField(source="created_at")
    type = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor_id = serializers.UUIDField(allow_null=True, required=False)


class ExportReferralOutput(serializers.Serializer):
    """A referral to an initiative: to whom, how far, and when contact details went there."""

    initiative = ExportNamedOutput()
    step = serializers.CharField()
    created_at = DateTimeField()
    contact_shared_at = DateTimeField(allow_null=True)
    first_meeting_at = DateTimeField(allow_null=True)
    ended_at = DateTimeField(allow_null=True)


class ExportNoteOutput(_StaffIdsOptional):
    STAFF_FIELDS = ("author_id",)
    id = serializers.UUIDField()
    created_at = DateTimeField()
    body = serializers.CharField()
    erased_at = DateTimeField(allow_null=True)
    corrects_id = serializers.UUIDField(allow_null=True)
    author_id = serializers.UUIDField(required=False)


class ExportAnswerOutput(serializers.Serializer):
    item = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class ExportMeasurementOutput(serializers.Serializer):
    """A measurement with the questions as asked and the resident's answers (erased ones show
    the erasure date), and what they scored."""

    id = serializers.UUIDField()
    phase = serializers.CharField()
    instrument = serializers.CharField(source="instrument.name_nl")
    instrument_version = serializers.CharField(source="instrument.version")
    declined = serializers.BooleanField()
    taken_at = DateTimeField()
    answers = serializers.SerializerMethodField()
    total_score = serializers.SerializerMethodField()
    erased_at = DateTimeField(allow_null=True)

    @extend_schema_field(ExportAnswerOutput(many=True))
    def get_answers(self, measurement: Any) -> list[dict[str, str]]:
        return measurement_answers_text(measurement)

    def get_total_score(self, measurement: Any) -> int | None:
        result = score_of(measurement)
        return None if result is None else result.total


class ExportPurposeOutput(serializers.Serializer):
    code = serializers.CharField()
    granted = serializers.BooleanField()
    description = serializers.CharField()


class ExportConsentTextOutput(serializers.Serializer):
    version = serializers.CharField()
    language = serializers.CharField()
    sha256 = serializers.CharField()
    body = serializers.CharField()


class ExportConsentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    given_at = DateTimeField()
    recorded_at = DateTimeField()
    given_by = serializers.CharField()
    representative_relation = serializers.CharField()
    method = serializers.CharField()
    purposes = serializers.SerializerMethodField()
    recipients = serializers.ListField(child=serializers.CharField())
    recipient_names = serializers.SerializerMethodField()
    consent_text = ExportConsentTextOutput()
    withdrawn_at = DateTimeField(source="withdrawal.withdrawn_at", allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_recipient_names(self, consent: Any) -> list[str]:
        """The recipients in words, in the request's language: an initiative by its catalogue
        name, never its id (a resident cannot read an id)."""
        names = initiative_names(consent.recipients)
        return [recipient_text(str(recipient), names) for recipient in consent.recipients]

    @extend_schema_field(ExportPurposeOutput(many=True))
    def get_purposes(self, consent: Any) -> list[dict[str, Any]]:
        return [
            {"code": code, "granted": bool(granted), "description": purpose_description(code)}
            for code, granted in consent.purposes.items()
        ]


class ExportRetentionOutput(serializers.Serializer):
    rule = serializers.ChoiceField(
        choices=["after_end", "while_open", "no_policy", "erased", "restricted"]
    )
    erase_after_days = serializers.IntegerField(allow_null=True)
    clock_started_at = DateTimeField(allow_null=True)
    erase_at = DateTimeField(allow_null=True)
    erased_at = DateTimeField(allow_null=True)


class ExportSignalOutput(serializers.Serializer):
    signal_id = serializers.UUIDField(source="id")
    created_at = DateTimeField()
    source_organisation = ExportNamedOutput(allow_null=True)
    personal_data = ExportPersonalDataOutput(source="*")
    personal_data_erased_at = DateTimeField(allow_null=True)
    preferred_language = serializers.CharField()
    target_group = serializers.CharField()
    reasons = ExportReasonOutput(many=True)
    urgency = serializers.CharField()
    status = serializers.CharField()
    outcome = serializers.CharField()
    team = ExportNamedOutput(allow_null=True)
    neighbourhood = ExportNeighbourhoodOutput(allow_null=True)
    restricted_at = DateTimeField(allow_null=True)
    status_history = ExportEventOutput(source="events", many=True)
    notes = ExportNoteOutput(many=True)
    measurements = ExportMeasurementOutput(many=True)
    referrals = serializers.SerializerMethodField()
    consent = serializers.SerializerMethodField()
    retention = serializers.SerializerMethodField()

    @extend_schema_field(ExportReferralOutput(many=True))
    def get_referrals(self, signal: Any) -> list[dict[str, Any]]:
        rows = self.context["referrals"].get(signal.pk, [])
        return ExportReferralOutput(rows, many=True).data

    @extend_schema_field(ExportConsentOutput(allow_null=True))
    def get_consent(self, signal: Any) -> dict[str, Any] | None:
        consent = getattr(signal, "consent", None)
        return ExportConsentOutput(consent, context=self.context).data if consent else None

    @extend_schema_field(ExportRetentionOutput)
    def get_retention(self, signal: Any) -> dict[str, Any]:
        info = retention_info(signal=signal, policies=self.context["retention_policies"])
        return ExportRetentionOutput(info).data


class ExportAccessOutput(_StaffIdsOptional):
    STAFF_FIELDS = ("actor_id",)
    occurred_at = DateTimeField()
    action = serializers.CharField()
    outcome = serializers.CharField()
    purpose = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), source="actor_roles")
    organisation = serializers.SerializerMethodField()
    actor_id = serializers.UUIDField(allow_null=True, required=False)

    def get_organisation(self, row: Any) -> str | None:
        return self.context["organisation_names"].get(row.actor_organisation_id)


class ExportLookOutput(_StaffIdsOptional):
    """One look at the resident's data, in words in the export's language (docs/adr/0048)."""

    STAFF_FIELDS = ("actor_id",)
    first_at = DateTimeField()
    last_at = DateTimeField()
    count = serializers.IntegerField(help_text="Reads taken together in this look.")
    action = serializers.CharField()
    action_text = serializers.SerializerMethodField()
    outcome = serializers.CharField()
    outcome_text = serializers.SerializerMethodField()
    purpose = serializers.CharField()
    purpose_text = serializers.SerializerMethodField()
    roles = serializers.ListField(child=serializers.CharField(), source="actor_roles")
    roles_text = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    actor_id = serializers.UUIDField(allow_null=True, required=False)

    def get_action_text(self, look: Any) -> str:
        return code_text("action", look.action)

    def get_outcome_text(self, look: Any) -> str:
        return code_text("access_outcome", look.outcome)

    def get_purpose_text(self, look: Any) -> str:
        return code_text("purpose", look.purpose)

    def get_roles_text(self, look: Any) -> str:
        return ", ".join(code_text("role", r) for r in look.actor_roles) or label("system")

    def get_organisation(self, look: Any) -> str | None:
        return self.context["organisation_names"].get(look.actor_organisation_id)


class ExportControllerOutput(serializers.Serializer):
    name = serializers.CharField()
    contact = serializers.CharField()


class LawfulBasisOutput(serializers.Serializer):
    activity = serializers.CharField()
    description = serializers.CharField()
    consent_based = serializers.BooleanField()
    gdpr_art6 = serializers.CharField()
    gdpr_art6_ground = serializers.CharField()
    gdpr_art9 = serializers.CharField(allow_null=True)
    gdpr_art9_ground = serializers.CharField(allow_null=True)
    national_law = serializers.CharField()


class SubjectExportOutput(serializers.Serializer):
    subject_id = serializers.UUIDField()
    generated_at = DateTimeField()
    include_staff = serializers.SerializerMethodField()
    controller = serializers.SerializerMethodField()
    lawful_bases = serializers.SerializerMethodField()
    signals = ExportSignalOutput(many=True)
    access_history = ExportAccessOutput(many=True)
    looks = ExportLookOutput(many=True)
    language = serializers.SerializerMethodField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        self.context["organisation_names"] = instance.organisation_names
        self.context["retention_policies"] = instance.retention_policies
        self.context["referrals"] = instance.referrals
        return super().to_representation(instance)

    def get_language(self, export: Any) -> str:
        """The language the words are in: the resident's (docs/adr/0048)."""
        return export_language(export)

    def get_include_staff(self, export: Any) -> bool:
        return bool(self.context.get("include_staff"))

    @extend_schema_field(ExportControllerOutput)
    def get_controller(self, export: Any) -> dict[str, str]:
        return {
            "name": settings.PRIVACY_CONTROLLER_NAME,
            "contact": settings.PRIVACY_CONTROLLER_CONTACT,
        }

    @extend_schema_field(LawfulBasisOutput(many=True))
    def get_lawful_bases(self, export: Any) -> list[dict[str, Any]]:
        """Why each use of the resident's data is allowed (AVG art. 13/15: the basis)."""
        return LawfulBasisOutput(lawful_bases_data(), many=True).data


class ConsentRegisterEntryOutput(serializers.Serializer):
    consent_id = serializers.UUIDField()
    subject_id = serializers.UUIDField()
    given_at = DateTimeField()
    recorded_at = DateTimeField()
    method = serializers.CharField()
    given_by = serializers.CharField()
    purposes = serializers.DictField(child=serializers.BooleanField())
    recipients = serializers.ListField(child=serializers.CharField())
    consent_text_version = serializers.CharField()
    consent_text_language = serializers.CharField()
    consent_text_sha256 = serializers.CharField()
    recorded_by_organisation = serializers.CharField()
    withdrawn_at = DateTimeField(allow_null=True)


class ConsentGapQuery(StrictSerializer):
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


class ConsentGapOutput(serializers.Serializer):
    consent_id = serializers.UUIDField()
    subject_id = serializers.UUIDField()
    recorded_at = DateTimeField()
    consent_text_version = serializers.CharField()
    consent_text_language = serializers.CharField()
    purposes_not_covered = serializers.ListField(
        child=serializers.CharField(),
        help_text="granted, but the text shown does not declare it: counts as not given",
    )
    unresolved_recipients = serializers.ListField(
        child=serializers.CharField(),
        help_text="initiatives recorded by name that matched no single catalogue entry "
        "exactly: they cover no one",
    )
