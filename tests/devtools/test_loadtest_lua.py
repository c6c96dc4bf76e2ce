"""scripts/loadtest.lua run by wrk against a small local server: the addresses it asks for, and the readers'
pause between two pages (LOADTEST_THINK_MS)."""

import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from devtools.loadtest import parse_wrk

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.lua"


class _Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer waits 40 ms for a delayed ACK
    asked: list[str] = []

    def do_GET(self):
        _Pages.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Pages.asked = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _wrk(base, urls_file, seconds, think_ms=None):
    env = {**os.environ, "URLS": str(urls_file)}
    env.pop("LOADTEST_THINK_MS", None)
    if think_ms is not None:
        env["LOADTEST_THINK_MS"] = str(think_ms)
    done = subprocess.run(
        ["wrk", "-t1", "-c1", f"-d{seconds}s", "-s", str(SCRIPT), base],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return parse_wrk(done.stdout)


def test_readers_go_through_the_listed_addresses_in_turn(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("/a/\n\n/b/?page=2\n/c/\n")
    _wrk(server, urls, 1)
    assert set(_Pages.asked) == {"/a/", "/b/?page=2", "/c/"}
    asked = [path for path in _Pages.asked if path in ("/a/", "/b/?page=2", "/c/")]
    # Every address once in each pass, in the same order every pass.
    assert sorted(asked[:3]) == ["/a/", "/b/?page=2", "/c/"] and asked[3:6] == asked[:3]


def test_each_run_walks_the_list_in_an_order_of_its_own(server, tmp_path):
    # The list is grouped by kind: walked as listed, every reader would ask for the pages an edit made stale at
    # the same moment. 8 addresses: the same order in three runs by chance is one in 40,320 squared.
    listed = [f"/{name}/" for name in "abcdefgh"]
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(listed) + "\n")
    orders = []
    for _ in range(3):
        _Pages.asked = []
        _wrk(server, urls, 1)
        orders.append(tuple(_Pages.asked[:8]))
    assert all(sorted(order) == listed for order in orders)
    assert len(set(orders)) > 1


def test_a_reader_who_thinks_asks_for_far_fewer_pages_and_the_pause_is_not_latency(server, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("/a/\n")
    at_once = _wrk(server, urls, 2)
    thinking = _wrk(server, urls, 2, think_ms=400)
    # One reader pausing 0-800 ms (400 on average) asks about 5 times in 2 s; without a pause, hundreds of times.
    assert at_once.requests > 100
    assert 1 <= thinking.requests <= 20
    assert thinking.median_ms < 100  # the pause is before the request, outside what wrk times
