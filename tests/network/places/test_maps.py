from decimal import Decimal
from types import SimpleNamespace

import pytest

from network.places.maps import ASPECT, WORLD, fit, map_view, markers_svg, project


def test_project_is_equirectangular_in_the_basemap_coordinates():
    assert project(0, 0) == (180.0, 90.0)
    assert project(Decimal("18.67"), Decimal("105.68")) == (285.68, 71.33)
    assert project(-33.87, -151.21) == pytest.approx((28.79, 123.87))


def test_fit_keeps_the_world_proportions_and_stays_on_the_map():
    x, y, width, height = fit([(285.7, 71.3), (286.0, 69.0)])
    assert round(width / height, 6) == round(ASPECT, 6)
    assert x <= 285.7 and x + width >= 286.0
    assert y >= WORLD[1]


def test_fit_never_shows_more_than_the_world():
    assert fit([(1, 7), (359, 149)]) == WORLD


def test_map_view_shows_the_world_unless_asked_to_zoom():
    city = SimpleNamespace(latitude=Decimal("18.67"), longitude=Decimal("105.68"))
    assert map_view([city]).box == WORLD
    assert map_view([city], zoom=True).box[2] < WORLD[2]
    assert map_view([], zoom=True).box == WORLD
    assert map_view([city]).markers[0].x == 285.68


def test_markers_svg_links_each_city_with_its_name_escaped():
    city = SimpleNamespace(
        latitude=Decimal("7.69"),
        longitude=Decimal("-5.03"),
        slug="bouake",
        name="Bouaké <b>",
        country_name="Côte d'Ivoire",
    )
    svg = markers_svg(map_view([city]), "/fr/cities/")
    assert svg == (
        '<a class="map__marker" href="/fr/cities/bouake/" aria-label="Bouaké &lt;b&gt;, Côte d&#x27;Ivoire">'
        "<title>Bouaké &lt;b&gt;, Côte d&#x27;Ivoire</title>"
        '<circle cx="174.970" cy="82.310" r="2.000"/></a>'
    )
