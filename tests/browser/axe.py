"""axe-core (pinned in tests/browser/package.json, installed by `npm ci` there) run inside the
page through Selenium, with the WCAG 2.0 and 2.1 level A and AA rules (docs/adr/0038).

Outside CI a missing axe-core skips the accessibility tests with the hint; in CI it fails
them, as a missing chromium does (conftest.py)."""

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
HINT = "install axe-core for the browser tests: make axe (npm ci in tests/browser)"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }))))
  .catch(error => done([{id: "axe-error", impact: "critical", help: String(error), targets: []}]));
"""

# What makes the page wider than the viewport: elements sticking out whose parent does not,
# and absolutely positioned ones (which a scrolling ancestor may not clip); not what a
# scrolling region holds.
OVERFLOWING = """
const width = window.innerWidth;
const right = e => e.getBoundingClientRect().right;
const escapes = e => ["absolute", "fixed"].includes(getComputedStyle(e).position);
const scrolled = e => {
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible") return true;
  }
  return false;
};
const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
  + (typeof e.className === "string" && e.className ? "." + e.className.split(" ").join(".") : "");
return Array.from(document.querySelectorAll("body *"))
  .filter(e => right(e) > width + 1)
  .filter(e => escapes(e) || (!scrolled(e) && !(right(e.parentElement) > width + 1)))
  .slice(0, 8)
  .map(e => name(e) + " in " + name(e.parentElement) + " right=" + Math.round(right(e)));
"""


def axe_source() -> str:
    if not AXE_JS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing ({AXE_JS}): {HINT}")
        pytest.skip(HINT)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(driver, source: str) -> list[str]:
    """The page's WCAG A/AA violations, one readable line per rule."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(source)
    violations = driver.execute_async_script(RUN, list(TAGS))
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['targets'][:6])}"
        + (f" (+{len(v['targets']) - 6} more)" if len(v["targets"]) > 6 else "")
        for v in violations
    ]


def horizontal_overflow(driver) -> list[str]:
    """Empty when the page does not scroll sideways, else what sticks out."""
    scroll, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll <= inner + 1:
        return []
    sticking_out = driver.execute_script(OVERFLOWING)
    return [f"scrolls sideways: scrollWidth {scroll} > innerWidth {inner}", *sticking_out]
