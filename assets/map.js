/* /map: dash-leaflet functions (styles, clusters, the client-side filter) and the page's
   clientside callbacks. Loaded on every page; does nothing until the map page uses it.
   No text from the data is ever inserted as HTML here: cluster icons hold numbers only,
   tooltips come HTML-escaped from the server. */
(function () {
  "use strict";

  // On /map, start downloading the layers while Dash itself is still starting: the
  // GeoJSON components' own fetches then find them in the preload cache.
  // The lazily loaded code of the layer and dropdown components is fetched now too.
  var LAYERS = ["/api/v1/map/points.geojson", "/api/v1/map/wards.geojson"];
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

  // ------------------------------------------------------------------ filtering
  // dash-leaflet ignores prop changes while its layer is loading and then draws with the
  // props it started with; a hideout produced meanwhile (e.g. search matches arriving with
  // the page) would be lost. The newest hideout of this page is therefore kept here and
  // preferred to an older one (same page token, lower revision) that a draw is given.
  var latest = null;
  function hideoutOf(context) {
    var h = context && context.hideout;
    if (latest && h && latest.page === h.page && (latest.rev || 0) > (h.rev || 0)) return latest;
    return h;
  }

  function active(h) {
    return !!(h && (h.kinds || h.levels || h.own || h.ward || h.district || h.ids));
  }

  // The id set of a search is built once per hideout object.
  var idSets = new WeakMap();
  function idSet(h) {
    var set = idSets.get(h);
    if (!set) {
      set = new Set(h.ids);
      idSets.set(h, set);
    }
    return set;
  }

  function match(p, h) {
    if (!h) return true;
    if (h.kinds && h.kinds.indexOf(p.k) < 0) return false;
    if (h.levels && h.levels.indexOf(p.l) < 0) return false;
    if (h.own && p.o !== h.own) return false;
    if (h.ward && p.w !== h.ward) return false;
    if (h.district && p.d !== h.district) return false;
    if (h.ids && !idSet(h).has(p.id)) return false;
    return true;
  }

  // Cluster counts under a filter: supercluster's clusters hold every point, so the
  // matching leaves are counted (once per cluster, index and hideout).
  var counts = new WeakMap();
  function matchingLeaves(feature, index, h) {
    var byIndex = counts.get(index);
    if (!byIndex || byIndex.h !== h) {
      byIndex = { h: h, n: new Map() };
      counts.set(index, byIndex);
    }
    var id = feature.properties.cluster_id;
    var n = byIndex.n.get(id);
    if (n === undefined) {
      n = 0;
      var leaves = index.getLeaves(id, Infinity);
      for (var i = 0; i < leaves.length; i++) {
        if (match(leaves[i].properties, h)) n++;
      }
      byIndex.n.set(id, n);
    }
    return n;
  }

  function formatCount(n) {
    if (n >= 10000) return Math.round(n / 1000) + "k";
    if (n >= 1000) return (Math.round(n / 100) / 10) + "k";
    return String(n);
  }

  var iocMap = {
    match: match,

    filter: function (feature, context) {
      if (feature.properties.cluster) return true; // counted in clusterToLayer
      return match(feature.properties, hideoutOf(context));
    },

    pointToLayer: function (feature, latlng, context) {
      var h = (context && context.hideout) || {};
      var colour = (h.colours || {})[feature.properties.k] || "#555";
      return L.circleMarker(latlng, {
        radius: 7, color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.95,
        bubblingMouseEvents: false, className: "map-point"
      });
    },

    clusterToLayer: function (feature, latlng, index, context) {
      var h = hideoutOf(context) || {};
      var n = feature.properties.point_count;
      if (active(h)) {
        n = matchingLeaves(feature, index, h);
        if (n === 0) return null; // Leaflet's GeoJSON skips a feature without a layer
      }
      var band = n < 100 ? "s" : n < 1000 ? "m" : "l";
      var size = band === "s" ? 34 : band === "m" ? 42 : 50;
      var icon = L.divIcon({
        html: "<span>" + formatCount(Number(n)) + "</span>",
        className: "ioc-cluster ioc-cluster-" + band,
        iconSize: L.point(size, size)
      });
      return L.marker(latlng, { icon: icon, keyboard: false });
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

    /* filters or search matches → the point layer's hideout (the layer is not re-sent) */
    hideout: function (kinds, levels, own, ward, district, matches, current, view) {
      var all = (view && view.kinds) || [];
      var h = Object.assign({}, current || {});
      kinds = kinds || [];
      h.kinds = kinds.length === all.length ? null : kinds;
      h.levels = levels && levels.length ? levels : null;
      h.own = own || null;
      h.ward = ward || null;
      h.district = district || null;
      h.ids = matches && matches.ids ? matches.ids : null;
      h.rev = ((current && current.rev) || 0) + 1;
      latest = h;
      return h;
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
