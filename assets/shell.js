/* The shell's clientside callbacks (ioc_app/router.py names them). */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.iocShell = {
    // The routed page's title → the document's.
    documentTitle: function (t) {
        if (t) { document.title = t; }
        return window.dash_clientside.no_update;
    },
    // The URL changed → the language and theme switches come back to this page.
    switchLinks: function (path, search, langHref, themeHref) {
        const next = encodeURIComponent((path || '/') + (search || ''));
        const base = (href) => (href || '').split('?')[0];
        return [base(langHref) + '?next=' + next, base(themeHref) + '?next=' + next];
    },
};
