"""Scraping /metrics as Prometheus would, and reading the samples."""

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "test-only-metrics-token"  # backend.settings.test
Samples = dict[tuple[str, frozenset], float]


def parse(text: str) -> Samples:
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def scrape(client: Any) -> Samples:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return parse(response.content.decode())


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample's value; 0 for a series not (yet) exposed, as Prometheus reads a counter
    that has not started."""
    return samples.get((name, frozenset(labels.items())), 0.0)
