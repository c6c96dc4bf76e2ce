import pytest
from django.urls import reverse

from tests.core.factories import PersonalDataPurgeFactory

pytestmark = pytest.mark.django_db


def test_the_purge_log_is_listed_and_read_but_never_written_in_the_admin(admin_client):
    purge = PersonalDataPurgeFactory(description="Delegate 7 of ICLC 6", fields="email, phone")
    listing = admin_client.get(reverse("admin:core_personaldatapurge_changelist"))
    assert listing.status_code == 200 and "Delegate 7 of ICLC 6" in listing.text
    page = admin_client.get(reverse("admin:core_personaldatapurge_change", args=[purge.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text  # a view, not a form
    assert admin_client.get(reverse("admin:core_personaldatapurge_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:core_personaldatapurge_delete", args=[purge.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        admin_client.post(reverse("admin:core_personaldatapurge_change", args=[purge.pk]), {"fields": "x"}).status_code
        == 403
    )
