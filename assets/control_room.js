/* Map functions of the control room and the ward page (dash-leaflet reads them by name). */
window.iocControl = Object.assign({}, window.iocControl, {
    unitStyle: function (feature, context) {
        const h = (context && context.hideout) || {};
        const cls = (h.classes || {})[feature.id];
        const colors = h.colors || [];
        const filled = cls !== undefined && cls >= 0 && cls < colors.length;
        const estimate = (h.estimates || []).indexOf(feature.id) >= 0;
        return {
            fillColor: filled ? colors[cls] : (h.missing || '#9aa3ad'),
            fillOpacity: filled ? 0.82 : 0.35,
            color: estimate ? '#1b2430' : '#4a5563',
            weight: estimate ? 1.6 : 0.6,
            dashArray: estimate ? '4 3' : null,
        };
    },
    unitHover: function () {
        return {weight: 3, color: '#0b5cad', dashArray: null};
    },
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
