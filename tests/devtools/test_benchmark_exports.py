import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conferences.factories import DelegateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on other databases")
def test_refuses_without_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("benchmark_exports")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark compares against PostgreSQL's COPY")
@pytest.mark.parametrize("variant", ["copy", "csv-copy", "csv-python", "xlsx", "openpyxl"])
def test_each_variant_exports_the_delegate_rows(variant):
    delegates = [DelegateFactory() for _ in range(3)]
    out = io.StringIO()
    call_command("benchmark_exports", "--only", variant, "--rows", "2", "--last-pk", str(delegates[1].pk), stdout=out)
    result = json.loads(out.getvalue())
    assert result["variant"] == variant and result["rows"] == 2
    assert result["megabytes"] > 0 and result["peak_rss_mb"] > 0
    assert result["cpu_seconds"] >= 0  # the database runs on this host: its backend's CPU time is readable


def test_keep_fastest_keeps_each_variants_fastest_run():
    from devtools.management.commands.benchmark_exports import keep_fastest

    fastest: dict = {}
    for variant, seconds in [("copy", 2.0), ("csv-copy", 2.2), ("copy", 1.8), ("csv-copy", 2.4), ("copy", 1.9)]:
        keep_fastest(fastest, {"variant": variant, "seconds": seconds})
    assert {variant: result["seconds"] for variant, result in fastest.items()} == {"copy": 1.8, "csv-copy": 2.2}
