"""Callbacks of /admin (administrators only): accounts and API tokens.

Every callback declares ``ADMIN_ONLY``: the guard refuses anyone else before it runs, and
again inside. The changes themselves (and their audit rows) are in
:mod:`ioc_app.services.accounts`; these functions gather the form and show the result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import Input, Output, State, ctx, html, no_update

from callbacks import admin_audit
from data_access.queries.registry import plan_unit_names, units
from data_access.tokens import list_tokens
from data_access.users import UserError, list_users
from ioc_app.core import audit, ids
from ioc_app.core.callbacks import CallbackRegistry
from ioc_app.core.i18n import add_texts, current_language, pick, t
from ioc_app.core.warehouse import engine
from ioc_app.services import accounts
from ioc_app.services import domains as domain_data
from ioc_app.services.indicators import version
from layouts.admin import ADMIN_ONLY
from layouts.common import notice
from layouts.grid import grid

CALLBACKS = CallbackRegistry(admin_audit.CALLBACKS)

add_texts(
    {
        "adm.msg.created": (
            "Đã tạo {name}. Mật khẩu dùng một lần (chỉ hiện lần này): {password}",
            "Created {name}. One-time password (shown only now): {password}",
        ),
        "adm.msg.reset": (
            "Mật khẩu mới dùng một lần của {name} (chỉ hiện lần này): {password}. Đã kết "
            "thúc mọi phiên.",
            "{name}'s new one-time password (shown only now): {password}. Every session ended.",
        ),
        "adm.msg.disabled": (
            "Đã khoá {name}; đã kết thúc {ended} phiên.",
            "Disabled {name}; {ended} sessions ended.",
        ),
        "adm.msg.saved": ("Đã lưu quyền của {name}.", "Saved {name}'s rights."),
        "adm.msg.unlocked": ("Đã mở khoá đăng nhập {name}.", "Unlocked {name}'s sign-in."),
        "adm.msg.not_locked": ("{name} không bị khoá.", "{name} was not locked."),
        "adm.msg.no_name": ("Nhập tên đăng nhập trước.", "Type a username first."),
        "adm.msg.refused": ("Không thực hiện được: {reason}", "Not done: {reason}"),
        "adm.msg.token": (
            "Đã tạo mã {id} cho {name} ({scope}). Mã (chỉ hiện lần này):",
            "Created token {id} for {name} ({scope}). The token (shown only now):",
        ),
        "adm.msg.revoked": ("Đã thu hồi mã {id} ({label}).", "Revoked token {id} ({label})."),
        "adm.msg.no_token": ("Nhập số mã cần thu hồi.", "Type the id of the token to revoke."),
        "adm.col.username": ("Tên đăng nhập", "Username"),
        "adm.col.role": ("Vai trò", "Role"),
        "adm.col.units": ("Đơn vị", "Units"),
        "adm.col.institution": ("Cơ sở", "Institution"),
        "adm.col.active": ("Hoạt động", "Active"),
        "adm.col.last_login": ("Đăng nhập gần nhất (UTC)", "Last sign-in (UTC)"),
        "adm.col.must_change": ("Phải đổi mật khẩu", "Must change password"),
        "adm.col.id": ("Số", "Id"),
        "adm.col.user": ("Người dùng", "User"),
        "adm.col.label": ("Tên mã", "Label"),
        "adm.col.scope": ("Phạm vi", "Scope"),
        "adm.col.created": ("Tạo lúc (UTC)", "Created (UTC)"),
        "adm.col.state": ("Trạng thái", "State"),
        "adm.yes": ("có", "yes"),
        "adm.no": ("không", "no"),
        "adm.state.active": ("đang dùng", "active"),
        "adm.state.revoked": ("đã thu hồi", "revoked"),
        "adm.state.expired": ("hết hạn", "expired"),
    }
)


def _when(value: Any) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if value else "—"


def _users_grid(lang: str) -> Any:
    yes, no = t("adm.yes", lang), t("adm.no", lang)
    rows = [
        {
            "username": a.username,
            "role": a.role,
            "units": ", ".join(a.units),
            "institution": a.institution_id,
            "active": yes if a.active else no,
            "must_change": yes if a.must_change_password else no,
            "last_login": _when(a.last_login_at),
        }
        for a in list_users(engine())
    ]
    keys = ("username", "role", "units", "institution", "active", "must_change", "last_login")
    columns = [{"name": t(f"adm.col.{k}", lang), "id": k} for k in keys]
    return grid(rows, columns, lang, page_size=25, first_column="username")


def _tokens_grid(lang: str) -> Any:
    def state(token: Any) -> str:
        if token.revoked:
            return t("adm.state.revoked", lang)
        return t("adm.state.expired" if token.expired else "adm.state.active", lang)

    rows = [
        {
            "id": tok.id,
            "user": tok.username,
            "label": tok.name,
            "scope": tok.scope.describe(),
            "created": _when(tok.created_at),
            "state": state(tok),
        }
        for tok in list_tokens(engine())
    ]
    keys = ("id", "user", "label", "scope", "created", "state")
    columns = [{"name": t(f"adm.col.{k}", lang), "id": k} for k in keys]
    return grid(rows, columns, lang, page_size=25)


@CALLBACKS.callback(
    ADMIN_ONLY,
    output={
        "users": Output(ids.ADM_USERS, "children"),
        "tokens": Output(ids.ADM_TOKENS, "children"),
        "units": Output(ids.ADM_USER_UNITS, "options"),
        "domains": Output(ids.ADM_TOKEN_DOMAINS, "options"),
        "wards": Output(ids.ADM_TOKEN_WARDS, "options"),
    },
    inputs={"_": Input(ids.ADM_REFRESH, "data")},
)
def tables(_: Any) -> dict[str, Any]:
    """Page load or a change → the accounts and tokens tables and the forms' choices."""
    lang = current_language()
    audit.record("read", "admin/accounts")
    unit_names = plan_unit_names(engine())
    wards = units(engine(), "ward")
    return {
        "users": _users_grid(lang),
        "tokens": _tokens_grid(lang),
        "units": [
            {"label": f"{code} — {pick(vi, en, lang)}", "value": code}
            for code, (vi, en) in sorted(unit_names.items())
        ],
        "domains": [
            {"label": pick(d["name_vi"], d["name_en"], lang), "value": d["slug"]}
            for d in domain_data.domains(version())
        ],
        "wards": [
            {"label": f"{row.code} — {row.name}", "value": row.code}
            for row in wards.sort_values("name").itertuples()
        ],
    }


def _institution(value: Any) -> int | None:
    """The institution field as an id (the browser sends a number or nothing)."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UserError(f"{value!r} is not an institution id") from None


def _user_action(action: Any, name: str, role: Any, chosen_units: Any, institution: Any) -> str:
    """Do ``action`` on ``name``; the message to show (UserError when refused)."""
    unit_codes = tuple(str(u) for u in (chosen_units or ()))
    role = str(role or "")
    if action == ids.ADM_USER_CREATE:
        account, password = accounts.create_account(
            name, role, unit_codes, _institution(institution)
        )
        return t("adm.msg.created").format(name=account.username, password=password)
    if action == ids.ADM_USER_SAVE:
        accounts.change_account(name, role, unit_codes, _institution(institution))
        return t("adm.msg.saved").format(name=name)
    if action == ids.ADM_USER_DISABLE:
        ended = accounts.disable_account(name)
        return t("adm.msg.disabled").format(name=name, ended=ended)
    if action == ids.ADM_USER_RESET:
        password = accounts.reset_password(name)
        return t("adm.msg.reset").format(name=name, password=password)
    released = accounts.unlock(name)
    return t("adm.msg.unlocked" if released else "adm.msg.not_locked").format(name=name)


@CALLBACKS.callback(
    ADMIN_ONLY,
    output={
        "message": Output(ids.ADM_USER_MESSAGE, "children"),
        "refresh": Output(ids.ADM_REFRESH, "data", allow_duplicate=True),
    },
    inputs={
        "create": Input(ids.ADM_USER_CREATE, "n_clicks"),
        "save": Input(ids.ADM_USER_SAVE, "n_clicks"),
        "disable": Input(ids.ADM_USER_DISABLE, "n_clicks"),
        "reset": Input(ids.ADM_USER_RESET, "n_clicks"),
        "unlock": Input(ids.ADM_USER_UNLOCK, "n_clicks"),
    },
    state={
        "name": State(ids.ADM_USER_NAME, "value"),
        "role": State(ids.ADM_USER_ROLE, "value"),
        "chosen_units": State(ids.ADM_USER_UNITS, "value"),
        "institution": State(ids.ADM_USER_INSTITUTION, "value"),
        "refresh": State(ids.ADM_REFRESH, "data"),
    },
    prevent_initial_call=True,
)
def change_user(
    create: Any,
    save: Any,
    disable: Any,
    reset: Any,
    unlock: Any,
    name: Any,
    role: Any,
    chosen_units: Any,
    institution: Any,
    refresh: Any,
) -> dict[str, Any]:
    """An account button → the change done (audited) and its message; tables reloaded."""
    action = ctx.triggered_id
    if not any((create, save, disable, reset, unlock)) or action is None:
        return {"message": no_update, "refresh": no_update}
    name = str(name or "").strip()
    if not name:
        return {"message": notice(t("adm.msg.no_name"), kind="warning"), "refresh": no_update}
    try:
        text = _user_action(action, name, role, chosen_units, institution)
    except UserError as exc:
        message = t("adm.msg.refused").format(reason=exc)
        return {"message": notice(message, kind="error"), "refresh": no_update}
    return {"message": notice(text), "refresh": int(refresh or 0) + 1}


def _expiry(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise UserError(f"{value!r} is not a date YYYY-MM-DD") from None


@CALLBACKS.callback(
    ADMIN_ONLY,
    output={
        "message": Output(ids.ADM_TOKEN_MESSAGE, "children"),
        "refresh": Output(ids.ADM_REFRESH, "data", allow_duplicate=True),
    },
    inputs={
        "create": Input(ids.ADM_TOKEN_CREATE, "n_clicks"),
        "revoke": Input(ids.ADM_TOKEN_REVOKE, "n_clicks"),
    },
    state={
        "user": State(ids.ADM_TOKEN_USER, "value"),
        "label": State(ids.ADM_TOKEN_LABEL, "value"),
        "domains": State(ids.ADM_TOKEN_DOMAINS, "value"),
        "wards": State(ids.ADM_TOKEN_WARDS, "value"),
        "write": State(ids.ADM_TOKEN_WRITE, "value"),
        "expires": State(ids.ADM_TOKEN_EXPIRES, "date"),
        "token_id": State(ids.ADM_TOKEN_ID, "value"),
        "refresh": State(ids.ADM_REFRESH, "data"),
    },
    prevent_initial_call=True,
)
def change_token(
    create: Any,
    revoke: Any,
    user: Any,
    label: Any,
    domains: Any,
    wards: Any,
    write: Any,
    expires: Any,
    token_id: Any,
    refresh: Any,
) -> dict[str, Any]:
    """Create → a scoped token, shown once; revoke → the token stops working. Audited."""
    if not (create or revoke) or ctx.triggered_id is None:
        return {"message": no_update, "refresh": no_update}
    try:
        if ctx.triggered_id == ids.ADM_TOKEN_REVOKE:
            if token_id in (None, ""):
                warning = notice(t("adm.msg.no_token"), kind="warning")
                return {"message": warning, "refresh": no_update}
            info = accounts.withdraw_token(int(token_id))
            message: Any = notice(t("adm.msg.revoked").format(id=info.id, label=info.name))
        else:
            info, token = accounts.issue_token(
                str(user or "").strip(),
                str(label or ""),
                domains=[str(d) for d in domains or ()],
                wards=[str(w) for w in wards or ()],
                write_reports="write" in (write or ()),
                expires=_expiry(expires),
            )
            head = t("adm.msg.token").format(
                id=info.id, name=info.username, scope=info.scope.describe()
            )
            message = html.Div(
                [html.P(head), html.Code(token, className="adm-secret")],
                className="notice notice-info",
                role="status",
            )
    except (UserError, ValueError) as exc:
        refused = t("adm.msg.refused").format(reason=exc)
        return {"message": notice(refused, kind="error"), "refresh": no_update}
    return {"message": message, "refresh": int(refresh or 0) + 1}


def register(app: Any) -> None:
    """Wire this page's callbacks into ``app``."""
    CALLBACKS.register(app)
