"""Error codes of the operations endpoints (backend.errors catalogue)."""

from backend.errors import register

register(
    "metrics_token_required",
    401,
    nl="Voor de metrieken is het juiste bearer-token nodig.",
    en="The metrics need the right bearer token.",
)
