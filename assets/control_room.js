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
