"""Totals that tests report for CI (the no-code scan, axe-core): each test adds lines, the
terminal summary (tests/conftest.py) prints them whether or not output is captured."""

LINES: list[str] = []


def report(line: str) -> None:
    LINES.append(line)
    print("\n" + line)
