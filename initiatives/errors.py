from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "referral_already_active",
    409,
    pgettext_lazy("error", "This signal already has an active referral; finish that one first."),
)
register("no_active_referral", 409, pgettext_lazy("error", "This signal has no active referral."))
register("illegal_referral_step", 409, pgettext_lazy("error", "This step cannot follow '{step}'."))
register(
    "initiative_unavailable",
    400,
    pgettext_lazy(
        "error", "This initiative does not exist, is not active or takes no new participants."
    ),
)
register(
    "initiative_consent_missing",
    403,
    pgettext_lazy(
        "error", "The resident has not consented to their contact details going to this initiative."
    ),
)
register(
    "referral_not_open",
    409,
    pgettext_lazy(
        "error",
        "A referral needs a signal the team is working on (acknowledged, contacted or in "
        "follow-up).",
    ),
)
register("follow_up_in_past", 400, pgettext_lazy("error", "The follow-up date is in the past."))
register(
    "unknown_initiative",
    400,
    pgettext_lazy(
        "error",
        "The consent names an initiative that is not (or no longer) in the catalogue: {ids}.",
    ),
)
