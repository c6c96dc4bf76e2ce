import pytest

from applications.links import APPLICANT_SALT, COMMISSION_SALT, applicant_token, commission_token, read_token
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_token_reads_back_under_its_own_salt_only():
    application = ApplicationFactory.build(pk=42)
    token = applicant_token(application)
    assert read_token(token, APPLICANT_SALT) == {"a": 42}
    assert read_token(token, COMMISSION_SALT) is None


def test_a_commission_token_names_the_call_and_country():
    application = ApplicationFactory()
    token = commission_token(application.call, application.country)
    assert read_token(token, COMMISSION_SALT) == {"c": application.call.pk, "n": application.country.pk}


def test_a_changed_token_is_refused(settings):
    token = applicant_token(ApplicationFactory.build(pk=42))
    assert token.startswith("eyJhIjo0Mn0:")  # {"a":42}, then the time and the signature
    assert read_token(token.replace("eyJhIjo0Mn0", "eyJhIjo0M30"), APPLICANT_SALT) is None
    settings.SECRET_KEY = "another-secret-key-for-this-test-only"
    assert read_token(token, APPLICANT_SALT) is None
