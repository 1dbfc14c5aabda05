"""A local SMTP relay (aiosmtpd in a thread, on a free loopback port) that records every message
it accepts: the unit tests and the fault scenarios read what really left, Message-ID and all.
It can be slow (a pause before each answer to DATA, after the message is taken) and can
refuse for a while (451)."""

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    message_id: str
    to: tuple[str, ...]
    subject: str
    at: float  # time.monotonic() when the relay took it


@dataclass
class _Handler:
    delay: float = 0.0
    refuse: int = 0  # refuse this many DATA commands (451) before accepting again
    in_flight: int = 0  # messages taken and not answered yet (within `delay`)
    received: list[Received] = field(default_factory=list)
    # Called (in the relay's thread) before a message is accepted: what the world looks like
    # while an e-mail is on its way.
    before_accept: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Takes the message as a relay that queues it on arrival, then answers after `delay`:
        a sender killed meanwhile never learns that it arrived (a repeat when it sends again)."""
        if self.before_accept is not None:
            self.before_accept()
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 try again later"
            parsed = message_from_bytes(envelope.original_content or envelope.content)
            self.received.append(
                Received(
                    message_id=str(parsed.get("Message-ID", "")),
                    to=tuple(envelope.rcpt_tos),
                    subject=str(parsed.get("Subject", "")),
                    at=time.monotonic(),
                )
            )
            self.in_flight += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        finally:
            with self.lock:
                self.in_flight -= 1
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpRelay:
    def __init__(self, *, delay: float = 0.0) -> None:
        self.handler = _Handler(delay=delay)
        self.port = _free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """EMAIL_URL for the application."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpRelay":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def settings(self) -> dict[str, Any]:
        """Django settings that send through this relay."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def set_delay(self, seconds: float) -> None:
        self.handler.delay = seconds

    def refuse_next(self, count: int) -> None:
        with self.handler.lock:
            self.handler.refuse = count

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.received.clear()
            self.handler.refuse = 0
        self.handler.delay = 0.0
        self.handler.before_accept = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def in_flight(self) -> int:
        """Messages whose sender waits for the relay's answer right now."""
        return self.handler.in_flight

    def copies(self) -> dict[str, int]:
        """How many times each Message-ID arrived."""
        counts: dict[str, int] = {}
        for message in self.received:
            counts[message.message_id] = counts.get(message.message_id, 0) + 1
        return counts
