"""Error codes of the operations endpoints (backend.errors catalogue)."""

from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "metrics_token_required",
    401,
    pgettext_lazy("error", "The metrics need the right bearer token."),
)
