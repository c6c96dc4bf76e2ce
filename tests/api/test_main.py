import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import HIDDEN_NAME, PRIVATE_EMAIL, PRIVATE_NOTES, PRIVATE_PHONE

# One address per endpoint, path parameters filled from build_network(); every endpoint must be listed.
SAMPLES = {
    "/api/v1/regions": ["/api/v1/regions"],
    "/api/v1/countries": ["/api/v1/countries"],
    "/api/v1/cities": ["/api/v1/cities?status=all&limit=500", "/api/v1/cities?q=city"],
    "/api/v1/cities/{slug}": ["/api/v1/cities/{city}"],
    "/api/v1/cities.geojson": ["/api/v1/cities.geojson?status=all"],
    "/api/v1/terms": ["/api/v1/terms?limit=500"],
    "/api/v1/awards": ["/api/v1/awards"],
    "/api/v1/conferences": ["/api/v1/conferences"],
    "/api/v1/conferences/{slug}": ["/api/v1/conferences/iclc-6"],
    "/api/v1/sessions": ["/api/v1/sessions"],
    "/api/v1/delegations": ["/api/v1/delegations?limit=500", "/api/v1/delegations?conference=iclc-6"],
}


def test_every_endpoint_has_a_privacy_sample(client, db):
    assert set(client.get("/api/v1/openapi.json").json()["paths"]) == set(SAMPLES)


def test_no_endpoint_reveals_contact_details_or_unpublished_delegates(client, build_network):
    network = build_network(3)
    for samples in SAMPLES.values():
        for url in samples:
            response = client.get(url.format(city=network.cities[0].slug))
            assert response.status_code == 200, url
            body = response.content.decode()
            for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, PRIVATE_NOTES, HIDDEN_NAME):
                assert secret not in body, (url, secret)
            assert "Published Person" in body or "delegat" not in url


def test_the_schema_is_openapi_3(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cities" in schema["paths"]


def test_the_docs_page_loads_its_assets_from_this_site_without_inline_script(client, db):
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html)


def test_cors_is_open_for_reading(client, db):
    response = client.get("/api/v1/regions", HTTP_ORIGIN="https://example.net")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/en/cities/", HTTP_ORIGIN="https://example.net").headers


def test_a_client_over_the_rate_limit_gets_429_with_retry_after(client, db, settings):
    settings.API_RATE_LIMIT = "3/min"
    statuses = [client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.8").status_code == 200  # per address


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.django_db(transaction=False)
def test_every_endpoint_answers_any_input_by_its_schema(build_network, settings):
    """Schemathesis: generated inputs for each operation, zero 5xx and every answer as the schema says."""
    settings.API_RATE_LIMIT = "100000/min"
    settings.ALLOWED_HOSTS = ["localhost"]  # the host schemathesis's WSGI client sends
    build_network(3)
    # As Django's test client does: the handler would otherwise close the test's connection after each request.
    signals.request_finished.disconnect(close_old_connections)
    signals.request_started.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == len(SAMPLES)
        for operation in operations:

            @settings_for_fuzzing
            @given(case=operation.as_strategy())
            def check(case):
                case.call_and_validate(checks=CHECKS)

            check()
    finally:
        signals.request_finished.connect(close_old_connections)
        signals.request_started.connect(close_old_connections)


settings_for_fuzzing = settings(
    max_examples=10,  # a few seconds in `make test`; raise it locally to search harder
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
