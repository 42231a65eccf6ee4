/* School points of the control room and the ward page (dash-leaflet reads them by name);
   the areas' colours are assets/choropleth.js. */
window.iocControl = Object.assign({}, window.iocControl, {
    schoolPoint: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 6, color: '#ffffff', weight: 1.5,
                                       fillColor: '#0b5cad', fillOpacity: 0.95});
    },
    schoolCluster: function (feature, latlng, index, context) {
        const count = feature.properties.point_count;
        const size = count < 10 ? 28 : count < 100 ? 34 : 42;
        const icon = L.divIcon({
            html: '<div><span>' + Number(count) + '</span></div>',
            className: 'cr-cluster', iconSize: L.point(size, size),
        });
        return L.marker(latlng, {icon: icon, title: String(count)});
    },
});

/* The control room's clientside callbacks (callbacks/control_room.py names them). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocControlRoom = {
    // Controls changed → the URL's query (a link reproduces the view).
    urlSync: function (year, kpi, method, k, geo, search) {
        const params = new URLSearchParams(search || '');
        const set = (key, value) => { if (value === null || value === undefined || value === '')
            { params.delete(key); } else { params.set(key, value); } };
        set('year', year); set('kpi', kpi); set('method', method); set('k', k); set('geo', geo);
        const next = '?' + params.toString();
        return next === (search || '') ? window.dash_clientside.no_update : next;
    },
    // A ward clicked on the map → its page.
    unitClick: function (feature, geo, year) {
        if (!feature || !feature.properties || geo !== 'ward') {
            return window.dash_clientside.no_update; }
        return '/ward/' + encodeURIComponent(feature.properties.code) + (year ? '?year=' + year : '');
    },
    // A school clicked on the map (not a cluster) → its page.
    schoolClick: function (feature) {
        if (!feature || !feature.properties || feature.properties.cluster) {
            return window.dash_clientside.no_update; }
        return '/school/' + encodeURIComponent(feature.properties.id);
    },
    // An area hovered → its label.
    hover: function (feature, hideout, current) {
        if (!feature || !hideout || !hideout.labels) { return window.dash_clientside.no_update; }
        const text = hideout.labels[feature.id] || (feature.properties && feature.properties.name);
        return text || window.dash_clientside.no_update;
    },
    // The wall screen's timer → the next of its four views.
    rotate: function (n, current) {
        const views = 4;
        const index = ((n || 0) % views);
        return 'cr-views view-' + index;
    },
};
