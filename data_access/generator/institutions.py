"""The institution registry of the merged city: counts over time, places, names, licences."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely

from data_access.generator import names as nm
from data_access.generator.kinds import FOREIGN_SHARE, PROGRAMMES, TYPES, licences
from data_access.generator.placement import CON_DAO_KEY, Placer
from data_access.generator.rng import stream
from data_access.generator.targets import COUNT_ANCHORS, REGIONS, YEARS, count_path
from data_access.reference.geography import Geography

#: Weight multiplier of phường when placing centres (they cluster in urban wards).
CENTRE_URBAN_BOOST = 2.5
#: Wards whose schools are overcrowded (class sizes well above the norm), per region.
OVERCROWDED_WARDS = {"79": 6, "74": 2, "77": 1}
OUTPUT_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "grade_from",
    "grade_to",
    "ownership",
    "address",
    "ward_id",
    "old_ward_id",
    "lon",
    "lat",
    "geom",
    "programmes",
    "opened_year",
    "closed_year",
    "licence_no",
    "licence_issued",
    "licence_valid_until",
    "licence_status",
    "generated",
    "source",
)


def simulate_counts(
    rng: np.random.Generator, region: str, type_key: str, fixed_open: dict[int, int] | None = None
) -> pd.DataFrame:
    """Opening and closing years that reproduce the yearly counts of one type.

    Each year a share ``churn`` of open units closes and is replaced; the count then moves
    to the path by opening or closing more. ``fixed_open`` counts real units (opened
    elsewhere) that are part of the path; generated units then only grow.
    """
    kind = TYPES[type_key]
    path = count_path(COUNT_ANCHORS[region][type_key])
    fixed = fixed_open or dict.fromkeys(YEARS, 0)
    opened: list[int] = []
    closed: list[float] = []
    need = max(path[YEARS[0]] - fixed[YEARS[0]], 0)
    opened += list(rng.integers(kind.founded[0], kind.founded[1], need))
    closed += [np.nan] * need
    for year in YEARS[1:]:
        open_idx = [i for i, c in enumerate(closed) if np.isnan(c)]
        target = path[year] - fixed[year]
        if fixed_open is not None:
            target = max(target, len(open_idx))
        churn = int(rng.binomial(len(open_idx), kind.churn)) if open_idx else 0
        closing = churn + max(len(open_idx) - target, 0)
        opening = churn + max(target - len(open_idx), 0)
        for i in rng.choice(open_idx, size=min(closing, len(open_idx)), replace=False):
            closed[int(i)] = year
        opened += [year] * opening
        closed += [np.nan] * opening
    return pd.DataFrame(
        {"type": type_key, "region": region, "opened_year": opened, "closed_year": closed}
    )


def _real_schools(rng: np.random.Generator, schools: pd.DataFrame) -> pd.DataFrame:
    """The real public high schools (names of the cut-off file) as registry rows."""
    founded = rng.integers(1976, 2012, len(schools))
    opened = np.where(schools["first_year"] > YEARS[0], schools["first_year"], founded)
    return pd.DataFrame(
        {
            "type": "us_pub",
            "region": "79",
            "opened_year": opened,
            "closed_year": np.nan,
            "real_name": schools["name"].to_numpy(),
            "canonical": schools["canonical"].to_numpy(),
            "level": schools["level"].to_numpy(),
            "grade_from": schools["grade_from"].to_numpy(),
            "grade_to": schools["grade_to"].to_numpy(),
            "district": schools["district_code"].to_numpy(),
            "strength": schools["strength"].to_numpy(),
        }
    )


def _short_place(name: str) -> str:
    for word in ("Phường ", "Xã ", "Thị trấn "):
        if name.startswith(word):
            rest = name[len(word) :]
            return "" if rest.strip().isdigit() else rest
    return name


def build_registry(
    seed: int, geo: Geography, real_schools: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """Every institution of the merged city 2015–2025 with internal attributes.

    Parameters
    ----------
    seed
        The seed; the same seed gives the same registry.
    geo
        The geography (wards, old wards, crosswalk, populations).
    real_schools
        The real public high schools (:func:`read_cutoffs`).
    as_of
        Reference date of licence statuses.

    Returns
    -------
    pandas.DataFrame
        The registry: Institution columns plus ``type``, ``region``, ``stages``,
        ``pre_unit`` (unit of pre-2025 facts), ``size``, ``quality``, ``overcrowded``,
        ``canonical`` (real name key or None).
    """
    rng = stream(seed, "registry")
    real = _real_schools(rng, real_schools)
    real_open = {y: int((real["opened_year"] <= y).sum()) for y in YEARS}
    parts = [real]
    for region in REGIONS:
        for type_key in COUNT_ANCHORS[region]:
            fixed = real_open if (region, type_key) == ("79", "us_pub") else None
            parts.append(simulate_counts(rng, region, type_key, fixed))
    reg = pd.concat(parts, ignore_index=True)
    for column in ("real_name", "canonical", "district"):
        reg[column] = reg[column].astype(object).where(reg[column].notna(), None)
    kinds = reg["type"].map(lambda t: TYPES[t])
    reg["kind"] = [k.kind for k in kinds]
    reg["level"] = reg["level"].where(reg["level"].notna(), [k.level for k in kinds])
    reg["grade_from"] = reg["grade_from"].where(
        reg["grade_from"].notna(), [k.grades[0] if k.grades else np.nan for k in kinds]
    )
    reg["grade_to"] = reg["grade_to"].where(
        reg["grade_to"].notna(), [k.grades[1] if k.grades else np.nan for k in kinds]
    )
    reg["ownership"] = [k.ownership for k in kinds]
    foreign = (reg["type"] == "intl") & (rng.random(len(reg)) >= FOREIGN_SHARE["intl"])
    reg.loc[foreign, "ownership"] = "private"
    reg["stages"] = [
        k.stages if lv != "lower_upper" else ("lower_secondary", "upper_secondary")
        for k, lv in zip(kinds, reg["level"], strict=True)
    ]

    placer = Placer(geo)
    old = np.empty(len(reg), dtype=object)
    centre = np.array([k.licensed for k in kinds])
    for region in REGIONS:
        for is_centre in (False, True):
            mask = (
                (reg["region"] == region) & (centre == is_centre) & reg["district"].isna()
            ).to_numpy()
            old[mask] = placer.choose_old(
                rng, region, int(mask.sum()), urban_boost=CENTRE_URBAN_BOOST if is_centre else 1.0
            )
    for district, index in reg[reg["district"].notna()].groupby("district").groups.items():
        old[np.asarray(reg.index.get_indexer(index))] = placer.choose_old(
            rng, "79", len(index), district=district
        )
    new = placer.choose_new(rng, old)
    reg["lon"], reg["lat"] = placer.points(rng, old, new)
    reg["ward_id"] = "W" + pd.Series(new, index=reg.index).astype(str)
    reg["old_ward_id"] = [None if k == CON_DAO_KEY else "OW" + k for k in old]
    reg["pre_unit"] = [CON_DAO_KEY if k == CON_DAO_KEY else "OW" + k for k in old]
    reg["geom"] = list(shapely.points(reg["lon"].to_numpy(), reg["lat"].to_numpy()))

    units = placer.old_units
    district_code = units.loc[old, "district_code"].to_numpy()
    district_name = geo.districts.loc[district_code, "name"].to_numpy()
    old_name = geo.old_wards["name"].reindex(old).fillna("").to_numpy()
    place = pd.Series([_short_place(n) for n in old_name])
    base = nm.base_names(
        rng, reg["type"], reg["kind"], reg["level"], place, pd.Series(district_name)
    )
    base = np.where(reg["real_name"].notna(), reg["real_name"], base)
    reserved = set(reg["real_name"].dropna())
    generated = reg["real_name"].isna().to_numpy()
    ward_names = geo.wards["name"].reindex(new).to_numpy()
    base[generated] = nm.branch_names(
        base[generated],
        reg["kind"].to_numpy()[generated],
        (reg["ownership"] != "public").to_numpy()[generated],
        ward_names[generated],
    )
    unique = base.copy()
    unique[generated] = nm.make_unique(
        base[generated], reg["ward_id"].to_numpy()[generated], reserved
    )
    reg["name"] = unique
    closed_early = reg["closed_year"].notna().to_numpy()
    label = np.where(
        closed_early,
        [f"{o}, {d}" for o, d in zip(old_name, district_name, strict=True)],
        ward_names,
    )
    label = np.where(label == ", Huyện Côn Đảo", "Huyện Côn Đảo", label)
    reg["address"] = nm.addresses(rng, pd.Series(label), reg["region"].reset_index(drop=True))
    reg["programmes"] = [PROGRAMMES[k][rng.integers(len(PROGRAMMES[k]))] for k in reg["kind"]]

    counters: dict[tuple[str, str], int] = {}
    codes = []
    for region, type_key in zip(reg["region"], reg["type"], strict=True):
        key = (region, TYPES[type_key].prefix)
        counters[key] = counters.get(key, 0) + 1
        codes.append(f"{region}-{key[1]}-{counters[key]:05d}")
    reg["code"] = codes
    reg["size"] = [TYPES[t].size for t in reg["type"]] * rng.lognormal(0.0, 0.35, len(reg))
    reg["quality"] = rng.normal(0.0, 1.0, len(reg))
    strong = reg["strength"].notna()
    z = (reg.loc[strong, "strength"] - reg.loc[strong, "strength"].mean()) / reg.loc[
        strong, "strength"
    ].std()
    reg.loc[strong, "quality"] = 0.8 * z + 0.2 * reg.loc[strong, "quality"]
    crowded = set()
    for region, n in OVERCROWDED_WARDS.items():
        wards = geo.wards[geo.wards["region"] == region].sort_values("population")
        crowded |= set(rng.choice(wards.index[-30:].to_numpy(), size=n, replace=False))
    reg["overcrowded"] = pd.Series(new).isin(crowded).to_numpy() & reg["kind"].eq("school")
    licensed = np.array([TYPES[t].licensed for t in reg["type"]])
    for column in ("licence_no", "licence_issued", "licence_valid_until", "licence_status"):
        reg[column] = None
    lic = licences(rng, reg[licensed], as_of)
    for column in lic.columns:
        reg.loc[licensed, column] = lic[column].to_numpy()
    reg["generated"] = True
    reg["source"] = np.where(reg["real_name"].notna(), "generator; name from cutoffs", "generator")
    reg = reg.sort_values(["region", "type", "opened_year", "code"], kind="stable")
    reg = reg.reset_index(drop=True)
    reg.insert(0, "id", np.arange(1, len(reg) + 1))
    return reg
