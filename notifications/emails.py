"""The one place that builds an e-mail. Like a push (notifications.messages) it can only say
what it is given: the kind of event, a link to the workspace and, for the digest, three counts.
No names, addresses or words about the resident; the subject is the push's title."""

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Final

from django.conf import settings

from notifications.messages import TEXTS

DIGEST = "team_digest"
# The line under the subject, and the digest's texts, per language. Dutch is the default.
BODY: Final[dict[str, str]] = {
    "nl": "Bekijk het in de werkruimte van Buurtsignaal:",
    "en": "View it in the Buurtsignaal workspace:",
}
DIGEST_SUBJECT: Final[dict[str, str]] = {
    "nl": "Dagoverzicht van je team",
    "en": "Your team's daily digest",
}
DIGEST_LINES: Final[dict[str, str]] = {
    "nl": "Nieuw sinds gisteren: {new}\nOpen: {open}\nTermijn verstreken: {overdue}",
    "en": "New since yesterday: {new}\nOpen: {open}\nOverdue: {overdue}",
}
FOOTER: Final[dict[str, str]] = {
    "nl": "Je krijgt dit bericht omdat je in een buurtteam werkt. Het dagoverzicht zet je uit "
    "bij Instellingen in de werkruimte.",
    "en": "You get this message because you work in a neighbourhood team. Turn the daily digest "
    "off under Settings in the workspace.",
}


@dataclass(frozen=True)
class OutgoingEmail:
    subject: str
    body: str


def _language(language: str) -> str:
    return language if language in BODY else "nl"


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
    lang = _language(language)
    if kind == DIGEST:
        counts = counts or {}
        lines = DIGEST_LINES[lang].format(
            new=counts.get("new", 0), open=counts.get("open", 0), overdue=counts.get("overdue", 0)
        )
        link = workspace_link("/werkruimte/wachtrij/")
        return OutgoingEmail(
            subject=f"Buurtsignaal: {DIGEST_SUBJECT[lang]}",
            body=f"{lines}\n\n{BODY[lang]}\n{link}\n\n{FOOTER[lang]}\n",
        )
    title, _body = TEXTS[kind].get(lang, TEXTS[kind]["nl"])
    link = workspace_link(f"/werkruimte/signalen/{object_id}/")
    return OutgoingEmail(subject=f"Buurtsignaal: {title}", body=f"{BODY[lang]}\n{link}\n")
