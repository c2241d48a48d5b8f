"""A real SMTP server on loopback that keeps every message it receives, for tests of mail journeys."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from email.message import EmailMessage

import icalendar
from aiosmtpd.controller import Controller

from tests.factories import free_port


def calendar_of(message: EmailMessage):
    """The text/calendar part of a mail (an invitation, update or cancellation) and its parsed calendar."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True))


class SmtpSink:
    """Collects messages delivered to an aiosmtpd server on 127.0.0.1."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refusals: list[str] = []  # replies for the next messages, instead of accepting them
        self._arrived = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):
        with self._arrived:
            if self.refusals:
                return self.refusals.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()
            self.refusals.clear()

    def refuse(self, count: int = 1, reply: str = "451 4.3.0 Tijdelijk niet beschikbaar") -> None:
        """Refuse the next ``count`` messages with ``reply`` (4xx: try again later, 5xx: for good)."""
        with self._arrived:
            self.refusals.extend([reply] * count)

    @property
    def settings(self) -> dict:
        """App settings that make the portal deliver over this server."""
        return {"MAIL_HOST": self.controller.hostname, "MAIL_PORT": self.controller.port,
                "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": None}

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until at least ``count`` messages arrived; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} mail(s), received {len(self.messages)}")
                self._arrived.wait(left)
            return list(self.messages)

    @staticmethod
    def body(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def link_in(self, message: EmailMessage) -> str:
        """The path of the first portal link in a message (e.g. /wachtwoord/<token>)."""
        match = re.search(r"https?://[^/\s]+(/\S+)", self.body(message))
        assert match, f"no link in mail: {self.body(message)!r}"
        return match.group(1)
