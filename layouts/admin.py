"""/admin: accounts, API tokens, the audit log and ingestion batches (administrators only).

Pure: the tables and the choices of the forms are filled by ``callbacks/admin*.py``.
"""

from __future__ import annotations

from typing import Any

from dash import dash_table, dcc, html

from data_access.models import ROLES
from ioc_app.core import ids
from ioc_app.core.guard import Access
from ioc_app.core.i18n import add_texts, current_language, t
from layouts.common import page_header
from layouts.grid import FONT

AUDIT_PAGE_SIZE = 50
#: Who may open /admin and trigger every one of its callbacks.
ADMIN_ONLY = Access.of("admin")

add_texts(
    {
        "adm.title": ("Quản trị", "Administration"),
        "adm.subtitle": (
            "Tài khoản, mã truy cập API, nhật ký kiểm tra và các đợt nạp dữ liệu. Mọi thay đổi "
            "đều được ghi nhật ký.",
            "Accounts, API tokens, the audit log and ingestion batches. Every change is audited.",
        ),
        "adm.users": ("Tài khoản", "Accounts"),
        "adm.users.help": (
            "Nhập tên đăng nhập rồi chọn thao tác. Tạo mới hoặc đặt lại mật khẩu cho một mật "
            "khẩu dùng một lần, chỉ hiện một lần; người dùng phải đổi ở lần đăng nhập đầu. "
            "Khoá tài khoản hoặc đặt lại mật khẩu kết thúc ngay mọi phiên của người đó.",
            "Type a username, then choose an action. Creating or resetting gives a one-time "
            "password, shown once; the user must change it at the first sign-in. Disabling "
            "or resetting ends every session of that user at once.",
        ),
        "adm.username": ("Tên đăng nhập", "Username"),
        "adm.role": ("Vai trò", "Role"),
        "adm.units": ("Đơn vị (phòng)", "Units (departments)"),
        "adm.institution": ("Mã cơ sở (tài khoản trường)", "Institution id (school accounts)"),
        "adm.create": ("Tạo tài khoản", "Create account"),
        "adm.save": ("Lưu vai trò, đơn vị, cơ sở", "Save role, units, institution"),
        "adm.disable": ("Khoá tài khoản", "Disable"),
        "adm.reset": ("Đặt lại mật khẩu", "Reset password"),
        "adm.unlock": ("Mở khoá đăng nhập", "Unlock sign-in"),
        "adm.tokens": ("Mã truy cập API", "API tokens"),
        "adm.tokens.help": (
            "Mã chỉ hiện một lần. Không chọn lĩnh vực hoặc phường: như quyền của người dùng. "
            "Mã không bao giờ rộng hơn quyền của người dùng.",
            "A token is shown once. No domain or ward chosen: as the user's rights. A token "
            "is never wider than its user.",
        ),
        "adm.token.user": ("Người dùng", "User"),
        "adm.token.label": ("Tên mã (hệ thống dùng)", "Label (the system using it)"),
        "adm.token.domains": ("Lĩnh vực dữ liệu", "Data domains"),
        "adm.token.wards": ("Phường, xã (2025)", "Wards (2025)"),
        "adm.token.write": ("Được gửi báo cáo quý", "May write quarterly reports"),
        "adm.token.expires": ("Hết hạn (từ 0 giờ UTC ngày)", "Expires (from 00:00 UTC of)"),
        "adm.token.create": ("Tạo mã", "Create token"),
        "adm.token.id": ("Số mã", "Token id"),
        "adm.token.revoke": ("Thu hồi", "Revoke"),
        "adm.audit": ("Nhật ký kiểm tra", "Audit log"),
        "adm.audit.help": (
            "Thời gian theo UTC. Xuất CSV gồm mọi dòng khớp bộ lọc và cũng được ghi nhật ký.",
            "Times in UTC. The CSV export holds every matching row and is audited too.",
        ),
        "adm.audit.user": ("Người dùng", "User"),
        "adm.audit.action": ("Thao tác", "Action"),
        "adm.audit.target": ("Đối tượng chứa", "Target contains"),
        "adm.audit.range": ("Khoảng ngày", "Date range"),
        "adm.audit.export": ("Xuất CSV", "Export CSV"),
        "adm.batches": ("Các đợt nạp dữ liệu", "Ingestion batches"),
    }
)


def _field(label_key: str, control: Any, control_id: str, lang: str) -> Any:
    return html.Div(
        [html.Label(t(label_key, lang), htmlFor=control_id), control], className="adm-field"
    )


def _button(label_key: str, button_id: str, lang: str, primary: bool = False) -> Any:
    return html.Button(
        t(label_key, lang),
        id=button_id,
        type="button",
        className="button button-primary" if primary else "button",
    )


def users_section(lang: str) -> Any:
    """The accounts table and the form acting on one username."""
    return html.Section(
        [
            html.H2(t("adm.users", lang)),
            html.P(t("adm.users.help", lang), className="muted"),
            html.Div(
                [
                    _field(
                        "adm.username",
                        dcc.Input(id=ids.ADM_USER_NAME, type="text", autoComplete="off"),
                        ids.ADM_USER_NAME,
                        lang,
                    ),
                    _field(
                        "adm.role",
                        dcc.Dropdown(
                            id=ids.ADM_USER_ROLE,
                            options=[{"label": r, "value": r} for r in ROLES],
                            value="leadership",
                            clearable=False,
                        ),
                        ids.ADM_USER_ROLE,
                        lang,
                    ),
                    _field(
                        "adm.units",
                        dcc.Dropdown(id=ids.ADM_USER_UNITS, options=[], multi=True),
                        ids.ADM_USER_UNITS,
                        lang,
                    ),
                    _field(
                        "adm.institution",
                        dcc.Input(id=ids.ADM_USER_INSTITUTION, type="number", min=1, step=1),
                        ids.ADM_USER_INSTITUTION,
                        lang,
                    ),
                ],
                className="adm-form",
            ),
            html.Div(
                [
                    _button("adm.create", ids.ADM_USER_CREATE, lang, primary=True),
                    _button("adm.save", ids.ADM_USER_SAVE, lang),
                    _button("adm.reset", ids.ADM_USER_RESET, lang),
                    _button("adm.unlock", ids.ADM_USER_UNLOCK, lang),
                    _button("adm.disable", ids.ADM_USER_DISABLE, lang),
                ],
                className="dom-actions",
                role="group",
            ),
            html.Div(id=ids.ADM_USER_MESSAGE, role="status", **{"aria-live": "polite"}),
            dcc.Loading(html.Div(id=ids.ADM_USERS, className="table-wrap")),
        ],
        className="adm-section",
    )


def tokens_section(lang: str) -> Any:
    """The API tokens table, the form creating a scoped token and revocation by id."""
    return html.Section(
        [
            html.H2(t("adm.tokens", lang)),
            html.P(t("adm.tokens.help", lang), className="muted"),
            html.Div(
                [
                    _field(
                        "adm.token.user",
                        dcc.Input(id=ids.ADM_TOKEN_USER, type="text", autoComplete="off"),
                        ids.ADM_TOKEN_USER,
                        lang,
                    ),
                    _field(
                        "adm.token.label",
                        dcc.Input(id=ids.ADM_TOKEN_LABEL, type="text", maxLength=80),
                        ids.ADM_TOKEN_LABEL,
                        lang,
                    ),
                    _field(
                        "adm.token.domains",
                        dcc.Dropdown(id=ids.ADM_TOKEN_DOMAINS, options=[], multi=True),
                        ids.ADM_TOKEN_DOMAINS,
                        lang,
                    ),
                    _field(
                        "adm.token.wards",
                        dcc.Dropdown(id=ids.ADM_TOKEN_WARDS, options=[], multi=True),
                        ids.ADM_TOKEN_WARDS,
                        lang,
                    ),
                    _field(
                        "adm.token.expires",
                        dcc.DatePickerSingle(id=ids.ADM_TOKEN_EXPIRES, display_format="YYYY-MM-DD"),
                        ids.ADM_TOKEN_EXPIRES,
                        lang,
                    ),
                    dcc.Checklist(
                        id=ids.ADM_TOKEN_WRITE,
                        options=[{"label": t("adm.token.write", lang), "value": "write"}],
                        value=[],
                    ),
                ],
                className="adm-form",
            ),
            html.Div(
                [
                    _button("adm.token.create", ids.ADM_TOKEN_CREATE, lang, primary=True),
                    _field(
                        "adm.token.id",
                        dcc.Input(id=ids.ADM_TOKEN_ID, type="number", min=1, step=1),
                        ids.ADM_TOKEN_ID,
                        lang,
                    ),
                    _button("adm.token.revoke", ids.ADM_TOKEN_REVOKE, lang),
                ],
                className="dom-actions",
                role="group",
            ),
            html.Div(id=ids.ADM_TOKEN_MESSAGE, role="status", **{"aria-live": "polite"}),
            dcc.Loading(html.Div(id=ids.ADM_TOKENS, className="table-wrap")),
        ],
        className="adm-section",
    )


def audit_section(lang: str) -> Any:
    """The audit log: filters, a table paged on the server, CSV export."""
    return html.Section(
        [
            html.H2(t("adm.audit", lang)),
            html.P(t("adm.audit.help", lang), className="muted"),
            html.Div(
                [
                    _field(
                        "adm.audit.user",
                        dcc.Input(id=ids.ADM_AUDIT_USER, type="text", debounce=True),
                        ids.ADM_AUDIT_USER,
                        lang,
                    ),
                    _field(
                        "adm.audit.action",
                        dcc.Dropdown(id=ids.ADM_AUDIT_ACTION, options=[]),
                        ids.ADM_AUDIT_ACTION,
                        lang,
                    ),
                    _field(
                        "adm.audit.target",
                        dcc.Input(id=ids.ADM_AUDIT_TARGET, type="text", debounce=True),
                        ids.ADM_AUDIT_TARGET,
                        lang,
                    ),
                    _field(
                        "adm.audit.range",
                        dcc.DatePickerRange(id=ids.ADM_AUDIT_RANGE, display_format="YYYY-MM-DD"),
                        ids.ADM_AUDIT_RANGE,
                        lang,
                    ),
                ],
                className="adm-form",
            ),
            html.Div(
                [_button("adm.audit.export", ids.ADM_AUDIT_EXPORT, lang)],
                className="dom-actions",
            ),
            dcc.Download(id=ids.ADM_AUDIT_DOWNLOAD),
            html.P(id=ids.ADM_AUDIT_COUNT, className="muted", role="status"),
            dash_table.DataTable(
                id=ids.ADM_AUDIT_TABLE,
                columns=[
                    {"name": c, "id": c}
                    for c in ("at", "username", "role", "action", "target", "detail", "ip")
                ],
                data=[],
                page_action="custom",
                page_current=0,
                page_size=AUDIT_PAGE_SIZE,
                page_count=1,
                style_table={"overflowX": "auto"},
                style_cell={
                    "textAlign": "left",
                    "fontFamily": FONT,
                    "fontSize": "14px",
                    "maxWidth": "320px",
                    "whiteSpace": "normal",
                    "backgroundColor": "var(--surface)",
                    "color": "var(--text)",
                },
                cell_selectable=False,
            ),
        ],
        className="adm-section",
    )


def layout(**_params: Any) -> Any:
    """The page: accounts, tokens, audit log, ingestion batches."""
    lang = current_language()
    return html.Div(
        [
            page_header(t("adm.title", lang), t("adm.subtitle", lang)),
            dcc.Store(id=ids.ADM_REFRESH, data=0),
            users_section(lang),
            tokens_section(lang),
            audit_section(lang),
            html.Section(
                [
                    html.H2(t("adm.batches", lang)),
                    dcc.Loading(html.Div(id=ids.ADM_BATCHES, className="table-wrap")),
                ],
                className="adm-section",
            ),
        ],
        className="adm-page",
    )
