import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.proxy import client_address_behind_proxy


def address(forwarded: str | None, remote: str = "192.0.2.10") -> str | None:
    headers = {} if forwarded is None else {"x-forwarded-for": forwarded}
    return client_address_behind_proxy(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))


def test_the_right_most_entry_is_the_address_the_proxy_saw():
    assert address("10.0.0.1, 203.0.113.5") == "203.0.113.5"
    assert address("2001:db8::1") == "2001:db8::1"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", " ", "not-an-ip", "a" * 5000, "203.0.113.5, not-an-ip", "203.0.113.500", "1.2.3.4\x00", "::g", ","],
)
def test_a_missing_or_malformed_header_falls_back_to_the_socket_address(forwarded):
    assert address(forwarded) == "192.0.2.10"


def test_a_huge_header_is_not_read_whole():
    assert address("1.1.1.1," * 100_000 + "203.0.113.5") == "203.0.113.5"


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-ip", "a" * 5000, "1.2.3.4, <script>"])
def test_sign_in_behind_a_proxy_with_a_malformed_header_is_a_sign_in_page(client, settings, forwarded):
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address_behind_proxy"
    response = client.post(
        reverse("admin:login"), {"username": "nobody", "password": "wrong"}, headers={"x-forwarded-for": forwarded}
    )
    assert response.status_code == 200
