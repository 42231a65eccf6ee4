/* The data-domain page's clientside callbacks (callbacks/domain.py names them). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocDomain = {
    // Filters changed → the URL's query (empty values and "all" left out).
    urlSync: function (year, geo, area, level, ownership, indicator, search) {
        const params = new URLSearchParams(search || '');
        const set = (key, value) => { if (value === null || value === undefined || value === '' ||
            value === 'all') { params.delete(key); } else { params.set(key, value); } };
        set('year', year); set('geo', geo); set('area', area); set('level', level);
        set('ownership', ownership); set('indicator', indicator);
        const next = '?' + params.toString();
        return next === (search || '') ? window.dash_clientside.no_update : next;
    },
};
