/* Accessibility repairs of what Dash 4's own components render and no prop of theirs reaches
   (tests/browser/test_accessibility.py runs axe-core's WCAG 2 A/AA rules on every page):
   - dcc.Dropdown puts a tabbable input inside aria-hidden in front of its button: the button
     takes the keyboard focus itself and the hidden input leaves the tab order;
   - dcc.RadioItems and dcc.Checklist are a "listbox" of "option" labels, each holding a real
     radio or checkbox (interactive inside interactive): they become a named radiogroup or
     group of native inputs;
   - dcc.Slider's handle and number box, and dcc.Upload's file input, get the name of their
     field (its <label for>, the fieldset's legend or the group's aria-label);
   - DataTable's pager buttons (arrows only) get a name in the page's language;
   - dcc.DatePicker's wrapper carries popup states that a plain box may not have (the input
     inside it is the control);
   - our own HTML tables scroll sideways on a phone (app.css): while one does, it takes the
     keyboard focus, so that the arrow keys can scroll it.
   Each repair sets an attribute only when it differs, so the observer that re-applies them
   after every render never loops. */
(function () {
    'use strict';

    const PAGER = {
        vi: {'first-page': 'Trang đầu', 'previous-page': 'Trang trước',
             'next-page': 'Trang sau', 'last-page': 'Trang cuối'},
        en: {'first-page': 'First page', 'previous-page': 'Previous page',
             'next-page': 'Next page', 'last-page': 'Last page'},
    };

    function set(el, name, value) {
        if (value === null) {
            if (el.hasAttribute(name)) { el.removeAttribute(name); }
        } else if (el.getAttribute(name) !== value) {
            el.setAttribute(name, value);
        }
    }

    // The element naming a component: its <label for>, its fieldset's legend, or its group.
    function nameOf(component) {
        if (component.id) {
            const label = document.querySelector('label[for="' + CSS.escape(component.id) + '"]');
            if (label) { return {element: label}; }
        }
        const legend = component.closest('fieldset') &&
            component.closest('fieldset').querySelector('legend');
        const group = component.closest('[role=group][aria-label]');
        if (group && (!legend || legend.closest('fieldset').contains(group))) {
            return {text: group.getAttribute('aria-label')};
        }
        return legend ? {element: legend} : null;
    }

    function labelWith(el, component) {
        const name = nameOf(component);
        if (!name) { return; }
        if (name.text) {
            set(el, 'aria-label', name.text);
            return;
        }
        if (!name.element.id) {
            name.element.id = (component.id || 'ioc-field') + '-name';
        }
        set(el, 'aria-labelledby', name.element.id);
    }

    function dropdowns(root) {
        root.querySelectorAll('.dash-dropdown-focus-target').forEach(function (target) {
            set(target, 'tabindex', '-1');
            const button = target.nextElementSibling;
            if (button && button.tagName === 'BUTTON' && !button.disabled) {
                set(button, 'tabindex', '0');
            }
        });
    }

    function choices(root) {
        root.querySelectorAll('.dash-radioitems[role=listbox], .dash-checklist[role=listbox], ' +
                              '.dash-radioitems[role=radiogroup], .dash-checklist[role=group]')
            .forEach(function (list) {
                set(list, 'role', list.classList.contains('dash-radioitems') ? 'radiogroup' : 'group');
                labelWith(list, list);
                list.querySelectorAll('.dash-options-list-option').forEach(function (option) {
                    set(option, 'role', null);
                    set(option, 'aria-selected', null);
                });
            });
    }

    function sliders(root) {
        root.querySelectorAll('.dash-slider-container').forEach(function (slider) {
            slider.querySelectorAll('[role=slider], input').forEach(function (el) {
                labelWith(el, slider);
            });
        });
    }

    function uploads(root) {
        root.querySelectorAll('input[type=file]').forEach(function (input) {
            const message = input.parentElement && input.parentElement.querySelector('[id]');
            if (message && message !== input) {
                set(input, 'aria-labelledby', message.id);
            } else {
                labelWith(input, input.parentElement || input);
            }
        });
    }

    function pagers(root) {
        const words = PAGER[document.documentElement.lang] || PAGER.vi;
        root.querySelectorAll('.previous-next-container button').forEach(function (button) {
            const kind = Object.keys(words).find(function (k) {
                return button.classList.contains(k);
            });
            if (kind) { set(button, 'aria-label', words[kind]); }
        });
    }

    function datePickers(root) {
        root.querySelectorAll('.dash-datepicker-input-wrapper').forEach(function (wrapper) {
            ['aria-haspopup', 'aria-expanded', 'aria-disabled'].forEach(function (name) {
                set(wrapper, name, null);
            });
        });
    }

    function scrollingTables(root) {
        root.querySelectorAll('.data-table').forEach(function (table) {
            set(table, 'tabindex', table.scrollWidth > table.clientWidth + 1 ? '0' : null);
        });
    }

    function repair() {
        const fixes = [dropdowns, choices, sliders, uploads, pagers, datePickers, scrollingTables];
        fixes.forEach(function (fix) { fix(document); });
    }

    let pending = false;
    function schedule() {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () {
            pending = false;
            repair();
        });
    }

    function start() {
        new MutationObserver(schedule).observe(document.body, {
            subtree: true, childList: true, attributes: true,
            attributeFilter: ['tabindex', 'role', 'aria-selected', 'aria-expanded'],
        });
        window.addEventListener('resize', schedule);
        repair();
    }

    if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }
}());
