"""The one place that builds an e-mail. Like a push (notifications.messages) it can only say
what it is given: the kind of event, a link to the workspace and, for the digest, three counts.
No names, addresses or words about the resident; the subject is the push's title."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Final

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

from backend.i18n import supported_language
from notifications.messages import TEXTS

DIGEST = "team_digest"
# The line under the subject, and the digest's texts: gettext, context "e-mail", read in the
# recipient's language.
BODY: Final = pgettext_lazy("e-mail", "View it in the Buurtsignaal workspace:")
DIGEST_SUBJECT: Final = pgettext_lazy("e-mail", "Your team's daily digest")
DIGEST_LINES: Final = pgettext_lazy(
    "e-mail", "New since yesterday: {new}\nOpen: {open}\nOverdue: {overdue}"
)
FOOTER: Final = pgettext_lazy(
    "e-mail",
    "You get this message because you work in a neighbourhood team. Turn the daily digest "
    "off under Settings in the workspace.",
)


@dataclass(frozen=True)
class OutgoingEmail:
    subject: str
    body: str


def workspace_link(path: str) -> str:
    return settings.WORKSPACE_BASE_URL.rstrip("/") + path


def message_id(*, notice_id: int, created_at: datetime) -> str:
    """The Message-ID of one notice, the same on every attempt, so a repeat is recognisable (by
    us in the relay's log, by a mail client that drops it). The notice's id and creation time
    make it unique; the domain is the sender's (docs/adr/0036)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notice.{notice_id}.{created_at.astimezone(UTC):%Y%m%d%H%M%S%f}@{domain}>"


def email_build(
    *, kind: str, language: str, object_id: str = "", counts: dict[str, int] | None = None
) -> OutgoingEmail:
    """A signal event's e-mail (a link to the signal's page) or a team's digest (counts and a
    link to the queue)."""
    with translation.override(supported_language(language)):
        return _email(kind=kind, object_id=object_id, counts=counts)


def _email(*, kind: str, object_id: str, counts: dict[str, int] | None) -> OutgoingEmail:
    if kind == DIGEST:
        counts = counts or {}
        lines = str(DIGEST_LINES).format(
            new=counts.get("new", 0), open=counts.get("open", 0), overdue=counts.get("overdue", 0)
        )
        link = workspace_link("/werkruimte/wachtrij/")
        return OutgoingEmail(
            subject=f"Buurtsignaal: {DIGEST_SUBJECT}",
            body=f"{lines}\n\n{BODY}\n{link}\n\n{FOOTER}\n",
        )
    title = str(TEXTS[kind][0])
    link = workspace_link(f"/werkruimte/signalen/{object_id}/")
    return OutgoingEmail(subject=f"Buurtsignaal: {title}", body=f"{BODY}\n{link}\n")
