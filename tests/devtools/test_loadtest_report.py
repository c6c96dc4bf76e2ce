import pytest

from devtools.loadtest_report import comparison, errors, main, requests_per_second

BARE = """Running 30s test @ http://127.0.0.1:8100
Requests: 138180 in 30 s, 4606.0 requests/s
Latency: median 10 ms, p95 20 ms, p99 30 ms, max 90 ms
Errors: 0 (connect 0, read 0, write 0, timeout 0, HTTP status other than 2xx/3xx 0)
"""
PAGES = """Requests: 37950 in 30 s, 1265.0 requests/s
Latency: median 35 ms, p95 80 ms, p99 120 ms, max 300 ms
Errors: 3 (connect 0, read 0, write 0, timeout 3, HTTP status other than 2xx/3xx 0)
"""


def test_reads_requests_per_second_and_errors_of_a_wrk_report():
    assert requests_per_second(BARE) == 4606.0
    assert errors(BARE) == 0
    assert errors(PAGES) == 3


def test_a_report_without_the_figures_is_an_error():
    with pytest.raises(ValueError):
        requests_per_second("Requests/sec: 12.0\n")
    with pytest.raises(ValueError):
        errors("")


def test_comparison_gives_both_rates_the_ratio_and_the_errors():
    lines = comparison([BARE], [PAGES]).splitlines()
    assert lines[0].split()[-2] == "4606.0"
    assert lines[1].split()[-2] == "1265.0"
    assert "27.5%" in lines[2]
    assert lines[3] == "Errors:        0 (bare view), 3 (cached pages)"


def test_comparison_has_no_errors_line_without_errors():
    assert len(comparison([BARE], [BARE]).splitlines()) == 3
    assert "100.0%" in comparison([BARE], [BARE])


def test_with_several_rounds_the_best_of_each_is_compared():
    slower = BARE.replace("4606.0", "2303.0")
    lines = comparison([slower, BARE], [PAGES, PAGES.replace("1265.0", "1000.0")]).splitlines()
    assert lines[0] == "Rounds:        bare view 2303.0, 4606.0; cached pages 1265.0, 1000.0"
    assert "4606.0" in lines[1] and "1265.0" in lines[2] and "27.5%" in lines[3]
    assert lines[4] == "Errors:        0 (bare view), 6 (cached pages)"


def test_comparison_needs_a_report_of_each():
    with pytest.raises(ValueError):
        comparison([], [PAGES])


def test_main_reads_the_files(tmp_path, capsys):
    (tmp_path / "bare.txt").write_text(BARE)
    (tmp_path / "pages.txt").write_text(PAGES)
    assert main(["--bare", str(tmp_path / "bare.txt"), "--pages", str(tmp_path / "pages.txt")]) == 0
    assert "27.5%" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([])
