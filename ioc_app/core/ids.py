"""Every component id of the application, defined once.

Pages import their ids from here; a test checks that every callback id exists in a layout.
"""

from __future__ import annotations

# Shell
URL = "url"
SHELL = "shell"
MAIN = "main-content"
NAV = "main-nav"
LANG_LINK = "lang-link"
THEME_LINK = "theme-link"
PAGE_CONTENT = "page-content"
PAGE_TITLE = "page-title"
PAGE_RENDERED = "page-rendered"  # the URL whose page the layout request already rendered

# /about/data
ABOUT_SOURCES_TABLE = "about-sources-table"
ABOUT_DOWNLOAD = "about-download"
ABOUT_DOWNLOAD_XLSX = "about-download-xlsx"
ABOUT_DOWNLOAD_BUTTON = "about-download-button"

# / control room (also the wall screen: /?kiosk=1&rotate=30)
CR_ROOT = "cr-root"
CR_SUBTITLE = "cr-subtitle"
CR_YEAR = "cr-year"
CR_KPI = "cr-kpi"
CR_METHOD = "cr-method"
CR_CLASSES = "cr-classes"
CR_GEO = "cr-geo"
CR_TILES = "cr-tiles"
CR_MAP = "cr-map"
CR_UNITS_LAYER = "cr-units-layer"
CR_SCHOOLS_LAYER = "cr-schools-layer"
CR_LEGEND = "cr-legend"
CR_HOVER = "cr-hover"
CR_RANKING = "cr-ranking"
CR_EXPORT_CSV = "cr-export-csv"
CR_EXPORT_XLSX = "cr-export-xlsx"
CR_DOWNLOAD = "cr-download"
CR_ALERTS_CSV = "cr-alerts-csv"
CR_ALERTS_XLSX = "cr-alerts-xlsx"
CR_ALERTS_DOWNLOAD = "cr-alerts-download"
CR_ALERTS = "cr-alerts"
CR_FRESHNESS = "cr-freshness"
CR_REFRESH = "cr-refresh"
CR_ROTATE = "cr-rotate"
CR_VIEWS = "cr-views"
CR_SIGNATURE = "cr-signature"
CR_UPDATED = "cr-updated"

# /domains and /domains/<slug>
DOM_INDEX = "dom-index"
DOM_SLUG = "dom-slug"
DOM_HEADER = "dom-header"
DOM_YEAR = "dom-year"
DOM_GEO = "dom-geo"
DOM_AREA = "dom-area"
DOM_LEVEL = "dom-level"
DOM_OWNERSHIP = "dom-ownership"
DOM_INDICATOR = "dom-indicator"
DOM_SERIES = "dom-series"
DOM_TABLE = "dom-table"
DOM_QUALITY = "dom-quality"
DOM_EXPORT_CSV = "dom-export-csv"
DOM_EXPORT_XLSX = "dom-export-xlsx"
DOM_DOWNLOAD = "dom-download"
DOM_QUALITY_CSV = "dom-quality-csv"
DOM_QUALITY_XLSX = "dom-quality-xlsx"
DOM_QUALITY_DOWNLOAD = "dom-quality-download"

# /dx (DX index of schools, Decision 4725)
DX_HEADER = "dx-header"
DX_YEAR = "dx-year"
DX_GEO = "dx-geo"
DX_AREA = "dx-area"
DX_LEVEL = "dx-level"
DX_OWNERSHIP = "dx-ownership"
DX_SUMMARY = "dx-summary"
DX_LEVELS = "dx-levels"
DX_FUNNEL = "dx-funnel"
DX_GROUPS = "dx-groups"
DX_TREND = "dx-trend"
DX_RANKING = "dx-ranking"
DX_SCHOOLS = "dx-schools"
DX_CRITERIA = "dx-criteria"
DX_EXPORT_CSV = "dx-export-csv"
DX_EXPORT_XLSX = "dx-export-xlsx"
DX_DOWNLOAD = "dx-download"
DX_CLOSEST = "dx-closest"

# /plan (quarterly progress of plan 723)
PLAN_PARAMS = "plan-params"
PLAN_QUARTER = "plan-quarter"
PLAN_UNIT = "plan-unit"
PLAN_STATUS = "plan-status"
PLAN_KIND = "plan-kind"
PLAN_NOTE = "plan-note"
PLAN_TILES = "plan-tiles"
PLAN_CHART = "plan-chart"
PLAN_TABLE = "plan-table"
PLAN_PUNCTUALITY = "plan-punctuality"
PLAN_EXPORT_CSV = "plan-export-csv"
PLAN_EXPORT_XLSX = "plan-export-xlsx"
PLAN_DOWNLOAD = "plan-download"
PLAN_REPORTS_NOTE = "plan-reports-note"
PLAN_BY_KIND = "plan-by-kind"
PLAN_WARDS = "plan-wards"
PLAN_WARDS_CSV = "plan-wards-csv"
PLAN_WARDS_XLSX = "plan-wards-xlsx"
PLAN_WARDS_DOWNLOAD = "plan-wards-download"
PLAN_THEMES = "plan-themes"
PLAN_WORKBOOK = "plan-workbook"
PLAN_WORKBOOK_DOWNLOAD = "plan-workbook-download"

# /ward/<code>
WARD_CODE = "ward-code"
WARD_YEAR = "ward-year"
WARD_HEADER = "ward-header"
WARD_KPIS = "ward-kpis"
WARD_MAP = "ward-map"
WARD_SCHOOLS_LAYER = "ward-schools-layer"
WARD_TRENDS = "ward-trends"
WARD_SCHOOLS = "ward-schools"
WARD_EXPORT = "ward-export"
WARD_EXPORT_XLSX = "ward-export-xlsx"
WARD_DOWNLOAD = "ward-download"

# /school/<id>
SCHOOL_ID = "school-id"
SCHOOL_HEADER = "school-header"
SCHOOL_FIGURES = "school-figures"
SCHOOL_TRENDS = "school-trends"
SCHOOL_EXPORT = "school-export"
SCHOOL_EXPORT_XLSX = "school-export-xlsx"
SCHOOL_DOWNLOAD = "school-download"
SCHOOL_DX_PLAN = "school-dx-plan"

# /map (public school map)
MAP_ROOT = "map-root"
MAP_QUERY = "map-query"
MAP_QUERY_SENT = "map-query-sent"  # the query after the typing pause: what the server searches
MAP_KIND = "map-kind"
MAP_LEVEL = "map-level"
MAP_OWNERSHIP = "map-ownership"
MAP_WARD = "map-ward"
MAP_DISTRICT = "map-district"
MAP_CLEAR = "map-clear"
MAP_COUNT = "map-count"
MAP_RESULTS = "map-results"
MAP_MATCHES = "map-matches"
MAP_SELECTED = "map-selected"
MAP_DETAILS = "map-details"
MAP_DETAILS_CLOSE = "map-details-close"
MAP_DETAILS_PANEL = "map-details-panel"
MAP_MAP = "map-map"
MAP_TILES = "map-tiles"
MAP_POINTS = "map-points"
MAP_WARDS = "map-wards"
MAP_HIGHLIGHT = "map-highlight"
MAP_ORIGIN = "map-origin"
MAP_ORIGIN_LAYER = "map-origin-layer"
MAP_LOCATE = "map-locate"
MAP_LOCATE_STATUS = "map-locate-status"
MAP_NEAREST_KIND = "map-nearest-kind"
MAP_NEAREST_N = "map-nearest-n"
MAP_RADIUS = "map-radius"
MAP_NEAREST = "map-nearest"
MAP_VIEW = "map-view"
MAP_EXPORT_CSV = "map-export-csv"
MAP_EXPORT_XLSX = "map-export-xlsx"
MAP_DOWNLOAD = "map-download"
MAP_RESULT = "map-result"
MAP_NEAREST_ITEM = "map-nearest-item"


def map_result(institution_id: int | object) -> dict[str, object]:
    """Id of one search result button (``dash.ALL`` as the id matches them all)."""
    return {"type": MAP_RESULT, "id": institution_id}


def map_nearest_item(institution_id: int | object) -> dict[str, object]:
    """Id of one nearest-institution button."""
    return {"type": MAP_NEAREST_ITEM, "id": institution_id}


WARD_UNIT_LAYER = "ward-unit-layer"


# /forecast (planners: enrolment forecast, backtest, seat gaps, scenarios)
FC_ROOT = "fc-root"
FC_AREA = "fc-area"
FC_LEVEL = "fc-level"
FC_HORIZON = "fc-horizon"
FC_MIGRATION = "fc-migration"
FC_NORM = "fc-norm"
FC_ADDED = "fc-added"
FC_ADDED_YEAR = "fc-added-year"
FC_STATUS = "fc-status"
FC_CHART = "fc-chart"
FC_SUMMARY = "fc-summary"
FC_NOTES = "fc-notes"
FC_ACCURACY = "fc-accuracy"
FC_GSO = "fc-gso"
FC_MAP_TITLE = "fc-map-title"
FC_MAP = "fc-map"
FC_WARDS_LAYER = "fc-wards-layer"
FC_HOVER = "fc-hover"
FC_LEGEND = "fc-legend"
FC_WORST = "fc-worst"
FC_WORST_ITEM = "fc-worst-item"
FC_EXPORT_CSV = "fc-export-csv"
FC_EXPORT_XLSX = "fc-export-xlsx"
FC_GAPS_CSV = "fc-gaps-csv"
FC_GAPS_XLSX = "fc-gaps-xlsx"
FC_DOWNLOAD = "fc-download"


def fc_worst_item(area_code: str | object) -> dict[str, object]:
    """Id of one ward button in the forecast page's list of largest shortages."""
    return {"type": FC_WORST_ITEM, "id": area_code}


# /report — a unit's or a school's quarterly report (Phụ lục II)
REP_PARAMS = "rep-params"
REP_QUARTER = "rep-quarter"
REP_UNIT = "rep-unit"
REP_DEADLINE = "rep-deadline"
REP_STATE = "rep-state"
REP_FORM = "rep-form"
REP_ACTIONS = "rep-actions"
REP_SAVE = "rep-save"
REP_SUBMIT = "rep-submit"
REP_MESSAGE = "rep-message"
REP_REFRESH = "rep-refresh"
REP_ADHOC = "rep-adhoc"
REP_ADHOC_NAME = "rep-adhoc-name"
REP_ADHOC_DUE = "rep-adhoc-due"
REP_ADHOC_ADD = "rep-adhoc-add"
REP_HISTORY = "rep-history"
REP_RETURN_BOX = "rep-return-box"
REP_RETURN_COMMENT = "rep-return-comment"
REP_RETURN = "rep-return"
#: Pattern-matching ids of one task's fields in the report form (``rep_field``).
REP_FIELD = "rep-field"


def rep_field(field: str, key: str) -> dict[str, str]:
    """Id of one field (status, progress, done, next, difficulties, recommendations) of the
    task ``key`` in the report form."""
    return {"type": REP_FIELD, "field": field, "key": key}
