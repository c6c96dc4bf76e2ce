"""The client's address when the app runs behind a reverse proxy that appends to X-Forwarded-For."""

import ipaddress

# An address with a zone index is at most 45 + 1 + a short interface name; anything longer is not an address.
MAX_ADDRESS_LENGTH = 64


def client_address_behind_proxy(request) -> str | None:
    """The address the proxy saw: the right-most X-Forwarded-For entry (those left of it come from the client).

    Falls back to the socket address (`REMOTE_ADDR`) when the header is missing, empty, too long or not an IPv4 or
    IPv6 address, so a malformed header from a client that reached the app directly gets a sign-in page, not a 500.
    Used by django-axes (`AXES_CLIENT_IP_CALLABLE`) when `DJANGO_BEHIND_PROXY` is on.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")[-MAX_ADDRESS_LENGTH * 2 :].rsplit(",", 1)[-1].strip()
    if forwarded and len(forwarded) <= MAX_ADDRESS_LENGTH:
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")
