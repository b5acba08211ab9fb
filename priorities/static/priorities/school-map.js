/* The school map: one marker per school of the list (its data from data-map-url, JSON), coloured
   by priority band, filled when a serving SSO covers the school and hollow when it is vacant, with
   a popup giving rank, band, current officer and links. Base tiles only when data-tile-url is set
   (MAP_TILE_URL); without them the markers stand on a plain background and no network is used.
   A static file: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";

  var BAND_COLOURS = { high: "#d4351c", medium: "#f47738", low: "#1d70b8" };

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function line(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function popup(school) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = school.name + " (" + school.urn + ")";
    box.appendChild(title);
    box.appendChild(line("Rank " + school.rank + " in " + school.bcu + ", " + school.band_label + " band"));
    box.appendChild(line("Current SSO: " + school.sso));
    var links = document.createElement("p");
    links.appendChild(link(school.school_url, "School"));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(link(school.why_url, "Why this rank"));
    box.appendChild(links);
    return box;
  }

  function show(element) {
    var status = document.getElementById(element.id + "-status");
    var map = L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    map.setView([51.5, -0.12], 10);
    fetch(element.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var bounds = [];
        data.schools.forEach(function (school) {
          var colour = BAND_COLOURS[school.band] || "#505a5f";
          var marker = L.circleMarker([school.lat, school.lon], {
            radius: 8,
            color: colour,
            weight: 3,
            fillColor: colour,
            fillOpacity: school.covered ? 0.9 : 0,
            className: "school-marker school-marker-" + school.band + (school.covered ? " school-covered" : " school-vacant"),
          });
          marker.bindPopup(popup(school));
          marker.addTo(map);
          bounds.push([school.lat, school.lon]);
        });
        if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14, animate: false }); }
        element.dataset.markers = String(data.schools.length);
        var text = data.schools.length + " schools on the map";
        if (data.not_placed) { text += "; " + data.not_placed + " without coordinates are in the list only"; }
        status.textContent = text + ".";
      })
      .catch(function () {
        status.textContent = "The map could not be loaded; the list below has the same schools.";
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll(".school-map[data-map-url]").forEach(show);
  });
})();
