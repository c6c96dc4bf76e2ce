import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from devtools.management.commands.explain_pages import Command
from tests.conferences.factories import DelegateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on other databases")
def test_refuses_without_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("explain_pages")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_prints_each_page_and_passes_when_no_view_reads_the_delegates_table(build_network):
    build_network(2)
    out = io.StringIO()
    call_command("explain_pages", "--only", "home", stdout=out)
    home = next(line for line in out.getvalue().splitlines() if line.startswith("home "))
    # Served from the cache: its one query, the cache tokens, is bound on the server and not explained.
    assert home.split()[1] == "0"
    assert "No page view reads conferences_delegate sequentially." in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_finds_a_sequential_scan_of_a_large_table():
    DelegateFactory()
    milliseconds, _, scans = Command._explain("SELECT * FROM conferences_delegate")
    assert scans == ["conferences_delegate"] and milliseconds >= 0
    assert Command._explain("SELECT 1")[2] == []
