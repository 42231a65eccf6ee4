/* Map functions of the forecast page (dash-leaflet reads them by name from the hideout). */
window.iocForecast = Object.assign({}, window.iocForecast, {
    wardStyle: function (feature, context) {
        const h = (context && context.hideout) || {};
        const cls = (h.classes || {})[feature.id];
        const colors = h.colors || [];
        const filled = cls !== undefined && cls >= 0 && cls < colors.length;
        const selected = (h.selected || []).indexOf(feature.id) >= 0;
        return {
            fillColor: filled ? colors[cls] : (h.missing || '#9aa3ad'),
            fillOpacity: filled ? 0.85 : 0.35,
            color: selected ? '#111827' : '#4a5563',
            weight: selected ? 2.6 : 0.6,
        };
    },
    wardHover: function () {
        return {weight: 3, color: '#0b5cad'};
    },
});
