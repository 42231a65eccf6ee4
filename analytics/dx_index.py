"""The national DX index of schools (Decision 4725/QĐ-BGDĐT): levels, status funnel, group
scores, trends and rankings by area, computed from plain frames.

What the decision says and what is assumed (see data/reference/dx_index/README.md):

- Two groups of criteria, each scored out of 100: group 1 teaching and learning
  ("Chuyển đổi số trong hoạt động dạy, học"), group 2 school management ("… quản trị cơ sở
  giáo dục").
- Three levels per group: 1 "chưa đáp ứng" (< 50), 2 "đáp ứng cơ bản" (50–75),
  3 "đáp ứng tốt" (> 75). There is no level below 1: a school that does not meet the basic
  requirements is at level 1.
- The overall level of a school whose groups fall in different bands is not stated; the
  lower of the two is the cautious reading (:func:`overall_level`).
- The yearly cycle: self-assessment with evidence → review by the Department (approve or
  return) → publication. Schools that must assess: general-education schools other than
  preschools, and continuing-education centres.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVELS = (1, 2, 3)
GROUPS = (1, 2)
#: Funnel stages, in order; a school's stage is the last one it reached.
STAGES = ("expected", "self_assessed", "reviewed", "published")
#: Assessment status → index in :data:`STAGES` (``returned``: reviewed, sent back).
STATUS_STAGE = {
    "draft": 0,
    "submitted": 1,
    "self_assessed": 1,
    "returned": 2,
    "reviewed": 2,
    "published": 3,
}
NOT_ASSESSED = -1
ELIGIBLE_KINDS = ("school", "continuing_education")
SCHOOL_COLUMNS = [
    "school_year",
    "institution_id",
    "name",
    "kind",
    "edu_level",
    "ownership",
    "ward_id",
    "old_ward_id",
    "expected",
    "assessment_id",
    "status",
    "stage",
    "self_group1",
    "self_group2",
    "reviewed_group1",
    "reviewed_group2",
    "mandatory_met",
    "level",
    "published_on",
    "generated",
]


def band(total: np.ndarray | pd.Series | float) -> np.ndarray:
    """The level of group totals on the 0–100 scale: < 50 → 1, 50–75 → 2, > 75 → 3."""
    values = np.asarray(total, dtype=float)
    return np.where(values < 50, 1, np.where(values <= 75, 2, 3))


def overall_level(
    group1: np.ndarray | pd.Series | float, group2: np.ndarray | pd.Series | float
) -> np.ndarray:
    """A school's level from its two group totals: the lower of the two bands."""
    return np.minimum(band(group1), band(group2))


def stage(assessments: pd.DataFrame) -> pd.Series:
    """The funnel stage reached by each assessment (index in :data:`STAGES`).

    The status decides; an unknown status is judged from what the row holds (a published
    level, reviewed scores, a submission date).
    """
    known = assessments["status"].map(STATUS_STAGE)
    published = assessments["level"].notna() & assessments["published_on"].notna()
    reviewed = assessments["reviewed_group1"].notna() | assessments["reviewed_group2"].notna()
    fallback = np.where(
        published, 3, np.where(reviewed, 2, np.where(assessments["submitted_on"].notna(), 1, 0))
    )
    return known.fillna(pd.Series(fallback, index=assessments.index)).astype(int)


def expected(institutions: pd.DataFrame, year: int) -> pd.Series:
    """Whether each institution must assess itself in school ``year``: an eligible kind (not
    a preschool), opened by then and not closed."""
    kind = institutions["kind"].isin(ELIGIBLE_KINDS) & ~(
        (institutions["kind"] == "school") & (institutions["level"] == "preschool")
    )
    opened = institutions["opened_year"].isna() | (institutions["opened_year"] <= year)
    still = institutions["closed_year"].isna() | (institutions["closed_year"] > year)
    return kind & opened & still


def school_table(
    institutions: pd.DataFrame, assessments: pd.DataFrame, years: list[int]
) -> pd.DataFrame:
    """One row per school and school year: the schools that had to assess, and any other
    school that did, with its assessment (if any) and funnel stage.

    Parameters
    ----------
    institutions
        Columns ``id, name, kind, level, ownership, ward_id, old_ward_id, opened_year,
        closed_year``.
    assessments
        As :func:`data_access.queries.dx.assessments` returns them.
    years
        The school years wanted.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`SCHOOL_COLUMNS`; ``edu_level`` is the school's level of education,
        ``level`` its published DX level (``Int64``), ``stage`` :data:`NOT_ASSESSED` (−1)
        when it sent no assessment. Ordered by year and school name.
    """
    keep = ["id", "name", "kind", "level", "ownership", "ward_id", "old_ward_id"]
    registry = institutions[keep].rename(columns={"id": "institution_id", "level": "edu_level"})
    parts = []
    for year in years:
        sent = assessments[assessments["school_year"] == year].rename(
            columns={"id": "assessment_id"}
        )
        # Two criteria sets in one year: the later assessment is the school's.
        sent = sent.sort_values("assessment_id").drop_duplicates("institution_id", keep="last")
        must = registry[expected(institutions, year).to_numpy()]
        ids = set(must["institution_id"]) | set(sent["institution_id"])
        rows = registry[registry["institution_id"].isin(ids)].assign(school_year=year)
        rows["expected"] = rows["institution_id"].isin(set(must["institution_id"]))
        rows = rows.merge(sent.drop(columns=["school_year"]), on="institution_id", how="left")
        rows["stage"] = NOT_ASSESSED
        has = rows["assessment_id"].notna()
        if has.any():
            rows.loc[has, "stage"] = stage(rows[has]).to_numpy()
        parts.append(rows)
    if not parts:
        return pd.DataFrame(columns=SCHOOL_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["level"] = table["level"].astype("Int64")
    table["stage"] = table["stage"].astype(int)
    table["generated"] = table["generated"].astype("boolean").fillna(False).astype(bool)
    return table[SCHOOL_COLUMNS].sort_values(
        ["school_year", "name", "institution_id"], ignore_index=True
    )


def main_old_district(crosswalk: pd.DataFrame, parents: pd.Series) -> pd.Series:
    """2025 ward → the old district that gave it the largest weight (``crosswalk`` has
    ``old_unit_id, new_unit_id, weight``; ``parents`` maps old ward → old district)."""
    if crosswalk.empty:
        return pd.Series(dtype=object)
    rows = crosswalk.assign(district=crosswalk["old_unit_id"].map(parents))
    rows = rows.dropna(subset=["district"])
    weights = rows.groupby(["new_unit_id", "district"])["weight"].sum().reset_index()
    best = weights.sort_values(["new_unit_id", "weight", "district"], ascending=[True, False, True])
    return best.drop_duplicates("new_unit_id").set_index("new_unit_id")["district"]


def areas(schools: pd.DataFrame, geo: str, parents: pd.Series, fallback: pd.Series) -> pd.Series:
    """The area of each school in ``geo``: its 2025 ward, or (``old_district``) the old
    district of its old ward — through ``fallback`` (2025 ward → old district, see
    :func:`main_old_district`) for schools without one."""
    if geo == "ward":
        return schools["ward_id"]
    district = schools["old_ward_id"].map(parents)
    return district.fillna(schools["ward_id"].map(fallback))


def filtered(
    schools: pd.DataFrame, *, edu_level: str = "all", ownership: str = "all", area: str = "all"
) -> pd.DataFrame:
    """The schools matching the filters (``all`` keeps everything; ``area`` needs an
    ``area`` column)."""
    keep = pd.Series(True, index=schools.index)
    if edu_level != "all":
        keep &= schools["edu_level"] == edu_level
    if ownership != "all":
        keep &= schools["ownership"] == ownership
    if area != "all":
        keep &= schools["area"] == area
    return schools[keep]


def level_counts(schools: pd.DataFrame) -> dict[str, int]:
    """How many schools are at each published level (``"1"``, ``"2"``, ``"3"``), assessed
    but not published (``unpublished``) and not assessed (``not_assessed``)."""
    published = schools["level"].notna() & (schools["stage"] == 3)
    counts = {str(level): int((published & (schools["level"] == level)).sum()) for level in LEVELS}
    counts["unpublished"] = int(((schools["stage"] != NOT_ASSESSED) & ~published).sum())
    counts["not_assessed"] = int((schools["stage"] == NOT_ASSESSED).sum())
    return counts


def funnel(schools: pd.DataFrame) -> dict[str, int]:
    """The status funnel: schools expected to assess, and how many reached each later stage
    (self-assessed ⊇ reviewed ⊇ published), with ``returned`` and ``not_submitted``.

    Schools that assessed without being expected count from ``self_assessed`` on.
    """
    reached = schools["stage"]
    out = {"expected": int(schools["expected"].sum())}
    for index, name in enumerate(STAGES[1:], start=1):
        out[name] = int((reached >= index).sum())
    out["returned"] = int((schools["status"] == "returned").sum())
    out["not_submitted"] = int((schools["expected"] & (reached < 1)).sum())
    return out


def group_scores(schools: pd.DataFrame) -> pd.DataFrame:
    """Mean self-assessed and reviewed score of each criteria group (0–100).

    Returns
    -------
    pandas.DataFrame
        Index ``group`` (1, 2); columns ``self, reviewed`` (means over the schools that have
        them, NaN when none) and ``n_self, n_reviewed``.
    """
    rows = []
    for group in GROUPS:
        own, checked = schools[f"self_group{group}"], schools[f"reviewed_group{group}"]
        rows.append(
            {
                "group": group,
                "self": own.mean(),
                "reviewed": checked.mean(),
                "n_self": int(own.notna().sum()),
                "n_reviewed": int(checked.notna().sum()),
            }
        )
    return pd.DataFrame(rows).set_index("group").astype({"self": float, "reviewed": float})


def trend(schools: pd.DataFrame) -> pd.DataFrame:
    """Per school year: schools expected, published assessments, the count and share (0–1)
    of published schools at each level, and schools not assessed.

    Returns
    -------
    pandas.DataFrame
        Columns ``school_year, expected, published, not_assessed, level1, level2, level3,
        share1, share2, share3``; shares are NaN in a year without published levels.
    """
    rows = []
    for year, part in schools.groupby("school_year", sort=True):
        counts = level_counts(part)
        published = sum(counts[str(level)] for level in LEVELS)
        row = {
            "school_year": int(year),
            "expected": int(part["expected"].sum()),
            "published": published,
            "not_assessed": counts["not_assessed"],
        }
        for level in LEVELS:
            row[f"level{level}"] = counts[str(level)]
            row[f"share{level}"] = counts[str(level)] / published if published else np.nan
        rows.append(row)
    columns = [
        "school_year",
        "expected",
        "published",
        "not_assessed",
        *[f"level{v}" for v in LEVELS],
        *[f"share{v}" for v in LEVELS],
    ]
    return pd.DataFrame(rows, columns=columns)


def ranking(schools: pd.DataFrame) -> pd.DataFrame:
    """Areas ranked by the share (0–1) of their published schools at level 2 or 3.

    Returns
    -------
    pandas.DataFrame
        One row per ``area``: ``schools`` (in the table), ``published``, ``level2plus``,
        ``level3``, ``share_level2plus`` (NaN without published schools, ranked last) and
        ``not_assessed`` (expected schools that sent nothing). Ties: more schools at
        level 3 first, then fewer not assessed, then the area id.
    """
    columns = [
        "area",
        "schools",
        "published",
        "level2plus",
        "level3",
        "share_level2plus",
        "not_assessed",
    ]
    if schools.empty:
        return pd.DataFrame(columns=columns)
    published = schools["level"].notna() & (schools["stage"] == 3)
    frame = schools.assign(
        one=1,
        published=published.astype(int),
        level2plus=(published & (schools["level"] >= 2)).astype(int),
        level3=(published & (schools["level"] == 3)).astype(int),
        not_assessed=(schools["expected"] & (schools["stage"] == NOT_ASSESSED)).astype(int),
    )
    out = frame.groupby("area", as_index=False).agg(
        schools=("one", "sum"),
        published=("published", "sum"),
        level2plus=("level2plus", "sum"),
        level3=("level3", "sum"),
        not_assessed=("not_assessed", "sum"),
    )
    out["share_level2plus"] = out["level2plus"] / out["published"].replace(0, np.nan)
    out = out.sort_values(
        ["share_level2plus", "level3", "not_assessed", "area"],
        ascending=[False, False, True, True],
        na_position="last",
        ignore_index=True,
    )
    return out[columns]
