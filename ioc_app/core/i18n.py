"""Vietnamese-first texts of the interface and the current language of a request."""

from __future__ import annotations

from flask import has_request_context, request

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANG_COOKIE = "ioc_lang"
THEME_COOKIE = "ioc_theme"
THEMES = ("light", "dark")

#: key -> (Vietnamese, English)
TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Trung tâm Điều hành Giáo dục TP.HCM", "HCMC Education Operations Centre"),
    "app.short": ("IOC Giáo dục", "Education IOC"),
    "app.description": (
        "Bản đồ công khai mọi cơ sở giáo dục được cấp phép tại TP. Hồ Chí Minh, công lập và"
        " ngoài công lập, cùng trung tâm điều hành của Sở Giáo dục và Đào tạo.",
        "A public map of every licensed education institution in Ho Chi Minh City, public and"
        " non-public, and the operations centre of the Department of Education and Training.",
    ),
    "app.department": (
        "Sở Giáo dục và Đào tạo TP. Hồ Chí Minh",
        "Ho Chi Minh City Department of Education and Training",
    ),
    "nav.label": ("Điều hướng chính", "Main navigation"),
    "nav.skip": ("Bỏ qua, đến nội dung chính", "Skip to main content"),
    "lang.switch": ("English", "Tiếng Việt"),
    "theme.dark": ("Giao diện tối", "Dark theme"),
    "theme.light": ("Giao diện sáng", "Light theme"),
    "auth.signin": ("Đăng nhập", "Sign in"),
    "auth.signout": ("Đăng xuất", "Sign out"),
    "auth.username": ("Tên đăng nhập", "Username"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "auth.throttled": (
        "Đăng nhập sai quá nhiều lần với tên này. Vui lòng thử lại sau {minutes} phút.",
        "Too many failed sign-ins with this name. Please try again in {minutes} min.",
    ),
    "auth.signed_in_as": ("Đang đăng nhập:", "Signed in as"),
    "auth.public_map_hint": (
        "Người dân không cần đăng nhập để tra cứu bản đồ trường học.",
        "Citizens do not need to sign in to search the school map.",
    ),
    "error.403": ("Bạn không có quyền xem trang này.", "You are not allowed to open this page."),
    "error.404": ("Không tìm thấy trang.", "Page not found."),
    "error.back": ("Về trang chủ", "Back to the home page"),
    "data.generated_badge": ("Dữ liệu mô phỏng", "Generated data"),
    "data.generated_note": (
        "Số liệu cấp trường là dữ liệu mô phỏng, hiệu chỉnh theo số liệu thật đã công bố; "
        "không phải số liệu chính thức.",
        "School-level figures are generated, calibrated to published real totals; "
        "they are not official statistics.",
    ),
    "role.leadership": ("Lãnh đạo Sở", "Leadership"),
    "role.planner": ("Quy hoạch", "Planner"),
    "role.department": ("Phòng chuyên môn", "Department"),
    "role.school": ("Cơ sở giáo dục", "Education institution"),
    "role.admin": ("Quản trị", "Administrator"),
    "role.anonymous": ("Khách", "Visitor"),
    "loading": ("Đang tải…", "Loading…"),
    "empty.no_data": ("Chưa có dữ liệu.", "No data yet."),
    "export.csv": ("Tải CSV", "Download CSV"),
    "export.xlsx": ("Tải Excel", "Download Excel"),
    "about.title": ("Nguồn dữ liệu", "Data sources"),
    "about.col.title": ("Nguồn", "Source"),
    "about.col.origin": ("Xuất xứ", "Origin"),
    "about.col.licence": ("Giấy phép", "Licence"),
    "about.col.kind": ("Loại", "Kind"),
    "about.col.rows": ("Số dòng", "Rows"),
    "about.real": ("Thật", "Real"),
    "about.generated": ("Mô phỏng", "Generated"),
    "col.domain": ("Lĩnh vực", "Domain"),
    "col.last_load": ("Lần nạp gần nhất", "Last load"),
    "col.age_days": ("Số ngày", "Age (days)"),
    "col.status": ("Trạng thái", "Status"),
    "status.stale": ("Quá hạn cập nhật", "Out of date"),
    "status.fresh": ("Đúng hạn", "Up to date"),
}


def add_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Register a page's texts (key -> (Vietnamese, English)); a key may be defined once."""
    clashes = [key for key in texts if key in TEXTS and TEXTS[key] != texts[key]]
    if clashes:
        raise KeyError(f"text keys defined twice: {', '.join(clashes)}")
    TEXTS.update(texts)


def current_language() -> str:
    """The language of the current request: ``?lang=``, then the cookie, then Vietnamese."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    lang = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def current_theme() -> str:
    """The colour theme of the current request (cookie), light by default."""
    if not has_request_context():
        return "light"
    theme = request.cookies.get(THEME_COOKIE)
    return theme if theme in THEMES else "light"


def t(key: str, lang: str | None = None) -> str:
    """The text for ``key`` in ``lang`` (default: the current request's language)."""
    vi, en = TEXTS[key]
    return en if (lang or current_language()) == "en" else vi


def pick(vi: str, en: str | None, lang: str | None = None) -> str:
    """Choose between a Vietnamese and an English value (English falls back to Vietnamese
    when it is missing: None, empty, or a table's NaN)."""
    english = (lang or current_language()) == "en" and isinstance(en, str) and en.strip()
    return en if english else vi
