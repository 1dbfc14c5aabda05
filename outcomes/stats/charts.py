"""The two charts, drawn server-side as SVG from published figures only (docs/adr/0030): signals
and connections per wijk per month, and the distribution of the total score at baseline and at
follow-up. A suppressed figure is drawn as a hatched marker, never as a bar of its value."""

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from backend.i18n import in_language
from outcomes.stats.labels import label, word
from outcomes.stats.selectors import Figure, GridRow, Stats

FONT = "font-family='DejaVu Sans, Arial, sans-serif'"
LIGHT, DARK, FOLLOW = "#9ecae1", "#08519c", "#e6550d"
BAND_SHADES = ("#f0f7ee", "#fdf6e3", "#fbe9e7")


class Svg:
    def __init__(self, width: int, height: int, title: str) -> None:
        self.width, self.height = width, height
        self.parts = [
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label={quoteattr(title)} {FONT}>",
            f"<title>{escape(title)}</title>",
            "<defs><pattern id='hatch' width='6' height='6' patternUnits='userSpaceOnUse' "
            "patternTransform='rotate(45)'><rect width='6' height='6' fill='#ffffff'/>"
            "<line x1='0' y1='0' x2='0' y2='6' stroke='#888' stroke-width='2'/></pattern></defs>",
            f"<rect width='{width}' height='{height}' fill='#ffffff'/>",
        ]

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **extra: str) -> None:
        attrs = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in extra.items())
        self.parts.append(
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' fill='{fill}'{attrs}/>"
        )

    def text(self, x: float, y: float, content: str, size: int = 11, **extra: str) -> None:
        attrs = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in extra.items())
        self.parts.append(
            f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}'{attrs}>{escape(content)}</text>"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = "#444") -> None:
        self.parts.append(
            f"<line x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' stroke='{stroke}'/>"
        )

    def render(self) -> str:
        return "\n".join([*self.parts, "</svg>"]) + "\n"


def _bar(svg: Svg, x: float, base: float, width: float, value: int | None, scale: float,
         fill: str, figure: str) -> None:  # fmt: skip
    """A bar of `value`, or a hatched marker; `data-figure` names what it counts (machine
    readers get the chart's data from the chart itself)."""
    if value is None:
        svg.rect(x, base - 14, width, 14, "url(#hatch)", stroke="#888", data_figure=figure)
        return
    height = value * scale
    svg.rect(x, base - height, width, height, fill, data_figure=figure, data_count=str(value))
    svg.text(x + width / 2, base - height - 3, str(value), 9, text_anchor="middle")


def _legend(svg: Svg, x: float, y: float, entries: Sequence[tuple[str, str]]) -> None:
    for fill, name in entries:
        svg.rect(x, y - 10, 12, 12, fill, stroke="#888" if fill.startswith("url") else "none")
        svg.text(x + 17, y, name)
        x += 30 + 7 * len(name)


def signals_per_wijk_month(stats: Stats) -> str:
    """One panel per wijk; per month a bar of signals and one of those closed as connected."""
    rows: list[GridRow] = stats.grid or []
    # A wijk with no signals in any month gets no panel (its zeros are in the table and CSV).
    wijken = list(dict.fromkeys(row.wijk for row in rows if row.signals != 0))
    months = stats.months
    panel_h, left, top, slot = 110, 170, 64, 56
    width = max(left + slot * len(months) + 30, 560)
    height = top + panel_h * max(len(wijken), 1) + 60
    svg = Svg(width, height, word("grid_title"))
    svg.text(16, 24, word("grid_title"), 15, font_weight="bold")
    _legend(
        svg,
        16,
        46,
        [
            (LIGHT, word("signals")),
            (DARK, word("connections")),
            ("url(#hatch)", word("suppressed")),
        ],
    )
    peak = max([row.signals or 0 for row in rows] + [1])
    scale = (panel_h - 30) / peak
    for index, wijk in enumerate(wijken):
        base = top + panel_h * (index + 1) - 8
        svg.text(16, base - panel_h / 2 + 10, label("wijk", wijk, stats.wijk_names), 12)
        svg.line(left - 4, base, left + slot * len(months), base)
        for column, month in enumerate(months):
            row = next((r for r in rows if r.wijk == wijk and r.month == month), None)
            if row is None:  # the wijk was not in that month's release
                continue
            x = left + slot * column + 6
            at = f"wijk={wijk};month={month}"
            _bar(svg, x, base, 20, row.signals, scale, LIGHT, at)
            _bar(svg, x + 22, base, 20, row.connections, scale, DARK, f"{at};connected=yes")
    for column, month in enumerate(months):
        svg.text(left + slot * column + 27, height - 34, month, 10, text_anchor="middle")
    svg.text(16, height - 12, word("suppressed_note", n=stats.threshold), 10, fill="#555")
    return svg.render()


def score_distribution(stats: Stats) -> str:
    """Bars of how many residents had each total score, at baseline and at follow-up, over the
    instrument's bands (not, moderately, severely lonely)."""
    scores = [f.value for f in stats.tables.get("baseline", []) if f.value.isdigit()]
    baseline = {f.value: f for f in stats.tables.get("baseline", [])}
    follow_up = {f.value: f for f in stats.tables.get("follow_up", [])}
    left, top, plot_h, slot = 60, 70, 260, 70
    width = max(left + slot * len(scores) + 40, 680)
    height = top + plot_h + 90
    svg = Svg(width, height, word("score_title"))
    svg.text(16, 24, word("score_title"), 14, font_weight="bold")
    _legend(
        svg,
        16,
        48,
        [
            (LIGHT, word("baseline")),
            (FOLLOW, word("follow_up")),
            ("url(#hatch)", word("suppressed")),
        ],
    )
    base = top + plot_h
    for shade, band in zip(BAND_SHADES, stats.instrument.bands.all(), strict=False):
        x = left + slot * band.low
        svg.rect(x, top, slot * (band.high - band.low + 1), plot_h, shade)
        svg.text(x + 4, top + 14, in_language(band.label_nl, band.label_en), 10, fill="#555")
    counts = [f.count or 0 for f in (*baseline.values(), *follow_up.values()) if f.value in scores]
    scale = (plot_h - 40) / max([*counts, 1])
    svg.line(left, base, left + slot * len(scores), base)
    for column, value in enumerate(scores):
        x = left + slot * column + 12
        _bar(svg, x, base, 22, _count(baseline.get(value)), scale, LIGHT, f"baseline={value}")
        _bar(svg, x + 24, base, 22, _count(follow_up.get(value)), scale, FOLLOW,
             f"follow_up={value}")  # fmt: skip
        svg.text(x + 23, base + 16, value, 11, text_anchor="middle")
    svg.text(left + slot * len(scores) / 2, base + 36, word("score_axis"), 11, text_anchor="middle")
    svg.text(16, height - 12, word("suppressed_note", n=stats.threshold), 10, fill="#555")
    return svg.render()


def _count(figure: Figure | None) -> int | None:
    return None if figure is None else figure.count


CHARTS = {
    "signals-per-wijk-month": signals_per_wijk_month,
    "score-distribution": score_distribution,
}
