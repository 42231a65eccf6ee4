/* /map: dash-leaflet functions (point and cluster markers, ward style) and the page's
   clientside callbacks, among them the fetch of the clusters of the current view.
   Loaded on every page; does nothing until the map page uses it.
   No text from the data is ever inserted as HTML here: cluster icons hold numbers only,
   tooltips come HTML-escaped from the server. */
(function () {
  "use strict";

  // On /map, start downloading the ward layer while Dash itself is still starting: the
  // GeoJSON component's own fetch then finds it in the preload cache. The clusters of the
  // view follow once the map knows its size (iocMap.clusters below).
  // The lazily loaded code of the layer and dropdown components is fetched now too.
  var LAYERS = ["/api/v1/map/wards.geojson"];
  var CHUNKS = ["/_dash-component-suites/dash_leaflet/async-GeoJSON.js",
                "/_dash-component-suites/dash/dcc/async-dropdown.js"];
  if (window.location.pathname.replace(/\/$/, "") === "/map" && document.head) {
    LAYERS.concat(CHUNKS).forEach(function (href) {
      var link = document.createElement("link");
      var layer = LAYERS.indexOf(href) >= 0;
      link.rel = "preload";
      link.as = layer ? "fetch" : "script";
      link.href = href;
      if (layer) link.crossOrigin = "anonymous";
      document.head.appendChild(link);
    });
  }

  function formatCount(n) {
    if (n >= 10000) return Math.round(n / 1000) + "k";
    if (n >= 1000) return (Math.round(n / 100) / 10) + "k";
    return String(n);
  }

  /* a cluster of the server (/api/v1/map/clusters): its count; a click zooms to where it
     splits */
  function clusterMarker(feature, latlng, context) {
    var n = Number(feature.properties.point_count) || 0;
    var band = n < 100 ? "s" : n < 1000 ? "m" : "l";
    var size = band === "s" ? 34 : band === "m" ? 42 : 50;
    var icon = L.divIcon({
      html: "<span data-count=\"" + n + "\">" + formatCount(n) + "</span>",
      className: "ioc-cluster ioc-cluster-" + band,
      iconSize: L.point(size, size)
    });
    var marker = L.marker(latlng, { icon: icon, keyboard: false });
    var map = context && context.map;
    if (map) {
      marker.on("click", function () {
        var zoom = Math.max(map.getZoom() + 1, Number(feature.properties.expansion_zoom) || 0);
        map.flyTo(latlng, Math.min(zoom, map.getMaxZoom()), { duration: 0.6 });
      });
    }
    return marker;
  }

  var iocMap = {
    pointToLayer: function (feature, latlng, context) {
      if (feature.properties.cluster) return clusterMarker(feature, latlng, context);
      var h = (context && context.hideout) || {};
      var colour = (h.colours || {})[feature.properties.k] || "#555";
      return L.circleMarker(latlng, {
        radius: 7, color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.95,
        bubblingMouseEvents: false, className: "map-point"
      });
    },

    wardStyle: function (feature, context) {
      var dark = context && context.hideout && context.hideout.dark;
      return {
        weight: 1, color: dark ? "#5c6f82" : "#8a9bb0", opacity: 0.9,
        fillColor: dark ? "#1d2a38" : "#eef2f6", fillOpacity: dark ? 0.6 : 0.7
      };
    }
  };
  window.iocMap = Object.assign(window.iocMap || {}, iocMap);

  // ------------------------------------------------------------------ clientside callbacks
  var pendingPause = null; // the query waiting for the typing pause (see iocMap.pause)

  function noUpdate() {
    return window.dash_clientside.no_update;
  }

  function triggeredId() {
    var ctx = window.dash_clientside.callback_context;
    var trig = (ctx && ctx.triggered) || [];
    if (!trig.length) return null;
    var first = trig[0];
    if (first.value === null || first.value === undefined || first.value === 0) return null;
    var prop = first.prop_id;
    var key = prop.slice(0, prop.lastIndexOf("."));
    try {
      return { id: JSON.parse(key), prop: prop.slice(prop.lastIndexOf(".") + 1) };
    } catch (e) {
      return { id: key, prop: prop.slice(prop.lastIndexOf(".") + 1) };
    }
  }

  function round(x, d) {
    var f = Math.pow(10, d);
    return Math.round(x * f) / f;
  }

  var TILE = 256;
  var MAX_ZOOM = 19;
  var clusterRequest = 0; // the newest request of iocMap.clusters
  var shownClusters = null; // the address of the clusters drawn

  /* "west,south,east,north" of the map's view at ``zoom`` around ``center``, widened to whole
     tiles (a small move asks for the same box again, found in the caches); null when the
     view is off the world */
  function viewBox(center, zoom) {
    var canvas = document.querySelector(".map-canvas");
    var width = (canvas && canvas.clientWidth) || 1024;
    var height = (canvas && canvas.clientHeight) || 768;
    var lat = Array.isArray(center) ? center[0] : center.lat;
    var lon = Array.isArray(center) ? center[1] : center.lng;
    var crs = L.CRS.EPSG3857;
    var at = crs.latLngToPoint(L.latLng(lat, lon), zoom);
    var world = TILE * Math.pow(2, zoom);
    var x0 = Math.max(0, Math.floor((at.x - width / 2) / TILE) * TILE);
    var x1 = Math.min(world, Math.ceil((at.x + width / 2) / TILE) * TILE);
    var y0 = Math.max(0, Math.floor((at.y - height / 2) / TILE) * TILE);
    var y1 = Math.min(world, Math.ceil((at.y + height / 2) / TILE) * TILE);
    if (x1 <= x0 || y1 <= y0) return null;
    var nw = crs.pointToLatLng(L.point(x0, y0), zoom);
    var se = crs.pointToLatLng(L.point(x1, y1), zoom);
    return [round(nw.lng, 6), round(se.lat, 6), round(se.lng, 6), round(nw.lat, 6)].join(",");
  }

  /* the clusters' address for the view, filters and search (the same filters as the list);
     null when nothing can be shown */
  function clustersUrl(center, zoom, query, kinds, levels, own, ward, district, origin, view) {
    if (!center || zoom === null || zoom === undefined || !window.L) return null;
    var z = Math.max(0, Math.min(MAX_ZOOM, Math.round(zoom)));
    var box = viewBox(center, z);
    if (!box) return null;
    var params = new URLSearchParams();
    params.set("z", String(z));
    params.set("bbox", box);
    var all = (view && view.kinds) || [];
    if (kinds && kinds.length !== all.length) {
      params.set("kind", kinds.length ? kinds.join(",") : "none");
    }
    if (levels && levels.length) params.set("level", levels.join(","));
    if (own) params.set("ownership", own);
    if (ward) params.set("ward", ward);
    if (district) params.set("old_district", district);
    var text = (query || "").trim().slice(0, 200);
    if (text) {
      params.set("q", text);
      if (origin && origin.lon !== undefined && origin.lat !== undefined) {
        params.set("near", origin.lon + "," + origin.lat);
      }
    }
    return ((view && view.clusters) || "/api/v1/map/clusters") + "?" + params.toString();
  }

  // Added to (never replacing) the renderer's own object.
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.iocMap = {
    /* typing → the query the server searches, once typing pauses for 250 ms (at once on
       Enter); a newer keystroke answers the older, still waiting call with no_update */
    pause: function (query, submits, sent) {
      var t = triggeredId();
      var text = query || "";
      if (pendingPause) pendingPause.resolve(noUpdate());
      pendingPause = null;
      if (text === (sent || "")) return noUpdate();
      if (t && t.prop === "n_submit") return text;
      return new Promise(function (resolve) {
        var mine = { resolve: resolve };
        mine.timer = setTimeout(function () {
          if (pendingPause === mine) pendingPause = null;
          resolve(text);
        }, 250);
        mine.resolve = function (value) { clearTimeout(mine.timer); resolve(value); };
        pendingPause = mine;
      });
    },

    /* the view (centre, zoom), the search sent and the filters → the clusters and
       institutions of the view, fetched from /api/v1/map/clusters; an answer overtaken by a
       newer request is dropped */
    clusters: function (center, zoom, query, kinds, levels, own, ward, district, origin, view) {
      var url = clustersUrl(center, zoom, query, kinds, levels, own, ward, district, origin,
                            view);
      var mine = ++clusterRequest;
      if (url === shownClusters) return noUpdate();
      if (url === null) {
        shownClusters = null;
        return { type: "FeatureCollection", features: [] };
      }
      return fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (mine !== clusterRequest || !data) return noUpdate();
          shownClusters = url;
          return data;
        })
        .catch(function () { return noUpdate(); });
    },

    /* a result, a nearest item, a point on the map or "close" → the selected institution */
    select: function () {
      var t = triggeredId();
      if (!t) return noUpdate();
      if (t.prop === "clickData") {
        var props = arguments[2] && arguments[2].properties;
        if (!props || props.cluster) return noUpdate();
        return props.id;
      }
      if (typeof t.id === "object" && t.id !== null) return t.id.id;
      return null; // the close button
    },

    /* "my location" (browser geolocation) or a click on the map → the origin of "nearest" */
    locate: function (clicks, mapClick, view) {
      var texts = (view && view.texts) || {};
      var t = triggeredId();
      if (!t) return [noUpdate(), noUpdate()];
      if (t.prop === "clickData") {
        var ll = mapClick && mapClick.latlng;
        if (!ll) return [noUpdate(), noUpdate()];
        return [{ lon: round(ll.lng, 6), lat: round(ll.lat, 6), source: "click" }, ""];
      }
      if (!navigator.geolocation) return [noUpdate(), texts.denied || ""];
      return new Promise(function (resolve) {
        navigator.geolocation.getCurrentPosition(
          function (pos) {
            resolve([{ lon: round(pos.coords.longitude, 6), lat: round(pos.coords.latitude, 6),
                       source: "gps" }, texts.ok || ""]);
          },
          function () { resolve([noUpdate(), texts.denied || ""]); },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
        );
      });
    },

    /* the clear button → every filter back to "everything" */
    clear: function (clicks, view) {
      if (!clicks) return [noUpdate(), noUpdate(), noUpdate(), noUpdate(), noUpdate()];
      return [(view && view.kinds) || [], [], "", null, null];
    },

    /* any state change → the address bar (replaceState: a copied link reproduces the view) */
    writeUrl: function (query, kinds, levels, own, ward, district, selected, center, zoom,
                        nkind, nCount, radius, view) {
      if (window.location.pathname.replace(/\/$/, "") !== "/map") return noUpdate();
      var params = new URLSearchParams(window.location.search);
      function put(key, value) {
        if (value === null || value === undefined || value === "" ||
            (Array.isArray(value) && !value.length)) params.delete(key);
        else params.set(key, Array.isArray(value) ? value.join(",") : String(value));
      }
      var all = (view && view.kinds) || [];
      kinds = kinds || [];
      put("q", (query || "").trim());
      put("kind", kinds.length === all.length ? null : (kinds.length ? kinds : "none"));
      put("level", levels);
      put("own", own);
      put("ward", ward);
      put("district", district);
      put("id", selected);
      if (center && zoom !== undefined && zoom !== null) {
        var lat = Array.isArray(center) ? center[0] : center.lat;
        var lon = Array.isArray(center) ? center[1] : center.lng;
        put("lat", round(lat, 5));
        put("lon", round(lon, 5));
        put("z", zoom);
      }
      put("nk", nkind);
      put("n", nCount === 10 ? null : nCount);
      put("r", radius || null);
      var search = params.toString();
      var next = window.location.pathname + (search ? "?" + search : "");
      if (next !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", next);
      }
      return noUpdate();
    }
  };
})();
