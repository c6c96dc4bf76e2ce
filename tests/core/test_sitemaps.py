from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.sitemaps import Sitemap

from core.sitemaps import I18nSitemap
from network.models import City
from tests.network.factories import CityFactory

pytestmark = pytest.mark.django_db
SITE = SimpleNamespace(domain="example.org")


class DjangoCities(Sitemap):
    i18n, alternates, x_default = True, True, True

    def items(self):
        return City.objects.order_by("pk")


class Cities(I18nSitemap):
    def items(self):
        return City.objects.order_by("pk")


def addresses(sitemap) -> list:
    urls = sitemap.get_urls(site=SITE, protocol="https")
    return [(url["location"], [(a["lang_code"], a["location"]) for a in url["alternates"]]) for url in urls]


def test_lists_the_same_addresses_and_alternates_as_djangos_sitemap():
    for name in ("Vinh", "Sa Đéc", "Cork"):
        CityFactory(name=name)
    expected = addresses(DjangoCities())
    assert len(expected) == 3 * len(settings.LANGUAGES)
    assert addresses(Cities()) == expected
    assert expected[0][1][-1] == ("x-default", expected[0][0].replace("/en/", "/", 1))


def test_makes_each_address_once_per_file(monkeypatch):
    cities = [CityFactory() for _ in range(3)]
    made = []
    original = City.get_absolute_url
    monkeypatch.setattr(City, "get_absolute_url", lambda city: made.append(city.pk) or original(city))
    addresses(Cities())
    assert sorted(made) == sorted([city.pk for city in cities] * len(settings.LANGUAGES))
    made.clear()
    addresses(DjangoCities())
    assert len(made) == 3 * len(settings.LANGUAGES) * (len(settings.LANGUAGES) + 2)  # what this class saves
    sitemap = Cities()
    addresses(sitemap)
    assert not hasattr(sitemap, "_addresses")  # nothing kept past the file


def test_urlset_xml_writes_what_djangos_template_writes():
    import datetime

    from django.template.loader import render_to_string
    from django.utils import timezone

    from core.sitemaps import urlset_xml

    for name in ("Vinh", "Sa Đéc", "Cork & <Kerry>"):
        CityFactory(name=name)
    urls = Cities().get_urls(site=SITE, protocol="https")
    # Every optional field, present and absent; text to escape; an aware time near midnight in another zone.
    late = timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30), datetime.UTC)
    urls[0] |= {"lastmod": late, "changefreq": "weekly", "priority": "0.5"}
    urls[1] |= {"lastmod": datetime.date(2020, 2, 29), "location": "https://example.org/a?b=1&c='d'"}
    urls[2]["alternates"] = []
    for zone in ("UTC", "Asia/Ho_Chi_Minh"):
        with timezone.override(zone):
            assert urlset_xml(urls) == render_to_string("sitemap.xml", {"urlset": urls})
    assert urlset_xml([]) == render_to_string("sitemap.xml", {"urlset": []})
