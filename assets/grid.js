/* Tables (layouts/grid.py): DataTable's filter boxes carry no label, so a screen reader
   announces "edit text", and its sort arrows answer only a mouse. Name each filter box
   after its column, and make each sort arrow a button the keyboard reaches (Tab) and
   presses (Enter or Space), in the page's language. */
(function () {
    const WORDS = {vi: 'Lọc cột', en: 'Filter column'};
    const SORT = {vi: 'Sắp xếp theo', en: 'Sort by'};

    function columnName(input) {
        const cell = input.closest('th');
        const key = cell && cell.getAttribute('data-dash-column');
        const table = input.closest('table');
        if (!key || !table) { return null; }
        const header = table.querySelector('th.dash-header[data-dash-column="' + CSS.escape(key) + '"]');
        return header ? header.innerText.trim() : key;
    }

    function language() {
        const shell = document.getElementById('shell');
        return (shell && shell.getAttribute('lang')) || document.documentElement.lang || 'vi';
    }

    function label(root) {
        const inputs = root.querySelectorAll('th.dash-filter input:not([aria-label])');
        const arrows = root.querySelectorAll('.column-header--sort:not([tabindex])');
        if (!inputs.length && !arrows.length) { return; }
        const lang = language();
        inputs.forEach(function (input) {
            const name = columnName(input);
            if (name) { input.setAttribute('aria-label', (WORDS[lang] || WORDS.vi) + ' ' + name); }
        });
        arrows.forEach(function (arrow) {
            const cell = arrow.closest('th');
            const name = cell ? cell.innerText.trim() : '';
            arrow.setAttribute('tabindex', '0');
            arrow.setAttribute('role', 'button');
            arrow.setAttribute('aria-label', (SORT[lang] || SORT.vi) + ' ' + name);
        });
    }

    document.addEventListener('keydown', function (event) {
        const arrow = event.target.closest && event.target.closest('.column-header--sort');
        if (arrow && (event.key === 'Enter' || event.key === ' ')) {
            event.preventDefault();
            arrow.click();
        }
    });

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
