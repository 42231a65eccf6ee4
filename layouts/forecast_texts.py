"""Texts of the forecast page and the engine's track record on official data."""

from __future__ import annotations

from ioc_app.core.fmt import fmt_number
from ioc_app.core.i18n import add_texts, current_language
from ioc_app.core.vocabulary import LEVEL_NAMES

#: The kinds of area a forecast is made for (not the kinds of institution of the vocabulary).
KIND_NAMES = {
    "city": ("toàn thành phố", "the whole city"),
    "old_district": ("38 quận, huyện cũ", "the 38 former districts"),
    "ward": ("168 phường, xã, đặc khu", "the 168 wards"),
}

#: Share of outcomes inside the calibrated 80 % band on held-out GSO provinces (5-fold over
#: the 56 provinces, bands learnt on the other folds only; 5,880 forecasts, horizons 1–5):
#: docs/forecasting.md "Error bands"; tests/cli/test_forecast_cli.py recomputes it. Real data.
GSO_BAND_COVERAGE = 0.806


def band_coverage(lang: str) -> str:
    """:data:`GSO_BAND_COVERAGE` as readers of ``lang`` write a share (``80,6 %``)."""
    return fmt_number(GSO_BAND_COVERAGE, "share", lang, decimals=1)


#: MAPE (%) of the level-flow model, persistence and drift on the statistics office's file
#: (56 provinces, history 2002–2016, origins 2007–2015): docs/forecasting.md. Real data.
GSO_TRACK_RECORD = {
    "primary": [
        (1, 1.67, 2.13, 3.02),
        (2, 2.77, 3.44, 6.47),
        (3, 3.87, 4.73, 10.74),
        (4, 4.86, 5.94, 15.86),
        (5, 5.83, 7.05, 22.00),
    ],
    "lower_secondary": [
        (1, 1.90, 3.53, 3.97),
        (2, 2.60, 6.34, 8.52),
        (3, 3.31, 8.87, 13.90),
        (4, 4.28, 10.70, 19.62),
        (5, 5.11, 12.39, 25.19),
    ],
    "upper_secondary": [
        (1, 3.70, 3.82, 4.43),
        (2, 5.77, 6.90, 8.44),
        (3, 7.27, 9.88, 12.81),
        (4, 8.96, 12.87, 18.20),
        (5, 10.44, 16.07, 25.25),
    ],
}

TEXTS: dict[str, tuple[str, str]] = {
    "fc.title": ("Dự báo tuyển sinh", "Enrolment forecast"),
    "fc.subtitle": (
        "Học sinh dự báo theo khu vực và cấp học, với khoảng 80 % hiệu chỉnh trên sai số của "
        "mô hình ở 56 tỉnh và nới theo quy mô, tốc độ tăng gần đây của khu vực; chỗ học "
        "thiếu theo phường, xã; kịch bản.",
        "Projected pupils by area and level, with 80 % bands calibrated on the model's errors "
        "on 56 provinces and scaled by each area's size and recent growth; seat gaps by ward; "
        "scenarios.",
    ),
    "fc.real": (
        "Số liệu thật: ranh giới hành chính, bảng chuyển đổi đơn vị, dân số điều tra 2019 và "
        "bảng sai số của mô hình trên số liệu Tổng cục Thống kê (cuối trang). Số học sinh và "
        "phòng học từng trường là dữ liệu mô phỏng: dự báo và chỗ thiếu ở đây minh hoạ cách "
        "làm, không phải số liệu chính thức.",
        "Real: boundaries, the unit crosswalk, the 2019 census and the model's track record "
        "on official GSO statistics (at the end of the page). Pupils and classrooms per school "
        "are generated: the forecasts and seat gaps here illustrate the method and are not "
        "official figures.",
    ),
    "fc.controls": ("Chọn dự báo", "Choose the forecast"),
    "fc.area": ("Khu vực", "Area"),
    "fc.area.placeholder": ("Gõ tên phường, xã hoặc quận cũ…", "Type a ward or former district…"),
    "fc.level": ("Cấp học", "Level"),
    "fc.horizon": ("Số năm dự báo", "Years ahead"),
    "fc.levers": ("Kịch bản", "Scenario"),
    "fc.migration": ("Thay đổi di cư thuần (%/năm)", "Change in net migration (%/year)"),
    "fc.migration.help": (
        "Học sinh thêm (+) hoặc bớt (−) mỗi năm, theo % dân số khu vực, từ năm dự báo đầu.",
        "Pupils gained (+) or lost (−) each year, as % of the area's population, from the "
        "first forecast year.",
    ),
    "fc.norm": ("Sĩ số định mức (HS/lớp)", "Class-size norm (pupils/class)"),
    "fc.norm.help": (
        "Để trống: 35 (tiểu học), 45 (THCS, THPT).",
        "Blank: 35 (primary), 45 (secondary).",
    ),
    "fc.added": ("Phòng học xây mới", "New classrooms"),
    "fc.added.help": (
        "Trường mới của khu vực, tính từ năm học chọn.",
        "New schools in the area, counted from the chosen school year.",
    ),
    "fc.added_year": ("Từ năm học", "From school year"),
    "fc.city": ("Toàn thành phố", "Whole city"),
    "fc.former": ("(cũ)", "(former)"),
    "fc.section.forecast": ("Dự báo", "Forecast"),
    "fc.section.accuracy": ("Mô hình này đã sai bao nhiêu", "How wrong this model has been"),
    "fc.section.gaps": ("Chỗ học thiếu theo phường, xã", "Seat gaps by ward"),
    "fc.section.export": ("Tải xuống", "Download"),
    "fc.chart.title": ("{area} · {level}", "{area} · {level}"),
    "fc.chart.history": ("Học sinh (thực tế)", "Pupils (observed)"),
    "fc.chart.forecast": ("Dự báo", "Forecast"),
    "fc.chart.band": ("Khoảng 80 %", "80 % band"),
    "fc.chart.baseline": ("Dự báo gốc (không kịch bản)", "Baseline (no scenario)"),
    "fc.chart.seats": ("Chỗ học = phòng học × sĩ số", "Seats = classrooms × norm"),
    "fc.chart.y": ("Học sinh", "Pupils"),
    "fc.chart.label": (
        "Biểu đồ học sinh thực tế và dự báo; số chính ở phần tóm tắt bên cạnh "
        "và trong tệp tải xuống.",
        "Chart of observed and projected pupils; the key figures are in the "
        "summary beside it and in the download.",
    ),
    "fc.sum.year": ("Năm học {year}", "School year {year}"),
    "fc.sum.pupils": ("Học sinh dự báo", "Projected pupils"),
    "fc.sum.band": ("khoảng 80 %: {low} – {high}", "80 % band: {low} – {high}"),
    "fc.sum.seats": ("Chỗ học", "Seats"),
    "fc.sum.rooms": ("{rooms} phòng × {norm} HS", "{rooms} classrooms × {norm} pupils"),
    "fc.sum.short": ("Thiếu chỗ", "Seats short"),
    "fc.sum.spare": ("Thừa chỗ", "Seats spare"),
    "fc.sum.short_rooms": ("≈ {rooms} phòng học", "≈ {rooms} classrooms"),
    "fc.sum.last": (
        "Năm học {year} (thực tế): {pupils} học sinh",
        "School year {year} (observed): {pupils} pupils",
    ),
    "fc.acc.what": (
        "Dự báo lại quá khứ: ở mỗi năm gốc {first}–{last}, mô hình chỉ dùng số liệu đến năm "
        "đó rồi dự báo tiếp, so với số thực tế. Sai số phần trăm tuyệt đối trung bình (MAPE) "
        "của {kind}, {level}; so với hai cách đơn giản: giữ nguyên số năm gốc, và kéo dài "
        "xu hướng 5 năm.",
        "Forecasting the past: at each origin {first}–{last} the model sees data up to that "
        "year only and projects on; the result is compared with what happened. Mean absolute "
        "percentage error (MAPE) over {kind}, {level}, against two simple methods: keep the "
        "origin's figure, and extend the 5-year trend.",
    ),
    "fc.acc.col.h": ("Năm tới", "Years ahead"),
    "fc.acc.col.model": ("Mô hình", "Model"),
    "fc.acc.col.persistence": ("Giữ nguyên", "Persistence"),
    "fc.acc.col.drift": ("Xu hướng", "Drift"),
    "fc.acc.col.n": ("Số dự báo", "Forecasts"),
    "fc.acc.caption": ("MAPE (%) — thấp hơn là tốt hơn", "MAPE (%) — lower is better"),
    "fc.acc.better": (
        "Mô hình chính xác hơn cả hai cách đơn giản ở {k}/{n} tầm dự báo.",
        "The model beat both simple methods at {k} of {n} horizons.",
    ),
    "fc.acc.worse": (
        "Ở đây mô hình kém hơn cách đơn giản tốt nhất ở {k}/{n} tầm dự báo: với số liệu này "
        "nên đọc dự báo cùng khoảng sai số, và so với phương án giữ nguyên.",
        "Here the model did worse than the better simple method at {k} of {n} horizons: "
        "read its forecasts with their bands, and next to persistence.",
    ),
    "fc.acc.few": (
        "Ít điểm kiểm tra ({n}): chỉ mang tính tham khảo.",
        "Few checks ({n}): indicative only.",
    ),
    "fc.acc.empty": (
        "Lịch sử quá ngắn để dự báo lại quá khứ.",
        "The history is too short to forecast the past.",
    ),
    "fc.gso.title": (
        "Trên số liệu thật: 56 tỉnh, Tổng cục Thống kê, 2002–2016",
        "On official data: 56 provinces, GSO, 2002–2016",
    ),
    "fc.gso.what": (
        "Cùng mô hình, cùng cách kiểm tra (năm gốc 2007–2015), trên số học sinh chính thức "
        "của 56 tỉnh. MAPE (%) của {level}.",
        "The same model and check (origins 2007–2015) on the official pupil counts of 56 "
        "provinces. MAPE (%) for {level}.",
    ),
    "fc.gso.bands": (
        "Khoảng 80 % chứa {coverage} kết quả trên các tỉnh giữ lại khi hiệu chỉnh (kiểm tra "
        "chéo 5 nhóm tỉnh).",
        "The 80 % band contained {coverage} of the outcomes on provinces held out of its "
        "calibration (5-fold over provinces).",
    ),
    "fc.gso.source": (
        "Nguồn: Tổng cục Thống kê, số liệu giáo dục theo tỉnh 2002–2016 (qua gói choisy/gso); "
        "chi tiết trong docs/forecasting.md.",
        "Source: General Statistics Office, education statistics by province 2002–2016 (via "
        "the choisy/gso package); details in docs/forecasting.md.",
    ),
    "fc.map.title": (
        "{level}, năm học {year}: học sinh dự báo so với chỗ học",
        "{level}, school year {year}: projected pupils against seats",
    ),
    "fc.map.label": (
        "Bản đồ chỗ học thiếu, thừa theo phường, xã. Danh sách bên cạnh có cùng "
        "số liệu và dùng được bằng bàn phím.",
        "Map of seat gaps by ward. The list beside it holds the same figures and "
        "works with a keyboard.",
    ),
    "fc.map.tap": (
        "Chạm vào một phường, xã để chọn; danh sách bên cạnh có số liệu.",
        "Tap a ward to choose it; the list beside the map holds the figures.",
    ),
    "fc.map.hover": (
        "Di chuột lên phường, xã để xem số; bấm để chọn.",
        "Hover over a ward to see its figures; click to choose it.",
    ),
    "fc.map.tip": ("{name}: {gap} ({share})", "{name}: {gap} ({share})"),
    "fc.legend.0": ("Thừa hơn 20 %", "Over 20 % spare"),
    "fc.legend.1": ("Thừa 5–20 %", "5–20 % spare"),
    "fc.legend.2": ("Cân bằng (±5 %)", "Balanced (±5 %)"),
    "fc.legend.3": ("Thiếu 5–20 %", "5–20 % short"),
    "fc.legend.4": ("Thiếu hơn 20 %", "Over 20 % short"),
    "fc.legend.none": ("Không có học sinh cấp này", "No pupils at this level"),
    "fc.worst.title": ("Thiếu chỗ nhiều nhất", "Largest shortages"),
    "fc.worst.col.ward": ("Phường, xã", "Ward"),
    "fc.worst.col.pupils": ("HS dự báo", "Projected"),
    "fc.worst.col.seats": ("Chỗ học", "Seats"),
    "fc.worst.col.gap": ("Thiếu", "Short"),
    "fc.worst.col.rooms": ("Phòng thiếu", "Rooms short"),
    "fc.worst.none": (
        "Không phường, xã nào thiếu chỗ với kịch bản này.",
        "No ward is short of seats in this scenario.",
    ),
    "fc.worst.pick": ("Chọn {name}", "Choose {name}"),
    "fc.worst.band": ("khoảng 80 %: {low} – {high}", "80 % band: {low} – {high}"),
    "fc.export.table_csv": ("Bảng dự báo (CSV)", "Forecast table (CSV)"),
    "fc.export.table_xlsx": ("Bảng dự báo (Excel)", "Forecast table (Excel)"),
    "fc.export.gaps_csv": ("Chỗ thiếu theo phường (CSV)", "Seat gaps by ward (CSV)"),
    "fc.export.gaps_xlsx": ("Chỗ thiếu theo phường (Excel)", "Seat gaps by ward (Excel)"),
    "fc.empty": (
        "Kho dữ liệu chưa có số học sinh theo khối lớp qua ít nhất hai năm học, nên chưa dự "
        "báo được. Hãy nạp dữ liệu học sinh (lĩnh vực 1).",
        "The warehouse has no pupils by grade over at least two school years yet, so there is "
        "nothing to forecast. Load enrolment data (domain 1).",
    ),
    "fc.unknown_area": (
        "Không có khu vực “{area}”; đang hiển thị toàn thành phố.",
        "There is no area “{area}”; showing the whole city.",
    ),
    "fc.no_level": (
        "{area} không có học sinh {level} trong số liệu.",
        "{area} has no {level} pupils in the data.",
    ),
    "fc.note.breaks": (
        "Mô hình coi năm học {years} là năm khu vực đổi quy mô đột ngột (ví dụ trường mở, "
        "đóng) và quy đổi các năm trước theo quy mô mới.",
        "The model treated {years} as a sudden change of the area's size (e.g. a school "
        "opened or closed) and rescaled earlier years to the new size.",
    ),
    "fc.note.band": (
        "Khoảng 80 %: hiệu chỉnh trên sai số của mô hình ở 56 tỉnh (số liệu thật của Tổng cục "
        "Thống kê), nhân với độ biến động gần đây và quy mô của khu vực: rộng hơn ở nơi nhỏ "
        "hoặc tăng nhanh. Trên các tỉnh không dùng để hiệu chỉnh, khoảng chứa {coverage} kết "
        "quả thực tế (1–5 năm).",
        "80 % band: calibrated on the model's errors on 56 provinces (official GSO data) and "
        "scaled by the area's recent growth and size, so it is wider where an area is small "
        "or grows fast. On provinces held out of the calibration it contained {coverage} of "
        "the outcomes (1–5 years ahead).",
    ),
    "fc.note.beyond": (
        "Sau 5 năm, khoảng sai số được nới rộng theo số năm (sai số chỉ đo được đến 5 năm).",
        "Beyond 5 years the band widens in proportion to the years (errors "
        "were measured up to 5 years).",
    ),
    "fc.note.capacity": (
        "Chỗ học = phòng học năm học {year} × sĩ số định mức; trường nhiều cấp chia phòng "
        "theo số lớp từng cấp; chưa tính học hai ca, trường mở hoặc đóng sau {year}.",
        "Seats = classrooms of school year {year} × the norm; multi-level schools share "
        "classrooms by their classes per level; double shifts and schools opening or closing "
        "after {year} are not counted.",
    ),
    "fc.note.unreported": (
        "Năm học {year}: {missing} trong {expected} cơ sở của khu vực này chưa báo cáo sĩ số.",
        "School year {year}: {missing} of the {expected} institutions of this area have not "
        "reported their pupils.",
    ),
    "fc.note.estimated": (
        "Trường chưa báo cáo được ước tính từ số liệu các năm trước của chính trường (◇ trên "
        "biểu đồ), để tổng không giảm vì báo cáo muộn: {years}.",
        "Schools that did not report are estimated from their own earlier figures (◇ on the "
        "chart), so a sum does not drop because reports are late: {years}.",
    ),
    "fc.note.estimated_year": (
        "{year}: {n} trường ước tính (≈ {pupils} học sinh)",
        "{year}: {n} schools estimated (≈ {pupils} pupils)",
    ),
    "fc.chart.estimated": ("{n} trường ước tính", "{n} schools estimated"),
    "fc.note.population": (
        "Dân số: kho chỉ có điều tra 2019 nên mô hình dự báo theo dòng học sinh; khi nạp dự "
        "báo dân số theo năm, mô hình sẽ dùng.",
        "Population: the warehouse holds only the 2019 census, so the model projects from "
        "the flow of pupils; population projections, once loaded, will be used.",
    ),
    "fc.note.history": (
        "Lịch sử theo phường, xã 2025: số liệu mỗi trường được cộng theo phường mới của "
        "trường cho mọi năm (chính xác, không chia tách).",
        "History in 2025 wards: each school's figures are summed by its 2025 ward for every "
        "year (exact, nothing divided).",
    ),
    "fc.note.map_levers": (
        "Trên bản đồ: kịch bản di cư áp cho {n} phường, xã của khu vực; phòng học xây mới chỉ "
        "hiện trên bản đồ khi chọn một phường, xã.",
        "On the map: the migration change applies to the area's {n} wards; new classrooms "
        "show on the map only when a ward is chosen.",
    ),
    "fc.note.engine": ("Ghi chú kỹ thuật của mô hình (tiếng Anh)", "Model notes (English)"),
    "fc.worst.no_seats": (
        "—: chưa có số phòng học của phường, xã năm học {year}.",
        "—: no classroom figures for the ward in school year {year}.",
    ),
}
add_texts(TEXTS)


def level_name(level: str, lang: str | None = None, *, inline: bool = False) -> str:
    """The level's name in the current language (``inline``: lower case inside English text)."""
    vi, en = LEVEL_NAMES.get(level, (level, level))
    if (lang or current_language()) == "en":
        return en.lower() if inline else en
    return vi
