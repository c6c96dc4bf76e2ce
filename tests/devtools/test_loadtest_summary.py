import pytest
from django.core.management import call_command

from devtools.loadtest import Tally

WRK = """Requests: {n} in 300 s, 100.0 requests/s
Latency: median 20 ms, p95 {p95} ms, p99 400 ms, max 900 ms
Errors: 0 (connect 0, read 0, write 0, timeout 0, HTTP status other than 2xx/3xx 0)
"""


def _files(tmp_path, p95, stale=0):
    (tmp_path / "a.txt").write_text(WRK.format(n=30000, p95=p95))
    (tmp_path / "b.txt").write_text(WRK.format(n=29000, p95=120))
    (tmp_path / "w.json").write_text(Tally(writes={"rename": 10}, imports=5, fresh=20, stale=stale).to_json())
    (tmp_path / "r0.txt").write_text("keyspace_hits:100\nkeyspace_misses:50\n")
    (tmp_path / "r1.txt").write_text("keyspace_hits:190\nkeyspace_misses:60\n")
    (tmp_path / "access.txt").write_text('200 12 "GET /en/ HTTP/1.1"\n200 700 "GET /reports/members/ HTTP/1.1"\n')
    return [
        *("--wrk", f"8100={tmp_path / 'a.txt'}", "--wrk", f"8101={tmp_path / 'b.txt'}"),
        *("--writer", str(tmp_path / "w.json"), "--access-log", str(tmp_path / "access.txt")),
        *("--redis-before", str(tmp_path / "r0.txt"), "--redis-after", str(tmp_path / "r1.txt")),
    ]


def test_a_clean_run_passes_with_its_figures(tmp_path, capsys):
    call_command("loadtest_summary", *_files(tmp_path, p95=150))
    out = capsys.readouterr().out
    assert "readers, both: 59000 requests, 200.0 requests/s" in out
    assert "cache: 90 hits, 10 misses in Redis during the run: hit rate 90.0%" in out
    assert "server side, report: 1 requests" in out
    assert "slow: p95 700 ms, median 700 ms, max 700 ms, 1x /reports/members/" in out
    assert out.splitlines()[-1] == "PASS"


@pytest.mark.parametrize(("p95", "stale"), [(300, 0), (150, 1)])
def test_a_slow_or_stale_run_fails(tmp_path, capsys, p95, stale):
    with pytest.raises(SystemExit) as exit_:
        call_command("loadtest_summary", *_files(tmp_path, p95=p95, stale=stale))
    assert exit_.value.code == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith("FAIL: ")
