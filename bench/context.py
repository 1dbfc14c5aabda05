"""What the measures share within one run: the stack, the database, tokens, samples."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bench import config
from bench.stack import Stack


@dataclass
class Run:
    mode: config.Mode
    stack: Stack
    database: str
    manifest: dict[str, Any]
    member_token: str = ""
    field_worker_tokens: list[str] = field(default_factory=list)
    # measure key -> list of per-round samples (each a dict of figures)
    samples: dict[str, list[dict[str, float]]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    queries: dict[str, int] = field(default_factory=dict)  # SQL statements per request

    @property
    def url(self) -> str:
        return self.stack.base_url

    def add(self, key: str, sample: dict[str, float]) -> None:
        self.samples[key].append(sample)
