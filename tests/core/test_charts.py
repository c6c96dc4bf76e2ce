import itertools

from core.charts import MEMBERS_BOTTOM, MEMBERS_TOP, bar_chart, column_chart, growth_chart, nice_step, top_n
from network.selectors import GrowthYear


def test_nice_step_is_one_two_or_five_times_a_power_of_ten_covering_the_maximum_in_four_steps():
    assert [nice_step(n) for n in (0, 3, 9, 40, 127, 294, 1000, 100_000)] == [1, 1, 5, 10, 50, 100, 500, 50_000]


def test_growth_chart_scales_the_tallest_bar_to_the_top_tick():
    chart = growth_chart([GrowthYear(2020, 50, 50, 0), GrowthYear(2021, 100, 55, 5)])
    tallest = chart.columns[1].members
    assert tallest.y == MEMBERS_TOP
    assert tallest.y + tallest.height == MEMBERS_BOTTOM
    assert chart.columns[0].members.height == tallest.height / 2
    assert chart.member_ticks[-1].label == "100"


def test_growth_chart_draws_departures_below_and_joins_above_the_middle_line():
    chart = growth_chart([GrowthYear(2023, 10, 4, 2)])
    column = chart.columns[0]
    assert column.joins.y + column.joins.height == chart.changes_middle
    assert column.departures.y == chart.changes_middle
    assert column.joins.height == 2 * column.departures.height


def test_growth_chart_labels_fewer_years_when_there_are_many():
    chart = growth_chart([GrowthYear(1990 + n, n, 1, 0) for n in range(36)])
    labelled = [column.year for column in chart.columns if column.show_label]
    assert labelled[-1] == 2025
    assert len(labelled) <= 14
    assert not chart.show_values


def test_growth_chart_of_nothing_has_no_columns():
    assert growth_chart([]).columns == []


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart("Members", [("Africa", 5), ("Europe", 10)], width=400, label_width=100)
    assert [bar.width for bar in chart.bars] == [120.0, 240.0]
    assert chart.height == 8 * 2 + 28 * 2


def test_column_chart_puts_taller_columns_higher():
    chart = column_chart("Growth", [(2020, 1), (2021, 4)])
    short, tall = chart.bars
    assert tall.height == 4 * short.height and tall.y < short.y
    assert short.y + short.height == tall.y + tall.height  # one baseline


def test_charts_of_nothing_are_empty():
    assert bar_chart("x", []).is_empty and column_chart("x", [(2020, 0)]).bars[0].height == 0


def test_top_n_keeps_the_largest_in_order_and_sums_the_rest():
    items = [("a", 5), ("b", 1), ("c", 9), ("d", 2), ("e", 7)]
    assert top_n(items, 3) == ([("c", 9), ("e", 7), ("Others (3)", 8)], "The 2 largest; 3 others together.")
    assert top_n(items, 5) == (items, "")


def test_a_bar_chart_of_200_conferences_shows_the_largest_and_the_others():
    items = [(f"ICLC {n}", n % 17) for n in range(1, 201)]
    chart = bar_chart("Delegations", items, limit=25, value_axis="Delegations", label_axis="Conference")
    assert len(chart.bars) == 25 and chart.bars[-1].label == "Others (176)"
    assert sum(bar.value for bar in chart.bars) == sum(v for _, v in items)
    assert chart.note == "The 24 largest; 176 others together."
    assert chart.axis_y > chart.bars[-1].y + chart.bars[-1].height  # the axis title below the last bar
    # The largest conference fills the plot; "Others" (a sum) is drawn no longer, its value written beside it.
    assert max(bar.width for bar in chart.bars[:-1]) == chart.bars[-1].width


def test_a_column_chart_of_many_years_stays_narrow_and_its_labels_never_overlap():
    chart = column_chart("Growth", [(1900 + n, n) for n in range(120)], label_axis="Year")
    assert chart.width <= 960
    shown = [bar.label_x for bar in chart.bars if bar.show_label]
    assert shown[-1] == chart.bars[-1].label_x  # the latest year is labelled
    assert min(b - a for a, b in itertools.pairwise(shown)) >= 44  # room for "2024"
    assert not any(bar.show_value for bar in chart.bars)
