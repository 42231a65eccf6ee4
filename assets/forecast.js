/* The forecast page's clientside callbacks (callbacks/forecast.py names them); the wards'
   colours on its map are assets/choropleth.js. */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocForecast = (function () {
    // The defaults of ioc_app.services.forecast_state.ViewState (tests/app/test_wiring.py
    // checks them): left out of the URL, so the page's first render does not rewrite it.
    const URL_DEFAULTS = {"level": "primary", "h": 5, "mig": 0, "add": 0};
    return {
        // Choices and levers changed → the URL's query.
        urlSync: function (area, level, h, mig, norm, add, addyear, search) {
            const params = new URLSearchParams(search || '');
            const defaults = URL_DEFAULTS;
            const set = (key, value) => {
                if (value === null || value === undefined || value === '' || defaults[key] === value) {
                    params.delete(key);
                } else { params.set(key, value); }
            };
            set('area', area); set('level', level); set('h', h); set('mig', mig); set('norm', norm);
            set('add', add); set('addyear', addyear);
            const text = params.toString();
            const next = text ? '?' + text : '';
            return next === (search || '') ? window.dash_clientside.no_update : next;
        },
        // A ward clicked on the map, or an item of the shortage list → the area chosen.
        pickArea: function (feature, clicks) {
            const context = window.dash_clientside.callback_context;
            const trigger = context.triggered_id;
            if (trigger && typeof trigger === 'object' && trigger.id) {
                const fired = (context.triggered || []).some((item) => item.value);
                return fired ? trigger.id : window.dash_clientside.no_update;
            }
            if (feature && feature.id) { return feature.id; }
            return window.dash_clientside.no_update;
        },
        // A ward hovered → its label.
        hover: function (feature, hideout) {
            if (!feature || !hideout) { return window.dash_clientside.no_update; }
            const text = (hideout.labels || {})[feature.id] || (feature.properties || {}).name;
            return text || window.dash_clientside.no_update;
        },
    };
})();
