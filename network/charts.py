"""Bar and column charts drawn as SVG on the server: no script, nothing from another host."""

from dataclasses import dataclass, field


@dataclass
class Bar:
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


@dataclass
class Chart:
    title: str
    kind: str  # "bars" (horizontal, labels on the left) or "columns" (vertical, labels below)
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.bars


def bar_chart(title: str, items: list[tuple[str, int]], *, width: int = 640, label_width: int = 230) -> Chart:
    """One horizontal bar per item, longest for the largest value."""
    step, thickness, top = 28, 20, 8
    plot = width - label_width - 60
    top_value = max((v for _, v in items), default=0) or 1
    chart = Chart(title, "bars", width, top * 2 + step * len(items))
    for n, (label, value) in enumerate(items):
        y = top + n * step
        length = plot * value / top_value
        end = label_width + length
        chart.bars.append(
            Bar(str(label), value, label_width, y, length, thickness, label_width - 8, y + 15, end + 6, y + 15)
        )
    return chart


def column_chart(title: str, items: list[tuple[str, int]], *, height: int = 260, step: int = 44) -> Chart:
    """One vertical column per item (a year, say), in the order given."""
    bottom, top, thickness = 30, 22, step - 12
    plot = height - bottom - top
    top_value = max((v for _, v in items), default=0) or 1
    chart = Chart(title, "columns", max(step * len(items) + 12, 200), height)
    for n, (label, value) in enumerate(items):
        x = 6 + n * step
        length = plot * value / top_value
        y = height - bottom - length
        center = x + thickness / 2
        chart.bars.append(Bar(str(label), value, x, y, thickness, length, center, height - 10, center, y - 6))
    return chart
