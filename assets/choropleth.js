/* The one style of areas coloured by class (dash-leaflet reads these by name), shared by the
   control room, the ward page and the forecast map. The layer's hideout carries:
   classes  {area id: class index}, colors [one per class], missing (colour without data),
   estimates [ids drawn with a dashed outline], selected [ids drawn with a strong outline]. */
window.iocChoropleth = Object.assign({}, window.iocChoropleth, {
    areaStyle: function (feature, context) {
        const h = (context && context.hideout) || {};
        const cls = (h.classes || {})[feature.id];
        const colors = h.colors || [];
        const filled = cls !== undefined && cls >= 0 && cls < colors.length;
        const estimate = (h.estimates || []).indexOf(feature.id) >= 0;
        const selected = (h.selected || []).indexOf(feature.id) >= 0;
        return {
            fillColor: filled ? colors[cls] : (h.missing || '#9aa3ad'),
            fillOpacity: filled ? 0.82 : 0.35,
            color: selected ? '#111827' : estimate ? '#1b2430' : '#4a5563',
            weight: selected ? 2.6 : estimate ? 1.6 : 0.6,
            dashArray: estimate ? '4 3' : null,
        };
    },
    areaHover: function () {
        return {weight: 3, color: '#0b5cad', dashArray: null};
    },
});
