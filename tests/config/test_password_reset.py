import pytest
from django.core import mail
from django.urls import reverse

from config.password_reset import REQUESTS_PER_HOUR

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_offers_a_password_reset(client):
    assert 'href="/admin/password-reset/"' in client.get(reverse("admin:login")).text


def test_a_reset_link_is_mailed_and_works(client, django_user_model):
    django_user_model.objects.create_user(username="staff", email="staff@example.org", password="old", is_staff=True)
    response = client.post(reverse("admin_password_reset"), {"email": "staff@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line).strip()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.text


def test_reset_requests_are_throttled_without_saying_so(client, django_user_model):
    django_user_model.objects.create_user(username="staff", email="staff@example.org", password="old", is_staff=True)
    for _ in range(REQUESTS_PER_HOUR + 2):
        response = client.post(reverse("admin_password_reset"), {"email": "staff@example.org"})
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == REQUESTS_PER_HOUR


def test_the_sign_in_page_warns_when_two_attempts_are_left(client, django_user_model, settings):
    django_user_model.objects.create_user(username="staff", password="right", is_staff=True)
    texts = [
        client.post(reverse("admin:login"), {"username": "staff", "password": "wrong"}).text
        for _ in range(settings.AXES_FAILURE_LIMIT - 1)
    ]
    assert "attempts are left" not in texts[settings.AXES_FAILURE_LIMIT - 4]
    assert "2 attempts are left" in texts[-2]
    assert "One attempt is left" in texts[-1] and "Reset your password by e-mail" in texts[-1]
