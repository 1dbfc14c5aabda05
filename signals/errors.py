from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "consent_required",
    400,
    pgettext_lazy(
        "error",
        "A signal can only be submitted with the resident's consent to be contacted by the "
        "neighbourhood team.",
    ),
)
register(
    "unknown_consent_text",
    400,
    pgettext_lazy("error", "This consent text does not exist or is no longer in use."),
)
register(
    "consent_text_mismatch",
    400,
    pgettext_lazy("error", "The consent text shown does not match the recorded version."),
)
register(
    "purpose_not_in_consent_text",
    400,
    pgettext_lazy(
        "error",
        "Consent text {version} says nothing about this purpose: {purposes}. Use a text that "
        "explains it, or do not ask consent for it.",
    ),
)
register("unknown_reason_code", 400, pgettext_lazy("error", "Unknown reason code: {codes}."))
register(
    "client_uuid_conflict",
    409,
    pgettext_lazy("error", "This client_uuid was already used for a different signal."),
)
register(
    "illegal_transition",
    409,
    pgettext_lazy("error", "This status change is not allowed from '{status}'."),
)
register(
    "version_conflict",
    409,
    pgettext_lazy("error", "The signal was changed in the meantime; reload it."),
)
register("outcome_required", 400, pgettext_lazy("error", "Choose an outcome to close the signal."))
register("reason_required", 400, pgettext_lazy("error", "Give a reason."))
register(
    "not_a_team_member",
    400,
    pgettext_lazy("error", "This person is not a member of the signal's team."),
)
register(
    "coordinator_required",
    403,
    pgettext_lazy("error", "Only a coordinator of the team can do this."),
)
register(
    "invalid_forward_target",
    400,
    pgettext_lazy("error", "Choose another, active team to forward to."),
)
register("already_withdrawn", 409, pgettext_lazy("error", "Consent has already been withdrawn."))
register(
    "unknown_note",
    400,
    pgettext_lazy("error", "The note you want to correct does not belong to this signal."),
)
register(
    "processing_restricted",
    423,
    pgettext_lazy("error", "Processing of this signal is restricted at the resident's request."),
)
register(
    "break_glass_read_only",
    403,
    pgettext_lazy(
        "error", "Break-glass access lets you read this signal only; its team handles it."
    ),
)
register(
    "break_glass_not_needed",
    409,
    pgettext_lazy(
        "error",
        "You already have access to this signal through your team; break-glass is not needed.",
    ),
)
register(
    "signal_erased",
    409,
    pgettext_lazy("error", "Consent was withdrawn or the data erased; nothing more can be added."),
)
register(
    "connected_needs_referral",
    409,
    pgettext_lazy(
        "error",
        "Closing as 'connected to an initiative' needs a referral that reached a first meeting.",
    ),
)
