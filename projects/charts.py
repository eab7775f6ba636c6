"""Bar charts as geometry for server-rendered SVG. Pure arithmetic: no ORM, no templates.

A chart is categories along the x axis and one or more series; bars of a category are stacked
(members by kind) or side by side (budget against realised). The template draws the rectangles
and prints the same numbers as a table for screen readers and for reading exact values.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Colour-blind safe and distinct for up to twelve categories: Okabe and Ito's eight, then four of
# Paul Tol's "muted" set that none of them resembles. A category keeps its colour in every chart
# (charts pass `colours` keyed by the category's value).
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
]
WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 48


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    series: str
    category: str
    value: object


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[tuple[str, list]]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM
    # Columns only the table shows (the funnel's counts beside its percentages).
    table_extra: list[tuple[str, list]] = field(default_factory=list)
    unit: str = ""

    def rows(self):
        """The table alternative: one row per category, one column per series."""
        return [
            (category, [values[i] for _name, values in self.series])
            for i, category in enumerate(self.categories)
        ]

    def table_header(self) -> list[str]:
        return [name for name, _values in self.table_extra] + [name for name, _v in self.series]

    def table_rows(self):
        """The table beside the chart: the extra columns first, then each series."""
        columns = [values for _name, values in self.table_extra] + [
            values for _name, values in self.series
        ]
        return [
            (category, [column[i] for column in columns])
            for i, category in enumerate(self.categories)
        ]


def nice_max(value) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    value = float(value)
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g} M"
    if value >= 1_000:
        return f"{value / 1_000:g} k"
    return f"{value:g}"


def percent_of_previous(values) -> list:
    """Each step of a funnel as a percentage of the step before it (the first is 100), rounded
    once to one decimal; None after an empty step."""
    out = []
    for index, value in enumerate(values):
        if index == 0:
            out.append(Decimal(100) if value else None)
            continue
        before = values[index - 1]
        out.append(
            (Decimal(value) * 100 / Decimal(before)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if before
            else None
        )
    return out


def bar_chart(
    title, categories, series, *, stacked=True, colours=None, axis_max=None, unit=""
) -> Chart:
    """`series` is [(name, [value per category])]; values are numbers (None counts as 0).
    `colours`: a colour per series (default: the palette in order); `axis_max`: a fixed top of
    the axis (100 for percentages)."""
    chart = Chart(title=title, categories=list(categories), series=list(series), unit=unit)
    colours = list(colours or [PALETTE[s % len(PALETTE)] for s in range(len(chart.series))])
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    n = max(1, len(chart.categories))
    values = [[float(v or 0) for v in vals] for _name, vals in chart.series]
    if stacked:
        top = max((sum(col) for col in zip(*values, strict=True)), default=0) if values else 0
    else:
        top = max((max(vals, default=0) for vals in values), default=0)
    axis_max = axis_max or nice_max(top)
    scale = plot_height / axis_max
    for i in range(5):
        tick = axis_max * i / 4
        chart.ticks.append((chart.baseline - tick * scale, _label(tick) + unit))
    slot = plot_width / n
    bar_width = slot * 0.7 if stacked else slot * 0.8 / max(1, len(values))
    for c, category in enumerate(chart.categories):
        x0 = LEFT + c * slot + slot * (0.15 if stacked else 0.1)
        chart.labels.append((LEFT + c * slot + slot / 2, category))
        stacked_height = 0.0
        for s, (name, raw) in enumerate(chart.series):
            value = values[s][c]
            height = value * scale
            if stacked:
                x = x0
                y = chart.baseline - stacked_height - height
                stacked_height += height
            else:
                x = x0 + s * bar_width
                y = chart.baseline - height
            chart.bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar_width, 1),
                    height=round(height, 1),
                    fill=colours[s],
                    series=name,
                    category=category,
                    value=raw[c]
                    if not isinstance(raw[c], Decimal)
                    else raw[c].quantize(Decimal("1")),
                )
            )
    chart.legend = [(colours[s], name) for s, (name, _v) in enumerate(chart.series)]
    return chart
