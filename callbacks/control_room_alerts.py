"""The control room's alerts in words: why each one fires and the page that acts on it."""

from __future__ import annotations

from typing import Any

import layouts.control_room_texts  # noqa: F401  (registers the cr.alert.* texts)
from callbacks.plan import plan_link
from data_access.reference.plan import unit_tokens
from ioc_app.core.fmt import fmt_number, school_year_label
from ioc_app.core.i18n import pick, t
from ioc_app.core.vocabulary import LEVEL_NAMES


def _unit_link(
    alert: dict[str, Any], ref: dict[str, Any], year: int, lang: str
) -> tuple[str, str | None]:
    units = ref["units"]
    if alert["subject"] not in units.index:
        return alert["subject"], None
    row = units.loc[alert["subject"]]
    return pick(row["name"], row["name_en"], lang), f"/ward/{row['code']}?year={year}"


def word_alert(
    alert: dict[str, Any], ref: dict[str, Any], tasks: dict[str, Any], year: int, lang: str
) -> dict[str, Any]:
    """An alert as the page shows it: subject, link and the reason in words."""
    rule, detail = alert["rule"], alert["detail"]
    value, threshold = alert["value"], alert["threshold"]
    subject, href = alert["subject"], None
    if rule in ("class_size", "teacher_shortage"):
        subject, href = _unit_link(alert, ref, year, lang)
    if rule == "class_size":
        level = pick(*LEVEL_NAMES.get(detail["level"], (detail["level"],) * 2), lang)
        why = t("cr.alert.class_size", lang).format(
            level=level if level.isupper() else level.lower(),
            value=fmt_number(value, "ratio", lang),
            threshold=fmt_number(threshold, "count", lang),
        )
    elif rule == "teacher_shortage":
        why = t("cr.alert.teacher_shortage", lang).format(
            value=fmt_number(value, "count", lang),
            threshold=fmt_number(threshold, "ratio", lang),
            missing=fmt_number(detail["missing"], "count", lang),
        )
    elif rule == "overdue_task":
        title = tasks.get(subject, {})
        name = pick(title.get("title_vi") or "", title.get("title_en"), lang)
        subject = f"{detail['code']} — {name[:90]}{'…' if len(name) > 90 else ''}"
        # The plan page's running quarter is judged today, as this alert is.
        href = plan_link(
            status="late", kind=detail["kind"], unit=",".join(unit_tokens(title.get("lead_units")))
        )
        percent = detail.get("percent")
        why = t("cr.alert.overdue_task", lang).format(
            value=fmt_number(value, "count", lang),
            due=detail["due"],
            percent="—" if percent is None else fmt_number(percent, "percent", lang),
        )
    elif rule == "late_report":
        names = ref["plan_units"].get(subject)
        href = plan_link(quarter=detail["quarter"], unit=subject)
        subject = pick(*names, lang) if names else subject
        key = "cr.alert.late_report_missing" if detail["missing"] else "cr.alert.late_report"
        why = t(key, lang).format(quarter=detail["quarter"], value=fmt_number(value, "count", lang))
    else:  # domain rules
        domains = ref["domains"].set_index("slug")
        if subject in domains.index:
            row = domains.loc[subject]
            href = f"/domains/{subject}" + (f"?year={year}" if rule == "not_reported" else "")
            subject = pick(row["name_vi"], row["name_en"], lang)
        if rule == "not_reported":
            why = t("cr.alert.not_reported", lang).format(
                value=fmt_number(value, "count", lang),
                threshold=fmt_number(threshold),
                year=school_year_label(detail["school_year"]),
            )
        elif value < 0:
            why = t("cr.alert.stale_never", lang)
        else:
            why = t("cr.alert.stale_data", lang).format(
                value=fmt_number(value, "count", lang),
                threshold=fmt_number(threshold, "count", lang),
            )
    if detail.get("estimate"):
        why += f" ({t('cr.estimate', lang)})"
    return {
        "rule": rule,
        "severity": alert["severity"],
        "subject": subject,
        "href": href,
        "why": why,
    }
