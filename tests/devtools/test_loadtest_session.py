import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_session_reads_the_reports_and_is_removed_with_its_user(settings):
    out = io.StringIO()
    call_command("loadtest_session", stdout=out)
    cookie = out.getvalue().strip()
    name, _, key = cookie.partition("=")
    assert name == settings.SESSION_COOKIE_NAME
    client = Client()
    client.cookies[name] = key
    assert client.get(reverse("reports:index"), secure=True).status_code == 200

    call_command("loadtest_session", "--delete", cookie)
    assert not get_user_model().objects.filter(username="loadtest-reader").exists()
    assert not Session.objects.filter(session_key=key).exists()
