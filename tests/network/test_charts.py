from network.charts import bar_chart, column_chart


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
