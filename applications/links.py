"""Signed, expiring links for applicants (one per application) and National Commissions (one per call and country).

A link carries the record's id signed with the secret key (django.core.signing.TimestampSigner): no account is
needed, nothing can be guessed from another link, and a link older than APPLICATIONS_LINK_MAX_AGE_DAYS (default 90)
is refused like a forged one.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

APPLICANT_SALT = "applications.applicant-link"
COMMISSION_SALT = "applications.commission-link"


def max_age() -> datetime.timedelta:
    """How long a link stays valid (setting APPLICATIONS_LINK_MAX_AGE_DAYS, default 90 days)."""
    return datetime.timedelta(days=getattr(settings, "APPLICATIONS_LINK_MAX_AGE_DAYS", 90))


def applicant_token(application) -> str:
    """The signed, timestamped token of one application's form."""
    return signing.TimestampSigner(salt=APPLICANT_SALT).sign_object({"a": application.pk})


def commission_token(call, country) -> str:
    """The signed, timestamped token of one National Commission's page: a call and a country."""
    return signing.TimestampSigner(salt=COMMISSION_SALT).sign_object({"c": call.pk, "n": country.pk})


def applicant_url(application) -> str:
    """The path of the application's form (/calls/apply/<token>/); staff send it with the site's address."""
    return reverse("applications:apply", kwargs={"token": applicant_token(application)})


def commission_url(call, country) -> str:
    """The path of the National Commission's endorsement page for the call and its country."""
    return reverse("applications:endorse", kwargs={"token": commission_token(call, country)})


def read_token(token: str, salt: str) -> dict | None:
    """The signed payload, or None when the token is forged, garbled or expired (told apart to nobody)."""
    try:
        value = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=max_age())
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    return value if isinstance(value, dict) else None
