import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_prints_one_public_address_per_line(build_network):
    network = build_network(2)
    out = io.StringIO()
    call_command("loadtest_urls", "--sample", "2", stdout=out)
    lines = out.getvalue().splitlines()
    assert all(line.startswith("/") for line in lines)
    assert ("/en/" in lines and network.cities[0].get_absolute_url() in lines) or len(lines) > 20
