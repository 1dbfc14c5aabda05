"""The referral step table. Pure: no database."""

from initiatives.models import ReferralStep

R = ReferralStep

_DECLINES = frozenset({R.DECLINED_BY_RESIDENT, R.DECLINED_BY_INITIATIVE})

# Steps a team may record after each step. `stuck` can resume where it makes sense; a
# resident can decline at any point, an initiative once it has been contacted.
NEXT: dict[str, frozenset[str]] = {
    R.PROPOSED: frozenset({R.AGREED, R.STUCK, R.DECLINED_BY_RESIDENT}),
    R.AGREED: frozenset({R.CONTACTED, R.STUCK, R.DECLINED_BY_RESIDENT}),
    R.CONTACTED: frozenset({R.MEETING_PLANNED, R.STUCK} | _DECLINES),
    R.MEETING_PLANNED: frozenset({R.MEETING_HAPPENED, R.MEETING_PLANNED, R.STUCK} | _DECLINES),
    R.STUCK: frozenset({R.AGREED, R.CONTACTED, R.MEETING_PLANNED} | _DECLINES),
    R.MEETING_HAPPENED: frozenset(),
    R.DECLINED_BY_RESIDENT: frozenset(),
    R.DECLINED_BY_INITIATIVE: frozenset(),
    R.STOPPED: frozenset(),
}

ENDING = frozenset({R.MEETING_HAPPENED, R.STOPPED} | _DECLINES)
NEEDS_REASON = frozenset({R.STUCK} | _DECLINES)


def allowed_after(step: str) -> list[str]:
    return sorted(NEXT[step])


def is_allowed(from_step: str, to_step: str) -> bool:
    return to_step in NEXT[from_step]
