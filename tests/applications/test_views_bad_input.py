"""Generated posts on the applicant's form and the National Commission's page, and generated link tokens: the
page with its errors, a save, or a refusal of the link; never a 500, and a draft never leaves draft by saving."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from applications.applicant_forms import ApplicantForm, CommissionEndorsementForm
from applications.links import applicant_url, commission_url
from applications.models import Application
from applications.status import Status
from tests.applications.factories import ApplicationFactory
from tests.bad_input import CHARS, FUZZ, field_values, text

pytestmark = pytest.mark.django_db


def form_posts(form) -> st.SearchStrategy[dict]:
    """A post with any subset of the form's fields, each plausible or hostile, and a save or submit button."""
    fields = {name: field_values(field) for name, field in form.fields.items() if name != "attachment"}
    values = st.fixed_dictionaries({}, optional=fields)
    return st.builds(lambda data, button: {**data, button: "1"}, values, st.sampled_from(["save", "submit", "other"]))


@FUZZ
@given(data=st.data())
def test_the_applicant_form_answers_generated_posts_with_errors_or_a_save(client, data):
    cache.clear()  # the throttle counts every request of the run
    with transaction.atomic():
        application = ApplicationFactory(draft=True)
        post = data.draw(form_posts(ApplicantForm(instance=application)), label="post")
        response = client.post(applicant_url(application), post)
        assert response.status_code in (302, 400), response.status_code
        application.refresh_from_db()
        if "submit" not in post:
            assert application.status == Status.DRAFT
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_the_commission_page_answers_generated_posts_with_errors_or_endorsements(client, data):
    cache.clear()
    with transaction.atomic():
        application = ApplicationFactory()
        pending = Application.objects.filter(pk=application.pk)
        fields = CommissionEndorsementForm(pending=pending).fields
        post = data.draw(st.fixed_dictionaries({}, optional={n: field_values(f) for n, f in fields.items()}))
        response = client.post(commission_url(application.call, application.country), post)
        assert response.status_code in (302, 400), response.status_code
        transaction.set_rollback(True)


@FUZZ
@given(token=st.one_of(text(300), st.text(CHARS, min_size=1, max_size=80)))
def test_generated_tokens_are_refused_as_one_page(client, token):
    cache.clear()
    for name in ("applications:apply", "applications:endorse"):
        try:
            url = reverse(name, kwargs={"token": token})
        except Exception:  # a token with "/" or nothing in it has no address: nothing to request
            continue
        assert client.get(url).status_code == 404


def test_an_id_beyond_64_bits_is_a_form_error(client):
    # Found by the generated posts above: Django's field sent it to SQLite, which raised OverflowError.
    application = ApplicationFactory()
    url = commission_url(application.call, application.country)
    response = client.post(url, {"commission": "N", "endorsed_by": "SG", "applications": ["9223372036854775808"]})
    assert response.status_code == 400
