/* Tables (layouts/grid.py): DataTable's filter boxes carry no label, so a screen reader
   announces "edit text". Name each one after its column, in the page's language. */
(function () {
    const WORDS = {vi: 'Lọc cột', en: 'Filter column'};

    function columnName(input) {
        const cell = input.closest('th');
        const key = cell && cell.getAttribute('data-dash-column');
        const table = input.closest('table');
        if (!key || !table) { return null; }
        const header = table.querySelector('th.dash-header[data-dash-column="' + CSS.escape(key) + '"]');
        return header ? header.innerText.trim() : key;
    }

    function label(root) {
        const inputs = root.querySelectorAll('th.dash-filter input:not([aria-label])');
        if (!inputs.length) { return; }
        const shell = document.getElementById('shell');
        const lang = (shell && shell.getAttribute('lang')) || document.documentElement.lang;
        const word = WORDS[lang] || WORDS.vi;
        inputs.forEach(function (input) {
            const name = columnName(input);
            if (name) { input.setAttribute('aria-label', word + ' ' + name); }
        });
    }

    function start() {
        label(document);
        new MutationObserver(function () { label(document); })
            .observe(document.body, {childList: true, subtree: true});
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
