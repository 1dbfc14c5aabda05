"""The fake FCM (tests/notifications/fcm_server.py) with provider faults on a timer: for a
window every push is answered 503, or 429 with Retry-After, or held past the client's timeout
(and then delivered, as FCM does when only the answer is lost). Some tokens can be answered
UNREGISTERED for good. Every push is recorded with what became of it, so duplicates on the
phone are counted where they would show: at the provider.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.notifications.fcm_server import FCM_HOST, SEND_PATH, Answer, FakeGoogle, Recorded


@dataclass(frozen=True)
class Push:
    at: float  # time.monotonic() on arrival
    token: str
    kind: str
    object_id: str
    delivered: bool  # FCM accepted it: the phone shows it (even if our client saw no answer)
    held: float = 0.0  # seconds the answer was held back
    status: int = 200  # what FCM answered
    message: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def collapse(self) -> str:
        """The id this push collapses under on the phone, when FCM's collapse key, the app's
        notification tag and APNs' collapse id agree; "" otherwise."""
        ids = {
            self.message.get("android", {}).get("collapse_key", ""),
            self.message.get("data", {}).get("tag", ""),
            self.message.get("apns", {}).get("headers", {}).get("apns-collapse-id", ""),
        }
        return ids.pop() if len(ids) == 1 else ""


@dataclass
class Window:
    until: float
    answer: Answer | None = None  # answer every push with this
    hold: float = 0.0  # or answer 200 only after this many seconds


@dataclass
class FaultyGoogle(FakeGoogle):
    pushes: list[Push] = field(default_factory=list)
    in_flight: int = 0  # pushes arrived and held, not answered yet
    _window: Window | None = None
    _push_lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_for(self, seconds: float, answer: Answer) -> None:
        """Every push in the next `seconds` gets `answer` (an error: not delivered)."""
        self._window = Window(until=time.monotonic() + seconds, answer=answer)

    def hold_for(self, seconds: float, *, hold: float) -> None:
        """Every push arriving in the next `seconds` is delivered but answered `hold` s late."""
        self._window = Window(until=time.monotonic() + seconds, hold=hold)

    def heal(self) -> None:
        self._window = None

    def respond(self, request: Recorded) -> Answer:
        if request.host != FCM_HOST or request.path != SEND_PATH:
            return super().respond(request)
        arrived = time.monotonic()
        window = self._window if self._window and arrived < self._window.until else None
        message = request.json()["message"]
        token = message.get("token") or message.get("fid", "")
        data = message.get("data", {})
        if window is not None and window.answer is not None:
            with self._lock:
                self.requests.append(request)
            answer = window.answer
        else:
            if window is not None and window.hold:
                with self._push_lock:
                    self.in_flight += 1
                time.sleep(window.hold)
                with self._push_lock:
                    self.in_flight -= 1
            answer = super().respond(request)
        with self._push_lock:
            self.pushes.append(
                Push(
                    arrived,
                    token,
                    data.get("type", ""),
                    data.get("id", ""),
                    delivered=answer[0] == 200,
                    held=window.hold if window is not None else 0.0,
                    status=answer[0],
                    message=message,
                )
            )
        return answer

    # -- what the phones saw ---------------------------------------------------------------------

    def delivered(self) -> Counter:
        """(token, kind, object id) -> how many times it reached the phone."""
        with self._push_lock:
            return Counter((p.token, p.kind, p.object_id) for p in self.pushes if p.delivered)

    def duplicates(self) -> int:
        """Pushes a phone got more than once for the same event."""
        return sum(count - 1 for count in self.delivered().values() if count > 1)

    def most_copies(self) -> int:
        """The most times one phone got the same push."""
        return max(self.delivered().values(), default=0)

    def uncollapsed(self) -> int:
        """Repeats that would show as a second notification: without a collapse id, or with
        another one than the first copy's."""
        first: dict[tuple[str, str, str], str] = {}
        count = 0
        with self._push_lock:
            for p in self.pushes:
                if not p.delivered:
                    continue
                key = (p.token, p.kind, p.object_id)
                if key in first and (not p.collapse or p.collapse != first[key]):
                    count += 1
                first.setdefault(key, p.collapse)
        return count

    def arrived_between(self, start: float, end: float) -> list[Push]:
        with self._push_lock:
            return [p for p in self.pushes if start <= p.at <= end]

    def reset(self) -> None:
        with self._push_lock:
            self.pushes.clear()
        with self._lock:
            self.requests.clear()
            self._fcm.clear()
            self._token.clear()
        self._window = None
