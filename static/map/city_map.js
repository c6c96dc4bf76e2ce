/* The interactive member map (templates/network/city_map.html).
 *
 * Leaflet (static/vendor/leaflet) over the Natural Earth country shapes shipped in static/map (no tiles,
 * nothing from another host); markers from the API's cities.geojson with the page's filters, grouped by
 * Leaflet.markercluster. Without JavaScript, or when a file fails to load, the server-drawn SVG map stays.
 *
 * Keyboard: the map is one tab stop (Leaflet's own handler: arrow keys pan, + and - zoom); markers and the
 * zoom buttons are left out of the tab order, and the "List of the cities on the map" below names the
 * cities in view as links. No inline style or script: Leaflet positions elements through element.style,
 * which the CSP's style-src does not govern.
 */
(function () {
  "use strict";

  var figure = document.getElementById("city-map");
  if (!figure || !window.L || !window.L.markerClusterGroup || !window.fetch) {
    return;
  }
  var live = figure.querySelector(".map__live");
  var canvas = live.querySelector(".map__canvas");
  var list = figure.querySelector(".map__list");
  var listStatus = list.querySelector(".map__list-status");
  var listItems = list.querySelector(".map__list-items");
  var cities = [];

  // Markers (and the clusters, which are markers) get no tabindex: one tab stop for the whole map.
  L.Marker.mergeOptions({ keyboard: false });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // The SVG's viewBox is in the server map's coordinates: x = longitude + 180, y = 90 - latitude.
  function viewBounds(viewBox) {
    var v = viewBox.split(" ").map(Number);
    return L.latLngBounds([90 - (v[1] + v[3]), v[0] - 180], [90 - v[1], v[0] + v[2] - 180]);
  }

  // The words come from the JavaScript catalogue the page loads first (/<language>/jsi18n/, Django's gettext).
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (text, values) { return text.replace("%s", values[0]); };

  // A city's page in the language of this page (data-cities is "/fr/cities/"), not that of the API's answer.
  function cityUrl(properties) {
    return live.dataset.cities + encodeURIComponent(properties.slug) + "/";
  }

  function popup(city) {
    var p = city.properties;
    var box = el("div", "map-popup");
    var link = el("a", "map-popup__name", p.name);
    link.href = cityUrl(p);
    box.appendChild(link);
    box.appendChild(el("span", "map-popup__line", p.country_name));
    var since = p.member
      ? p.member_since
        ? interpolate(gettext("Member since %s"), [p.member_since])
        : gettext("Member")
      : gettext("Not a member today");
    box.appendChild(el("span", "map-popup__line", since));
    return box;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "map-cluster map-cluster--" + size,
      iconSize: L.point(40, 40),
    });
  }

  function fillList(map) {
    if (!list.open) {
      return;
    }
    var bounds = map.getBounds();
    var shown = cities.filter(function (city) {
      return bounds.contains(city.latlng);
    });
    listStatus.textContent =
      shown.length === 0
        ? gettext("No city in this part of the map.")
        : interpolate(
            ngettext(
              "%s city in the map's current view, by name:",
              "%s cities in the map's current view, by name:",
              shown.length,
            ),
            [shown.length],
          );
    var fragment = document.createDocumentFragment();
    shown.forEach(function (city) {
      var item = el("li");
      var link = el("a", "", city.feature.properties.name);
      link.href = cityUrl(city.feature.properties);
      item.appendChild(link);
      item.appendChild(document.createTextNode(", " + city.feature.properties.country_name));
      fragment.appendChild(item);
    });
    listItems.replaceChildren(fragment);
  }

  function fallBack() {
    figure.classList.remove("map--live");
    live.hidden = true;
    list.hidden = true;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + " answered " + response.status);
      }
      return response.json();
    });
  }

  live.hidden = false;
  figure.classList.add("map--live");
  // Right to left (Arabic): the zoom buttons go to the reading start, the top right corner.
  var rtl = document.documentElement.dir === "rtl";
  var map = L.map(canvas, {
    zoomControl: false,
    minZoom: 1,
    maxZoom: 12,
    zoomSnap: 0.5,
    maxBounds: [
      [-85, -220],
      [85, 220],
    ],
    keyboardPanDelta: 120,
  });
  // Plain text, not links: the map stays a single tab stop.
  map.attributionControl.setPrefix("Leaflet");
  L.control
    .zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") })
    .addTo(map);
  map.attributionControl.setPosition(rtl ? "bottomleft" : "bottomright");
  map.attributionControl.addAttribution(gettext("Country shapes: Natural Earth"));
  canvas.querySelectorAll(".leaflet-control-zoom a").forEach(function (button) {
    button.tabIndex = -1;
  });
  map.fitBounds(viewBounds(live.dataset.view));

  var basemap = getJSON(live.dataset.basemap).then(function (shapes) {
    L.geoJSON(shapes, {
      interactive: false,
      renderer: L.canvas({ padding: 0.5 }),
      style: { color: "#ffffff", weight: 0.8, fillColor: "#c7cfd7", fillOpacity: 1 },
    }).addTo(map);
  });

  var group = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: clusterIcon,
  });
  var pin = L.divIcon({ className: "map-pin", iconSize: L.point(16, 16) });
  group.addTo(map);

  // The GeoJSON comes in pages of a few thousand cities ("next" names the following one): each page's markers
  // are shown as it arrives.
  function addPage(url) {
    return getJSON(url).then(function (collection) {
      addMarkers(collection.features);
      return collection.next ? addPage(collection.next) : null;
    });
  }

  function addMarkers(features) {
    var layers = features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      cities.push({ feature: feature, latlng: latlng });
      var marker = L.marker(latlng, { icon: pin, title: feature.properties.name });
      marker.bindPopup(function () {
        return popup(feature);
      });
      return marker;
    });
    group.addLayers(layers);
    figure.dataset.cities = String(cities.length);
  }

  var markers = addPage(live.dataset.points);

  Promise.all([basemap, markers]).then(
    function () {
      list.hidden = false;
      map.on("moveend", function () {
        fillList(map);
      });
      list.addEventListener("toggle", function () {
        fillList(map);
      });
      figure.dataset.ready = "true";
      if (window.performance && performance.mark) {
        performance.mark("map-ready");
      }
    },
    function (problem) {
      fallBack();
      if (window.console) {
        console.warn("Interactive map unavailable, the drawn map stays:", problem);
      }
    }
  );
})();
