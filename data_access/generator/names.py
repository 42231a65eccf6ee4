"""Plausible Vietnamese institution names and street addresses (no personal data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Historical and cultural figures that Vietnamese public schools are commonly named after.
FIGURES = (
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Nguyễn Du",
    "Nguyễn Đình Chiểu",
    "Phan Bội Châu",
    "Phan Chu Trinh",
    "Võ Thị Sáu",
    "Nguyễn Văn Trỗi",
    "Kim Đồng",
    "Lê Văn Tám",
    "Trương Định",
    "Hai Bà Trưng",
    "Lê Quý Đôn",
    "Chu Văn An",
    "Nguyễn Bỉnh Khiêm",
    "Trần Quốc Toản",
    "Đinh Tiên Hoàng",
    "Lý Tự Trọng",
    "Tô Hiến Thành",
    "Ngô Quyền",
    "Bà Triệu",
    "Phạm Ngũ Lão",
    "Yết Kiêu",
    "Nguyễn Thái Học",
    "Phan Đình Phùng",
    "Hồ Tùng Mậu",
    "Hà Huy Tập",
    "Võ Văn Tần",
    "Trần Văn Ơn",
    "Huỳnh Thúc Kháng",
    "Tôn Đức Thắng",
    "Cao Bá Quát",
    "Hồ Xuân Hương",
    "Đoàn Thị Điểm",
    "Trương Công Định",
    "Trịnh Hoài Đức",
    "Lê Văn Duyệt",
    "Phan Văn Trị",
    "Lê Đình Chinh",
    "Nguyễn Viết Xuân",
    "Trần Đại Nghĩa",
    "Lương Định Của",
    "Tôn Thất Tùng",
    "Đào Duy Từ",
    "Nguyễn Tri Phương",
    "Hoàng Diệu",
    "Lê Thị Riêng",
    "Lê Anh Xuân",
    "Phù Đổng",
    "Lạc Long Quân",
    "An Dương Vương",
    "Lý Công Uẩn",
    "Trần Nhân Tông",
    "Lê Thánh Tông",
    "Phan Huy Ích",
    "Ngô Thì Nhậm",
    "Tô Vĩnh Diện",
    "Bế Văn Đàn",
    "Đinh Bộ Lĩnh",
    "Lý Nam Đế",
    "Lê Lai",
    "Lê Văn Hưu",
    "Phan Huy Chú",
    "Trần Khánh Dư",
    "Phạm Hồng Thái",
    "Chu Mạnh Trinh",
    "Nguyễn Khoa Đăng",
    "Lê Ngọc Hân",
    "Trần Quang Diệu",
    "Mạc Thị Bưởi",
    "Nguyễn Thị Lựu",
    "Võ Văn Ngân",
    "Nguyễn Văn Bá",
    "Trần Cao Vân",
    "Nguyễn Thông",
    "Phan Văn Đạt",
    "Nguyễn Văn Nghi",
    "Lê Văn Sỹ",
    "Trần Quốc Tuấn",
    "Đặng Thai Mai",
    "Nguyễn Văn Luông",
    "Hồ Văn Cường",
    "Lê Công Phép",
    "Nguyễn Văn Thảnh",
    "Trần Văn Kiểu",
    "Huỳnh Văn Bánh",
    "Đặng Dung",
    "Nguyễn Huy Tưởng",
    "Tô Ngọc Vân",
    "Nguyễn Gia Thiều",
    "Phạm Văn Chiêu",
)
#: Names of preschools (flowers, birds, bright words).
PRESCHOOL = (
    "Hoa Sen",
    "Hoa Mai",
    "Hoa Hồng",
    "Hoa Lan",
    "Hoa Cúc",
    "Sơn Ca",
    "Họa Mi",
    "Vành Khuyên",
    "Măng Non",
    "Tuổi Thơ",
    "Tuổi Ngọc",
    "Ánh Dương",
    "Bình Minh",
    "Sao Mai",
    "Hướng Dương",
    "Thỏ Ngọc",
    "Thiên Thần",
    "Hoàng Yến",
    "Sen Hồng",
    "Rạng Đông",
    "Ban Mai",
    "Mầm Xanh",
    "Nắng Hồng",
    "Cầu Vồng",
    "Vàng Anh",
    "Hoa Phượng",
    "Hoa Đào",
    "Anh Đào",
    "Tuổi Hồng",
    "Bé Ngoan",
    "Ngôi Sao",
    "Hạnh Phúc",
    "Tương Lai",
    "Chim Non",
    "Măng Xanh",
    "Búp Sen",
    "Hoa Thiên Lý",
    "Tuổi Xanh",
    "Mai Anh",
    "Bông Sen",
    "Hoa Ngọc Lan",
    "Thủy Tiên",
    "Bồ Câu",
    "Chích Bông",
    "Thiên Nga",
    "Hải Âu",
    "Sóc Nâu",
    "Mây Hồng",
    "Ngọc Lan",
    "Hoa Trạng Nguyên",
    "Phượng Hồng",
    "Trúc Xanh",
    "Hoa Mười Giờ",
    "Sao Sáng",
    "Tuổi Thần Tiên",
)
#: Words of private school and centre brands.
BRANDS = (
    "Việt Anh",
    "Ngôi Sao",
    "Thái Bình",
    "Trí Đức",
    "Hòa Bình",
    "Nam Việt",
    "Hồng Hà",
    "Vạn Hạnh",
    "Phương Nam",
    "Tân Tiến",
    "Hoàn Cầu",
    "Tri Thức",
    "Sao Việt",
    "Ánh Sao",
    "Đông Á",
    "Việt Mỹ",
    "Việt Úc",
    "Quốc Văn",
    "Trí Tuệ",
    "Bách Khoa",
    "Đại Việt",
    "Hưng Thịnh",
    "Minh Đức",
    "Tuệ Đức",
    "Thành Công",
    "Việt Nhật",
    "Hồng Đức",
    "An Phú",
    "Thiên Phước",
    "Đức Trí",
    "Tâm Việt",
    "Trường Sơn",
    "Bắc Mỹ",
    "Thăng Long",
    "Nhân Văn",
    "Sài Gòn Mới",
    "Smart Kids",
    "Global Path",
    "Sunshine",
    "Bright Future",
    "Star Bridge",
    "Pathway",
    "Blue Ocean",
    "Green Leaf",
    "Wise Owl",
    "Rising Sun",
    "Open Mind",
    "First Step",
)
#: Words of generated international schools (invented, not real brands).
INTERNATIONAL = (
    "Riverside",
    "Meridian",
    "Lotus Bay",
    "Orchid Hill",
    "Greenfield",
    "Starlight",
    "Maplewood",
    "Harbourview",
    "Sunrise Coast",
    "Northbridge",
    "Silver Oak",
    "Crestview",
    "Evergreen",
    "Westlake",
    "Brightwater",
    "Kingsbridge",
    "Palm Grove",
    "Blue Lagoon",
)
COUNTRIES = (
    "Úc",
    "Anh",
    "Hoa Kỳ",
    "Canada",
    "Nhật Bản",
    "Hàn Quốc",
    "Singapore",
    "Pháp",
    "Đức",
    "New Zealand",
    "Hà Lan",
    "Phần Lan",
)
STREETS = (
    "Lê Lợi",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Lý Thường Kiệt",
    "Cách Mạng Tháng Tám",
    "Điện Biên Phủ",
    "Võ Văn Tần",
    "Nguyễn Thị Minh Khai",
    "Pasteur",
    "Nam Kỳ Khởi Nghĩa",
    "Lê Văn Sỹ",
    "Hoàng Văn Thụ",
    "Phan Đăng Lưu",
    "Nguyễn Văn Cừ",
    "Âu Cơ",
    "Lạc Long Quân",
    "Lũy Bán Bích",
    "Tân Kỳ Tân Quý",
    "Quang Trung",
    "Phan Văn Trị",
    "Nguyễn Oanh",
    "Lê Đức Thọ",
    "Phạm Văn Đồng",
    "Kha Vạn Cân",
    "Võ Văn Ngân",
    "Lê Văn Việt",
    "Đỗ Xuân Hợp",
    "Nguyễn Duy Trinh",
    "Huỳnh Tấn Phát",
    "Nguyễn Thị Thập",
    "Nguyễn Hữu Thọ",
    "Phạm Hùng",
    "Tạ Quang Bửu",
    "Hậu Giang",
    "Kinh Dương Vương",
    "Hồng Bàng",
    "Tỉnh lộ 10",
    "Quốc lộ 22",
    "Nguyễn An Ninh",
    "Thích Quảng Đức",
    "Lê Hồng Phong",
    "Trần Phú",
    "Nguyễn Văn Linh",
    "Hùng Vương",
    "Bạch Đằng",
    "Nguyễn Tất Thành",
    "Trường Chinh",
    "Cộng Hòa",
    "Tô Ký",
    "Nguyễn Ảnh Thủ",
    "Đặng Thúc Vịnh",
    "Rừng Sác",
    "số 1",
    "số 7",
    "số 12",
    "số 19",
    "Liên Ấp 2-3",
)
#: Streets typical of Bình Dương (74) and Bà Rịa–Vũng Tàu (77), added to the common ones.
REGION_STREETS = {
    "74": (
        "Đại lộ Bình Dương",
        "Mỹ Phước - Tân Vạn",
        "Quốc lộ 13",
        "Phú Lợi",
        "Yersin",
        "Cách Mạng Tháng Tám",
        "Nguyễn Văn Tiết",
        "ĐT 743",
        "ĐT 741",
        "Lê Hồng Phong",
    ),
    "77": (
        "Quốc lộ 51",
        "Ba Cu",
        "Thùy Vân",
        "Trương Công Định",
        "Lê Hồng Phong",
        "Nguyễn An Ninh",
        "Bình Giã",
        "Hùng Vương",
        "Võ Thị Sáu",
        "ĐT 44A",
    ),
}

LEVEL_WORD = {
    "preschool": "Mầm non",
    "primary": "Tiểu học",
    "lower_secondary": "THCS",
    "upper_secondary": "THPT",
    "primary_lower": "Tiểu học - THCS",
    "lower_upper": "THCS - THPT",
    "multi_level": "Tiểu học - THCS - THPT",
}


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


def base_names(
    rng: np.random.Generator,
    types: pd.Series,
    kinds: pd.Series,
    levels: pd.Series,
    place: pd.Series,
    district: pd.Series,
) -> np.ndarray:
    """A name for each institution from its type, level and location (may repeat).

    ``place`` is the old ward's short name (used by some public schools), ``district`` the
    old district's name (continuing-education centres carry it).
    """
    n = len(types)
    names = np.empty(n, dtype=object)
    figure, flower, brand = _pick(rng, FIGURES, n), _pick(rng, PRESCHOOL, n), _pick(rng, BRANDS, n)
    use_place = rng.random(n) < 0.25
    for i, (t, kind, level) in enumerate(zip(types, kinds, levels, strict=True)):
        word = LEVEL_WORD.get(level, "")
        if t == "ps_pub":
            label = place.iloc[i] if use_place[i] and place.iloc[i] else flower[i]
            names[i] = f"Trường Mầm non {label}"
        elif t == "ps_priv":
            names[i] = f"Trường Mầm non tư thục {flower[i]}"
        elif kind == "school" and t.endswith("_pub"):
            label = place.iloc[i] if use_place[i] and place.iloc[i] else figure[i]
            names[i] = f"Trường {word} {label}"
        elif kind == "school":
            names[i] = f"Trường {word} {brand[i]}"
        elif kind == "international_school":
            names[i] = f"Trường Quốc tế {INTERNATIONAL[rng.integers(len(INTERNATIONAL))]}"
        elif kind == "continuing_education":
            names[i] = f"Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {district.iloc[i]}"
        elif kind == "language_it_centre":
            prefix = (
                "Trung tâm Ngoại ngữ",
                "Trung tâm Ngoại ngữ - Tin học",
                "Trung tâm Anh ngữ",
                "Trung tâm Tin học",
            )[rng.integers(4)]
            names[i] = f"{prefix} {brand[i]}"
        elif kind == "study_abroad":
            prefix = ("Công ty TNHH Tư vấn Du học", "Trung tâm Tư vấn Du học")[rng.integers(2)]
            names[i] = f"{prefix} {brand[i]}"
        elif kind == "life_skills":
            prefix = ("Trung tâm Kỹ năng sống", "Trung tâm Đào tạo Kỹ năng")[rng.integers(2)]
            names[i] = f"{prefix} {brand[i]}"
        else:
            org = INTERNATIONAL[rng.integers(len(INTERNATIONAL))]
            country = COUNTRIES[rng.integers(len(COUNTRIES))]
            names[i] = f"Văn phòng đại diện Tổ chức Giáo dục {org} ({country})"
    return names


#: Kinds whose repeated names are branches of one chain (with private schools).
CHAIN_KINDS = frozenset({"language_it_centre", "study_abroad", "life_skills"})
#: Words that open a unit's name, left out of a branch's place ("Phường Hiệp Bình").
UNIT_WORDS = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def branch_names(
    names: np.ndarray, kinds: np.ndarray, private: np.ndarray, places: np.ndarray
) -> np.ndarray:
    """Chains name their branches by place: from the second institution of a private
    school's or a centre's name on, ``"… – Cơ sở Hiệp Bình"`` (the unit word left out).

    A citizen searching the map then tells the 30 branches of a brand apart by name,
    not only by the ward line under it. Public schools keep their names: the same
    patron's name in several wards is usual (``make_unique`` numbers repeats in a ward).
    """
    result = names.copy()
    seen: set[str] = set()
    for i, name in enumerate(names):
        place = str(places[i] or "")
        for word in UNIT_WORDS:
            place = place.removeprefix(word)
        if (kinds[i] in CHAIN_KINDS or private[i]) and name in seen and place:
            result[i] = f"{name} – Cơ sở {place}"
        seen.add(name)
    return result


def make_unique(names: np.ndarray, scope: np.ndarray, reserved: set[str]) -> np.ndarray:
    """Number repeated names within a scope (``… 2``); never reuse a ``reserved`` name."""
    result = names.copy()
    seen: dict[tuple[str, str], int] = {}
    for i, (name, where) in enumerate(zip(names, scope, strict=True)):
        count = seen.get((where, name), 0) + 1
        seen[(where, name)] = count
        candidate = name if count == 1 else f"{name} {count}"
        while candidate in reserved:
            count += 1
            candidate = f"{name} {count}"
        seen[(where, name)] = count
        result[i] = candidate
    return result


def street_label(street: str) -> str:
    """``Lê Lợi`` → ``Đường Lê Lợi``; highways and avenues keep their own word."""
    if street.startswith(("Quốc lộ", "Tỉnh lộ", "Đại lộ", "ĐT ")):
        return street
    return f"Đường {street}"


def addresses(rng: np.random.Generator, unit_names: pd.Series, regions: pd.Series) -> np.ndarray:
    """Street addresses ``"12 Đường Lê Lợi, Phường …"`` (some in alleys, ``45/7``)."""
    n = len(unit_names)
    numbers = rng.integers(1, 480, n)
    alley = rng.random(n) < 0.2
    sub = rng.integers(1, 40, n)
    common = _pick(rng, STREETS, n)
    local = rng.random(n) < 0.5
    result = np.empty(n, dtype=object)
    for i, (no, a, s, unit, region) in enumerate(
        zip(numbers, alley, sub, unit_names, regions, strict=True)
    ):
        pool = REGION_STREETS.get(region)
        street = pool[int(rng.integers(len(pool)))] if pool and local[i] else common[i]
        result[i] = f"{no}{'/' + str(s) if a else ''} {street_label(street)}, {unit}"
    return result
