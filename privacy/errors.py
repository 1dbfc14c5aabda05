from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "access_log_export_too_large",
    400,
    pgettext_lazy(
        "error", "This export has more than {limit} rows; choose a shorter period or a filter."
    ),
)

# --- Data-subject requests (privacy/subject_rights.py) ---------------------------------------
register("unknown_subject", 404, pgettext_lazy("error", "No data is known for this subject id."))
register(
    "subject_request_required",
    400,
    pgettext_lazy(
        "error",
        "Give the resident's registered open request (request); nothing happens without one.",
    ),
)
register("subject_request_not_found", 404, pgettext_lazy("error", "This request does not exist."))
register(
    "subject_request_closed", 409, pgettext_lazy("error", "This request has already been closed.")
)
register(
    "subject_request_mismatch",
    400,
    pgettext_lazy("error", "This request belongs to another subject or is of another kind."),
)
register(
    "subject_request_needs_action",
    409,
    pgettext_lazy(
        "error", "Carry out this request through the erasure or restriction action; that closes it."
    ),
)
register(
    "outcome_note_required", 400, pgettext_lazy("error", "Explain why the request is refused.")
)
register(
    "subject_already_erased",
    409,
    pgettext_lazy("error", "This subject's personal data has already been erased."),
)
register(
    "subject_already_restricted",
    409,
    pgettext_lazy("error", "Processing for this subject is already restricted."),
)
register(
    "subject_not_restricted",
    409,
    pgettext_lazy("error", "Processing for this subject is not restricted."),
)

# --- Break-glass review (privacy/break_glass_reviews.py) --------------------------------------
register(
    "break_glass_not_found",
    404,
    pgettext_lazy("error", "This break-glass opening does not exist."),
)
register(
    "break_glass_already_reviewed",
    409,
    pgettext_lazy("error", "This break-glass opening has already been reviewed."),
)
register(
    "review_note_required",
    400,
    pgettext_lazy("error", "Write down what you found."),
)
