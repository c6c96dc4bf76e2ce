"""Charts drawn as SVG by templates on the server (no script, nothing from another host): numbers in, shapes out."""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext

WIDTH, HEIGHT = 720, 380
LEFT, RIGHT = 48, 12
MEMBERS_TOP, MEMBERS_BOTTOM = 24, 220  # upper panel: members at the end of each year
CHANGES_TOP, CHANGES_BOTTOM = 250, 340  # lower panel: joins above its middle line, departures below
LABEL_Y = 362


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class ChartColumn:
    year: int
    x: float  # centre
    show_label: bool
    members: Bar
    joins: Bar
    departures: Bar


@dataclass
class GrowthChart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    columns: list[ChartColumn] = field(default_factory=list)
    member_ticks: list[Tick] = field(default_factory=list)
    change_ticks: list[Tick] = field(default_factory=list)
    changes_middle: float = (CHANGES_TOP + CHANGES_BOTTOM) / 2
    label_y: int = LABEL_Y
    show_values: bool = True


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) that covers `maximum` in about `ticks` steps."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return max(1, int(multiple * power))
    return int(10 * power)


def growth_chart(growth) -> GrowthChart:
    """Lay out GrowthYear rows (network.selectors.network_growth) on a fixed canvas."""
    chart = GrowthChart()
    if not growth:
        return chart
    slot = (chart.right - chart.left) / len(growth)
    bar_width = slot * 0.7
    step = nice_step(max(row.members for row in growth))
    members_top = step * math.ceil(max(row.members for row in growth) / step) or 1
    change_step = nice_step(max(max(row.joins, row.departures) for row in growth), ticks=1)
    changes_top = change_step * math.ceil(max(max(row.joins, row.departures) for row in growth) / change_step) or 1
    half = (CHANGES_BOTTOM - CHANGES_TOP) / 2
    middle = chart.changes_middle

    def members_y(value):
        return MEMBERS_BOTTOM - (MEMBERS_BOTTOM - MEMBERS_TOP) * value / members_top

    chart.member_ticks = [Tick(members_y(v), f"{v:,}") for v in range(0, members_top + 1, step)]
    chart.change_ticks = [
        Tick(middle - half, f"+{changes_top:,}"),
        Tick(middle, "0"),
        Tick(middle + half, f"−{changes_top:,}"),
    ]
    label_every = math.ceil(len(growth) / 14)
    chart.show_values = len(growth) <= 16
    for index, row in enumerate(growth):
        x = chart.left + slot * index + (slot - bar_width) / 2
        top = members_y(row.members)
        joins_height = half * row.joins / changes_top
        departures_height = half * row.departures / changes_top
        chart.columns.append(
            ChartColumn(
                year=row.year,
                x=x + bar_width / 2,
                show_label=(len(growth) - 1 - index) % label_every == 0,
                members=Bar(x, top, bar_width, MEMBERS_BOTTOM - top, row.members),
                joins=Bar(x, middle - joins_height, bar_width, joins_height, row.joins),
                departures=Bar(x, middle, bar_width, departures_height, row.departures),
            )
        )
    return chart


@dataclass
class LabelledBar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    show_label: bool = True  # with many columns, every n-th label only, so labels never overlap
    show_value: bool = True


@dataclass
class Chart:
    title: str
    kind: str  # "bars" (horizontal, labels on the left) or "columns" (vertical, labels below)
    width: int
    height: int
    bars: list[LabelledBar] = field(default_factory=list)
    value_axis: str = ""  # what the bars measure, written along their axis ("Delegations")
    label_axis: str = ""  # what each bar is ("Conference")
    axis_x: float = 0  # where the value axis title is written
    axis_y: float = 0
    note: str = ""  # e.g. "The 25 largest; 175 others together"

    @property
    def is_empty(self) -> bool:
        return not self.bars


AXIS_SPACE = 22  # below the plot, for the value axis title


def top_n(items: list[tuple[str, int]], limit: int, others: str = "") -> tuple[list[tuple[str, int]], str]:
    """The `limit` largest items, in their given order, and the rest summed into one last item (`others`, by
    default "Others" in the active language); and a note saying so ("" when nothing was grouped). Many small bars
    are unreadable; their total is not."""
    if len(items) <= limit:
        return items, ""
    kept = {id(item) for item in sorted(items, key=lambda item: -item[1])[: limit - 1]}
    rest = [item for item in items if id(item) not in kept]
    shown = [item for item in items if id(item) in kept]
    label = f"{others or gettext('Others')} ({len(rest)})"
    note = gettext("The %(shown)s largest; %(rest)s others together.") % {"shown": limit - 1, "rest": len(rest)}
    return [*shown, (label, sum(v for _name, v in rest))], note


def bar_chart(
    title: str,
    items: list[tuple[str, int]],
    *,
    width: int = 640,
    label_width: int = 230,
    value_axis: str = "",
    label_axis: str = "",
    limit: int = 30,
) -> Chart:
    """One horizontal bar per item, longest for the largest value; past `limit` items, the largest and "Others"."""
    items, note = top_n(items, limit)
    step, thickness, top = 28, 20, 8
    plot = width - label_width - 60
    # The "Others" bar sums many items: scaled with the rest it would flatten them, so it is drawn at most full
    # length (its value written beside it).
    scaled = items[:-1] if note else items
    top_value = max((v for _, v in scaled), default=0) or 1
    height = top * 2 + step * len(items) + (AXIS_SPACE if value_axis else 0)
    chart = Chart(title, "bars", width, height, value_axis=value_axis, label_axis=label_axis, note=note)
    chart.axis_x, chart.axis_y = label_width + plot / 2, height - 6
    for n, (label, value) in enumerate(items):
        y = top + n * step
        length = min(plot, plot * value / top_value)
        end = label_width + length
        chart.bars.append(
            LabelledBar(str(label), value, label_width, y, length, thickness, label_width - 8, y + 15, end + 6, y + 15)
        )
    return chart


def column_chart(
    title: str,
    items: list[tuple[str, int]],
    *,
    height: int = 260,
    step: int = 44,
    max_width: int = 960,
    value_axis: str = "",
    label_axis: str = "",
) -> Chart:
    """One vertical column per item (a year, say), in the order given. Many items get narrower columns (the
    chart stays within `max_width`) and every n-th label, so labels never overlap; values show on wide columns."""
    step = max(6, min(step, (max_width - 12) // max(1, len(items))))
    label_every = math.ceil(44 / step)
    bottom, top, thickness = 30 + (AXIS_SPACE if label_axis else 0), 22, max(4, step - 12 if step > 20 else step - 2)
    plot = height - bottom - top
    top_value = max((v for _, v in items), default=0) or 1
    width = max(step * len(items) + 12, 200)
    chart = Chart(title, "columns", width, height, value_axis=value_axis, label_axis=label_axis)
    chart.axis_x, chart.axis_y = width / 2, height - 4
    for n, (label, value) in enumerate(items):
        x = 6 + n * step
        length = plot * value / top_value
        y = height - bottom - length
        center = x + thickness / 2
        shown = (len(items) - 1 - n) % label_every == 0
        chart.bars.append(
            LabelledBar(
                str(label),
                value,
                x,
                y,
                thickness,
                length,
                center,
                height - bottom + 20,
                center,
                y - 6,
                shown,
                step >= 30,
            )
        )
    return chart
