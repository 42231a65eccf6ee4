/* The plan page's clientside callbacks (callbacks/plan.py names them). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocPlan = {
    // Filters changed → the URL's query (empty values and "all" left out; no unit is "all").
    urlSync: function (quarter, units, status, kind, search) {
        const params = new URLSearchParams(search || '');
        const set = (key, value) => { if (value === null || value === undefined || value === '' ||
            value === 'all') { params.delete(key); } else { params.set(key, value); } };
        set('quarter', quarter); set('status', status); set('kind', kind);
        params.set('unit', units && units.length ? units.join(',') : 'all');
        const next = '?' + params.toString();
        return next === (search || '') ? window.dash_clientside.no_update : next;
    },
};
