"""Search engine tests on real HCMC school names (grade-10 cut-off file) plus targeted cases."""

from __future__ import annotations

import csv
import itertools
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.paths import shared_data_dir
from geo.search import KINDS, SearchHit, SearchIndex, normalise

SHARED = shared_data_dir()
CUTOFFS = SHARED / "admissions" / "hcmc_grade10_cutoffs_2015_2021_nv123.csv"


def _schools() -> list[tuple[int, str, str]]:
    """(id, name, district) of each distinct published school name, first occurrence."""
    if not CUTOFFS.exists():
        pytest.skip(f"reference data not found: {CUTOFFS} (set IOC_SHARED_DATA)")
    seen: dict[str, str] = {}
    with CUTOFFS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            seen.setdefault(row["school_name_as_published"], row["district_as_published"])
    return [(1000 + i, name, district) for i, (name, district) in enumerate(seen.items())]


@pytest.fixture(scope="module")
def schools() -> list[tuple[int, str, str]]:
    return _schools()


@pytest.fixture(scope="module")
def index(schools: list[tuple[int, str, str]]) -> SearchIndex:
    ids, names, districts = zip(*schools, strict=True)
    return SearchIndex.build(ids, names, extra=districts)


def _id(schools: list[tuple[int, str, str]], name: str) -> int:
    (found,) = [i for i, n, _ in schools if n == name]
    return found


# --- search on real names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("le quy don", "exact"),
        ("trung hoc pho thong le quy don", "exact"),
        ("Trường THPT Lê Quý Đôn", "exact"),
        ("trường lê quý đôn", "exact"),
        ("LÊ QUÝ ĐÔN", "exact"),
        (unicodedata.normalize("NFD", "Lê Quý Đôn"), "exact"),
        ("le quy", "prefix"),
        ("don le quy", "tokens"),
        ("le quy dom", "fuzzy"),
        ("quy dom", "fuzzy"),
        ("le qyu don", "fuzzy"),  # transposition
    ],
)
def test_le_quy_don_found_first(
    index: SearchIndex, schools: list[tuple[int, str, str]], query: str, kind: str
) -> None:
    hits = index.search(query)
    assert hits, query
    assert hits[0].id == _id(schools, "THPT Lê Quý Đôn")
    assert hits[0].kind == kind


def test_typo_budget_is_bounded(index: SearchIndex) -> None:
    assert index.search("quy dxm") == []  # two edits in a three-letter word
    assert index.search("xy don") == []  # two-letter words get no typo allowance


def test_district_abbreviations_in_extra(
    index: SearchIndex, schools: list[tuple[int, str, str]]
) -> None:
    expected = {i for i, _, d in schools if d == "Quận 3"}
    assert len(expected) >= 4
    results = {
        q: [h.id for h in index.search(q, limit=500)] for q in ("q3", "Q.3", "quận 3", "Quan 3")
    }
    for ids in results.values():
        assert set(ids) == expected
    assert len({tuple(v) for v in results.values()}) == 1
    assert all(h.kind == "tokens" for h in index.search("q3", limit=500))


def test_thu_duc_city_spellings(index: SearchIndex, schools: list[tuple[int, str, str]]) -> None:
    expected = {i for i, _, d in schools if d == "TP Thủ Đức"}
    assert len(expected) >= 5
    runs = [index.search(q, limit=500) for q in ("tp thu duc", "TP. Thủ Đức", "thành phố thủ đức")]
    assert runs[0] == runs[1] == runs[2]
    assert {h.id for h in runs[0] if h.kind == "tokens"} == expected


def test_published_typo_variant_is_found(
    index: SearchIndex, schools: list[tuple[int, str, str]]
) -> None:
    ids = {h.id for h in index.search("tran phu") if h.kind == "exact"}
    assert ids == {_id(schools, "THPT Trần Phú"), _id(schools, "THPT Tran Phú")}


def test_candidates_mask_and_ids(index: SearchIndex, schools: list[tuple[int, str, str]]) -> None:
    lqd = _id(schools, "THPT Lê Quý Đôn")
    mask = np.array([i != lqd for i, _, _ in schools])
    assert all(h.id != lqd for h in index.search("le quy don", candidates=mask))
    allowed = np.array([i for i, _, d in schools if d == "Quận 1"] + [999_999])  # + unknown
    hits = index.search("thpt", candidates=allowed, limit=500)
    assert {h.id for h in hits} == set(allowed.tolist()) - {999_999}
    assert index.search("thpt", candidates=np.array([], dtype=np.int64)) == []
    with pytest.raises(ValueError, match="length"):
        index.search("thpt", candidates=np.ones(3, dtype=bool))


def test_ties_without_location_are_by_name(
    index: SearchIndex, schools: list[tuple[int, str, str]]
) -> None:
    names = {i: normalise(n) for i, n, _ in schools}
    hits = [h for h in index.search("thpt", limit=500) if h.kind == "prefix"]
    expected = sorted(n for n in names.values() if n.startswith("thpt "))
    assert len(expected) > 100
    assert [names[h.id] for h in hits] == expected


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\t\n",
        "!!!",
        "<script>alert('x')</script>",
        "\"'; DROP TABLE x; --",
        "&lt;b&gt;",
        "%",
        "\\",
        "\x00",
        "le " * 500,
        "🏫 trường",
        "ｑ３",
    ],
)
def test_odd_queries_do_not_crash(index: SearchIndex, query: str) -> None:
    hits = index.search(query)
    assert isinstance(hits, list)
    assert all(isinstance(h, SearchHit) and h.kind in KINDS for h in hits)
    if not query.strip() or query == "!!!":
        assert hits == []


def test_limit_is_respected(index: SearchIndex) -> None:
    assert len(index.search("thpt", limit=7)) == 7
    assert index.search("thpt", limit=0) == []


# --- ranking on a small crafted index ----------------------------------------------------

RANKED = {
    1: "THPT Trầm Phú",  # fuzzy ("tram" ~ "tran")
    2: "THPT Phú Trần",  # all tokens, other order
    3: "THPT Trần Phú",  # exact (core)
    4: "THPT Trần Phúc Hưng",  # prefix
    5: "Trần Phú",  # exact (whole name)
    6: "THPT Nguyễn Du",  # no match
}


def test_exact_before_prefix_before_tokens_before_fuzzy() -> None:
    ix = SearchIndex.build(list(RANKED), list(RANKED.values()))
    hits = ix.search("trần phú")
    assert [h.id for h in hits] == [5, 3, 4, 2, 1]
    assert [h.kind for h in hits] == ["exact", "exact", "prefix", "tokens", "fuzzy"]
    assert all(a.score > b.score for a, b in itertools.pairwise(hits))


def test_two_edits_allowed_from_eight_letters() -> None:
    ix = SearchIndex.build([1, 2], ["Trung tâm Ngoại ngữ Washington", "Trung tâm Ngoại ngữ Oxford"])
    assert [h.id for h in ix.search("wasingtn")] == [1]  # 8 letters, 2 edits
    assert [(h.id, h.kind) for h in ix.search("oxfrd")] == [(2, "fuzzy")]  # 1 edit
    assert ix.search("oxfxx") == []  # 5 letters, 2 edits
    assert [(h.id, h.kind) for h in ix.search("ttnn washington")] == [(1, "exact"), (2, "fuzzy")]


# Two schools with the same name at known places, plus a farther-ranked prefix match.
TWIN_NAMES = ["THCS Nguyễn Du", "THCS Nguyễn Du", "THCS Nguyễn Dữ Hưng"]
TWIN_LON = [106.700, 106.600, 106.701]
TWIN_LAT = [10.770, 10.850, 10.771]


def test_near_breaks_ties_but_not_kinds() -> None:
    ix = SearchIndex.build([10, 20, 30], TWIN_NAMES, lon=TWIN_LON, lat=TWIN_LAT)
    assert [h.id for h in ix.search("nguyen du", near=(106.70, 10.77))] == [10, 20, 30]
    assert [h.id for h in ix.search("nguyen du", near=(106.60, 10.85))] == [20, 10, 30]
    # the prefix match is nearest to this point but still ranks after both exact matches
    assert [h.id for h in ix.search("nguyen du", near=(106.7011, 10.7711))] == [10, 20, 30]


def test_near_requires_coordinates() -> None:
    ix = SearchIndex.build([1], ["THPT A"])
    with pytest.raises(ValueError, match="lon/lat"):
        ix.search("a", near=(106.7, 10.8))


def test_missing_coordinates_sort_last() -> None:
    ix = SearchIndex.build([1, 2], ["THPT Y", "THPT Y"], lon=[np.nan, 106.7], lat=[np.nan, 10.8])
    assert [h.id for h in ix.search("y", near=(0.0, 0.0))] == [2, 1]


def test_build_validation() -> None:
    with pytest.raises(ValueError, match="unique"):
        SearchIndex.build([1, 1], ["a", "b"])
    with pytest.raises(ValueError, match="same length"):
        SearchIndex.build([1], ["a", "b"])
    with pytest.raises(ValueError, match="both"):
        SearchIndex.build([1], ["a"], lon=[1.0])
    empty = SearchIndex.build([], [])
    assert len(empty) == 0 and empty.search("x") == []
    assert SearchIndex.build([1], [None], extra=[float("nan")]).search("x") == []  # type: ignore[list-item]


# --- properties --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def words(schools: list[tuple[int, str, str]]) -> list[str]:
    return sorted({w for _, n, d in schools for w in (n + " " + d).split()})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_search_stays_within_candidates(
    index: SearchIndex, schools: list[tuple[int, str, str]], words: list[str], data: st.DataObject
) -> None:
    all_ids = [i for i, _, _ in schools]
    chosen = data.draw(st.lists(st.sampled_from(all_ids), unique=True, max_size=40))
    query = " ".join(data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=4)))
    query += data.draw(st.sampled_from(["", "x", " q", "\u0301"]))
    as_mask = data.draw(st.booleans())
    cand = np.isin(all_ids, chosen) if as_mask else np.array(chosen, dtype=np.int64)
    hits = index.search(query, candidates=cand, limit=50)
    assert {h.id for h in hits} <= set(chosen)
    unrestricted = [h for h in index.search(query, limit=1000) if h.id in set(chosen)]
    assert hits == unrestricted[:50]


def test_single_letter_being_typed_is_a_prefix(
    index: SearchIndex, schools: list[tuple[int, str, str]]
) -> None:
    # "h", "p", "q", "x" alone are abbreviations (huyện, phường, ...), but as the last letter of
    # a query being typed they must still work as a prefix
    got = {h.id for h in index.search("nguyen h", limit=500) if h.kind == "prefix"}
    assert got == {i for i, n, _ in schools if normalise(n).startswith("thpt nguyen h")}
    assert {"THPT Nguyễn Hiền", "THPT Nguyễn Huệ", "THPT Nguyễn Hữu Cảnh"} <= {
        n for i, n, _ in schools if i in got
    }
    phan = _id(schools, "THPT Phan Đăng Lưu")
    assert phan in {h.id for h in index.search("p", limit=500)}


def test_leading_truong_is_optional_but_preferred() -> None:
    # "trường" before a name usually means "school", but Trương is also a surname
    ix = SearchIndex.build([1, 2, 3], ["TH Ba Quân", "THCS Trương Ba Quân", "THPT Lê Lợi"])
    assert [h.id for h in ix.search("trường quân ba")] == [2, 1]
    assert [h.kind for h in ix.search("trường lê lợi")] == ["exact"]
    assert [(h.id, h.kind) for h in ix.search("truong ba quan")] == [(2, "exact"), (1, "exact")]


def test_every_real_name_is_found_by_itself_and_its_prefixes(
    index: SearchIndex, schools: list[tuple[int, str, str]]
) -> None:
    for i, name, _ in schools:
        full = normalise(name)
        hit = {h.id: h.kind for h in index.search(name, limit=500)}
        assert hit.get(i) == "exact", name
        for cut in (1, 3):
            if len(full) - cut > len(full.split()[0]) + 1:
                hit = {h.id: h.kind for h in index.search(full[:-cut], limit=500)}
                assert hit.get(i) in ("prefix", "exact"), (name, full[:-cut])


def test_long_names_beyond_the_positional_index() -> None:
    long_name = "Trường THCS và THPT Quốc tế Á Châu Cơ sở Nguyễn Văn Trỗi Hai"
    ix = SearchIndex.build([1, 2], [long_name, long_name[:-1] + "y"])
    full = normalise(long_name)
    assert len(full.split()) > 10
    assert ix.search(long_name)[0] == SearchHit(id=1, score=1.0, kind="exact")
    assert {h.id: h.kind for h in ix.search(full[:-2])} == {1: "prefix", 2: "prefix"}
    assert {h.id: h.kind for h in ix.search(full[:-1] + "y")}[2] == "exact"
