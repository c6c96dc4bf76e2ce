"""The public Open data page and its files (config/open_data.py)."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from config.open_data import DOWNLOADS
from tests.conftest import HIDDEN_NAME, PRIVATE_EMAIL, PRIVATE_NOTES, PRIVATE_PHONE

pytestmark = pytest.mark.django_db

EVERY_FILE = [(name, fmt) for name, (_report, formats) in DOWNLOADS.items() for fmt in formats]


def download(client, name: str, fmt: str, **query):
    response = client.get(reverse("open_data_download", args=[name, fmt]), query)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return response, b"".join(response.streaming_content)


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_page_links_every_file(client):
    html = client.get(reverse("open_data")).text
    for name, fmt in EVERY_FILE:
        assert reverse("open_data_download", args=[name, fmt]) in html
    assert "CC BY 4.0" in html and 'rel="license"' in html


@pytest.mark.parametrize(("name", "fmt"), EVERY_FILE)
def test_every_file_streams_and_names_its_day_and_licence(client, small_network, name, fmt):
    response, body = download(client, name, fmt)
    today = timezone.localdate().isoformat()
    assert f'filename="gnlc-{name}-{today}-cc-by-4.0.{fmt}"' in response["Content-Disposition"]
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    if fmt in ("json", "geojson"):
        document = json.loads(body)
        assert (document["date"], document["licence"]) == (today, "CC BY 4.0")
    elif fmt == "xlsx":
        assert body[:2] == b"PK"
    else:
        assert len(csv_rows(body)) > 1


def test_the_members_today_with_their_dates_at_the_precision_known(client, small_network):
    _, body = download(client, "members", "csv")
    header, *rows = csv_rows(body)
    since = {row[0]: row[header.index("Member since")] for row in rows}
    # Bouaké never joined; Cork left in 2018 and came back in September 2021.
    assert since == {
        "Cork": "2021-09-01",
        "Jubail Industrial City": "",
        "Sa Đéc": "2020",
        "Sơn La": "2024-02",
        "Vinh": "2020-09-23",
    }
    assert "E-mail" not in header and "Source" not in header


def test_the_members_on_a_past_day(client, small_network):
    response, body = download(client, "members", "csv", on="2017-06-01")
    assert "gnlc-members-2017-06-01-cc-by-4.0.csv" in response["Content-Disposition"]
    names = [row[0] for row in csv_rows(body)[1:]]
    # Cork was a member from March 2015 to June 2018; Jubail's join date is not recorded, so it always counts.
    assert names == ["Cork", "Jubail Industrial City"]


def test_the_members_as_xlsx(client, small_network):
    _, body = download(client, "members", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Local name", "Country")
    assert [row[0] for row in rows[1:]] == ["Cork", "Jubail Industrial City", "Sa Đéc", "Sơn La", "Vinh"]


def test_the_members_as_json_and_geojson(client, small_network):
    small_network.vinh.latitude, small_network.vinh.longitude = 18.67, 105.68
    small_network.vinh.save()
    _, body = download(client, "members", "json")
    rows = json.loads(body)["rows"]
    assert [row["name"] for row in rows] == ["Cork", "Jubail Industrial City", "Sa Đéc", "Sơn La", "Vinh"]
    assert rows[-1]["iso_code"] == "VN" and rows[-1]["member_since"] == "2020-09-23"

    _, body = download(client, "members", "geojson", on="2024-12-03")
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection" and collection["date"] == "2024-12-03"
    # Only Vinh has coordinates on record.
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.68, 18.67]}
    assert feature["properties"]["name"] == "Vinh"
    assert "latitude" not in feature["properties"]


def test_the_participation_says_who_was_a_member_then(client, small_network):
    _, body = download(client, "participation", "csv")
    header, *rows = csv_rows(body)
    assert header == [
        "Conference",
        "Conference start",
        "City",
        "Country",
        "ISO code",
        "Region",
        "City was a member",
        "Delegates recorded",
    ]
    at_iclc5 = {row[2]: (row[6], row[7]) for row in rows if row[0] == "ICLC 5"}
    # 27 October 2021: Cork back since September 2021, Vinh since 2020, Bouaké never.
    assert at_iclc5 == {"Bouaké": ("no", "1"), "Cork": ("yes", "1"), "Vinh": ("yes", "0")}
    assert sum(int(row[7]) for row in rows if row[0] == "ICLC 6") == 7


def test_the_conferences_with_their_counts(client, small_network):
    _, body = download(client, "conferences", "csv")
    header, *rows = csv_rows(body)
    assert [row[header.index("Short name")] for row in rows] == ["ICLC 5", "ICLC 6"]
    assert [row[header.index("Delegations")] for row in rows] == ["3", "5"]


def test_no_file_reveals_contact_details_or_unpublished_delegates(client, build_network):
    build_network(3)
    for name, fmt in EVERY_FILE:
        _, body = download(client, name, fmt)
        if fmt == "xlsx":
            sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
            body = repr(list(sheet.iter_rows(values_only=True))).encode()
        for secret in (PRIVATE_EMAIL, PRIVATE_PHONE, PRIVATE_NOTES, HIDDEN_NAME, "Published Person"):
            assert secret.encode() not in body, (name, fmt, secret)


def test_the_form_leads_to_the_file_for_the_day(client):
    response = client.get(reverse("open_data_members"), {"on": "2024-12-03", "format": "geojson"})
    assert response.status_code == 302
    assert response["Location"] == reverse("open_data_download", args=["members", "geojson"]) + "?on=2024-12-03"
    response = client.get(reverse("open_data_members"), {"on": "2024-12-03", "format": "pdf"})
    assert response.status_code == 400 and "Format: choose CSV" in response.text


@pytest.mark.parametrize("on", ["2024-13-01", "yesterday", "0000-01-01"])
def test_a_bad_day_is_explained_not_a_server_error(client, on):
    response = client.get(reverse("open_data_download", args=["members", "json"]), {"on": on})
    assert response.status_code == 400
    assert "Date: Enter a valid date." in response.text


@pytest.mark.parametrize(("name", "fmt"), [("members", "pdf"), ("conferences", "json"), ("delegates", "csv")])
def test_a_file_not_offered_is_not_found(client, name, fmt):
    assert client.get(reverse("open_data_download", args=[name, fmt])).status_code == 404


def test_the_day_survives_a_far_future(client, small_network):
    _, body = download(client, "members", "json", on="2999-12-31")
    assert json.loads(body)["date"] == "2999-12-31"
    assert datetime.date.fromisoformat(json.loads(body)["date"]).year == 2999
