/* The school map: one marker per school of the list (its data from data-map-url, JSON), coloured
   by priority band, filled when a serving SSO covers the school and hollow when it is vacant, with
   a popup giving rank, band, current officer and links. Under the markers, the outlines of the
   schools' local authorities and their wards, where imported, named in a tooltip. Base tiles only
   when data-tile-url is set (MAP_TILE_URL); without them the markers stand on the outlines (or a
   plain background) and no network is used.
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

  var OUTLINE_STYLES = {
    // A thick line round each local authority, a thin one round each ward with a light tint, so that
    // a tap anywhere in a ward names it.
    local_authorities: { color: "#0b0c0c", weight: 2.5, opacity: 0.8, fill: false },
    wards: { color: "#505a5f", weight: 1, opacity: 0.9, fillColor: "#1d70b8", fillOpacity: 0.04 },
  };

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function outlineLabel(kind, outline) {
    var text = kind === "wards" ? outline.name + " ward, " + outline.local_authority : outline.name + " (local authority)";
    return outline.demo ? text + " (demo outline)" : text;
  }

  // Outlines go in a pane of their own under the markers' (Leaflet's overlay pane is at 400).
  function drawOutlines(map, outlines, bounds) {
    var counts = { local_authorities: 0, wards: 0, demo: false };
    if (!outlines) { return counts; }
    map.createPane("outlines").style.zIndex = 350;
    ["wards", "local_authorities"].forEach(function (kind) {
      (outlines[kind] || []).forEach(function (outline) {
        var layer = L.geoJSON(outline.geometry, {
          pane: "outlines",
          style: OUTLINE_STYLES[kind],
          className: "map-outline map-outline-" + kind,
        });
        layer.bindTooltip(outlineLabel(kind, outline), { sticky: true });
        if (kind === "wards") {
          // The ward pointed at stands out, all its pieces: a ward may come in several.
          layer.on("mouseover", function () { layer.setStyle({ weight: 3, fillOpacity: 0.15 }); });
          layer.on("mouseout", function () { layer.setStyle(OUTLINE_STYLES.wards); });
        }
        layer.addTo(map);
        if (kind === "local_authorities") { bounds.push(layer.getBounds()); }
        counts[kind] += 1;
        counts.demo = counts.demo || outline.demo;
      });
    });
    return counts;
  }

  function show(element) {
    var status = document.getElementById(element.id + "-status");
    // Without tiles, quarter zoom steps let the schools and outlines fill the map (tiles would blur).
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: element.dataset.tileUrl ? 1 : 0.25 });
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
        var areas = [];
        var outlined = drawOutlines(map, data.outlines, areas);
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
        if (bounds.length || areas.length) {
          // The markers, and the whole of each local authority they stand in.
          var view = L.latLngBounds(bounds);
          areas.forEach(function (area) { view.extend(area); });
          map.fitBounds(view, { padding: [20, 20], maxZoom: 14, animate: false });
        }
        element.dataset.markers = String(data.schools.length);
        element.dataset.outlines = String(outlined.local_authorities + outlined.wards);
        var text = data.schools.length + " schools on the map";
        if (data.not_placed) { text += "; " + data.not_placed + " without coordinates are in the list only"; }
        if (outlined.local_authorities || outlined.wards) {
          text += "; outlines of " + plural(outlined.local_authorities, "local authority", "local authorities") +
            " and " + plural(outlined.wards, "ward", "wards");
          if (outlined.demo) { text += " (demo outlines, drawn from the demo schools' positions)"; }
          var key = document.getElementById(element.id + "-outline-key");
          if (key) { key.hidden = false; }
        }
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
