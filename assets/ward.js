/* The ward page's clientside callbacks (callbacks/ward.py names them; its school layer's
   click is the control room's, in assets/control_room.js). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocWard = {
    // Another school year → the URL's query.
    yearInUrl: function (year, search) {
        const params = new URLSearchParams(search || '');
        if (year === null || year === undefined) { params.delete('year'); }
        else { params.set('year', year); }
        const next = '?' + params.toString();
        return next === (search || '') ? window.dash_clientside.no_update : next;
    },
};
