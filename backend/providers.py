"""How a lower app asks a higher one for an answer, by name, without importing it.

A hook (backend.hooks) or a Django signal tells the layers above that something happened and
expects nothing back. A question is different: the queue needs the deadlines outcomes keeps, a
close needs the evidence initiatives keeps. A `Provider` is one named question with exactly one
answering function, registered by the higher app in its AppConfig.ready; the lower app calls
`ask` where it needs the answer and gets the function's return value, or the declared answer for
"nobody answers" (docs/adr/0037). A second, different answer is a start-up error, so a reader
who finds the one `provide(...)` call has found everything that runs.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

Question = TypeVar("Question")
Answer = TypeVar("Answer")


class Provider(Generic[Question, Answer]):
    """One question a lower app asks; one function of a higher app answers it."""

    def __init__(self, name: str, *, unanswered: Callable[[Question], Answer]) -> None:
        self.name = name
        self._unanswered = unanswered
        self._answer: Callable[[Question], Answer] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Provider {self.name}: {getattr(self._answer, '__qualname__', None)}>"

    @property
    def answer(self) -> Callable[[Question], Answer] | None:
        """The registered function, None while nobody answers."""
        return self._answer

    def provide(self, answer: Callable[[Question], Answer]) -> Callable[[Question], Answer]:
        """Registers `answer`. The same function again changes nothing (AppConfig.ready can run
        twice); another one is refused: one question, one answer."""
        with self._lock:
            if self._answer is not None and self._answer is not answer:
                raise ImproperlyConfigured(
                    f"{self.name} is answered by {self._answer.__qualname__} already"
                )
            self._answer = answer
        return answer

    def ask(self, question: Question) -> Answer:
        """The registered function's answer to `question`, in the caller's transaction; its
        exceptions propagate to the caller."""
        answer = self._answer or self._unanswered
        return answer(question)

    @contextmanager
    def replaced(self, answer: Callable[[Question], Answer] | None) -> Iterator[None]:
        """Answers with `answer` (None: nobody answers) for the duration of a block (tests)."""
        with self._lock:
            before, self._answer = self._answer, answer
        try:
            yield
        finally:
            with self._lock:
                self._answer = before
