"""Generated uploads and record ids on the import pages of both apps: a page, a redirect or a 404, never a 500."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.bad_input import FUZZ, MISSING_IDS, integer_text, text

pytestmark = pytest.mark.django_db

COHORT_ROWS = ["city,country,joined", "Vinh,VN,2020", "Sơn La,Viet Nam,February 2024", "Cork,Ireland,2024-02-30"]
DELEGATION_ROWS = ["city,country,full_name,role,is_head", "Vinh,VN,Nguyen Van A,city_leader,yes"]


def files() -> st.SearchStrategy:
    """A CSV that is nearly right, a line of it changed, or any bytes; under any name."""
    lines = st.lists(st.sampled_from(COHORT_ROWS + DELEGATION_ROWS) | text(), min_size=1, max_size=5)
    content = st.one_of(lines.map(lambda rows: "\n".join(rows).encode()), st.binary(max_size=200))
    names = st.sampled_from(["cohort.csv", "cohort.xlsx", "cohort.txt", "../../etc/passwd", "ß.CSV", "a" * 300])
    return st.builds(SimpleUploadedFile, names, content)


@FUZZ
@given(data=st.data())
def test_import_upload_answers_generated_files_and_conferences_with_a_page_or_a_preview(staff_client, data):
    url_name = data.draw(st.sampled_from(["admin:network_city_import", "admin:conferences_delegation_import"]))
    post = {"file": data.draw(files() | st.just(""), label="file")}
    if url_name == "admin:conferences_delegation_import":
        post["conference"] = data.draw(integer_text(known=[6]), label="conference")
    with transaction.atomic():
        response = staff_client.post(reverse(url_name), post)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context.get("form") or response.context.get("preview")
        transaction.set_rollback(True)


@FUZZ
@given(
    step=st.sampled_from(["preview", "apply", "template"]),
    value=st.sampled_from([*MISSING_IDS[:5], "csv", "xlsx"]) | st.integers(0, 2**70).map(str) | text(),
)
@example(step="preview", value="?")  # found by CI: unquoted, the path was the import page itself (200)
@example(step="apply", value="#")
def test_import_steps_answer_generated_record_ids_and_formats_with_a_404(staff_client, step, value):
    base = reverse("admin:network_city_import")
    # The value is one path segment, quoted as a browser would: a bare "?" or "#" would end the path instead.
    segment = quote(value, safe="")
    path = {
        "preview": f"{base}{segment}/",
        "apply": f"{base}{segment}/apply/",
        "template": f"{base}template.{segment}",
    }
    response = staff_client.post(path[step]) if step == "apply" else staff_client.get(path[step])
    if step == "template" and value in ("csv", "xlsx"):
        assert response.status_code == 200
    elif step != "template" and value.isascii() and value.isdigit():
        assert response.status_code == 404  # no such preview
    else:
        # Otherwise the admin reads the path as the id of a city (adding a slash first, as for any path),
        # finds none and says so on its index.
        assert response.status_code in (301, 302, 404)
