"""Texts of generated quarterly reports: difficulties (5) and recommendations (6) per theme.

Written in the register of the real backlog texts of plan_2023/dx_tasks_2022_2025.csv
(short administrative statements). Each generated statement is one base phrase, sometimes
with a qualifier; about a third are typed without diacritics, as people type them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

#: Theme → (difficulties, recommendations).
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "funding": (
        (
            "Kinh phí thực hiện chuyển đổi số chưa được bố trí",
            "Nguồn kinh phí được phân bổ chậm so với kế hoạch",
            "Dự toán ngân sách năm không có mục chi cho chuyển đổi số",
            "Thiếu kinh phí duy trì, gia hạn bản quyền phần mềm",
            "Thủ tục thanh quyết toán kinh phí mua sắm còn kéo dài",
        ),
        (
            "Đề nghị Sở bố trí kinh phí thực hiện chuyển đổi số",
            "Đề nghị bổ sung dự toán ngân sách cho ứng dụng công nghệ thông tin",
            "Kiến nghị hướng dẫn nguồn kinh phí chi cho chuyển đổi số",
        ),
    ),
    "equipment": (
        (
            "Phòng máy tính xuống cấp, nhiều máy hư hỏng",
            "Số lượng máy tính chưa đủ theo đề án 762",
            "Máy tính cấu hình thấp, không cài đặt được phần mềm mới",
            "Thiếu phòng học tương tác thông minh và thiết bị trình chiếu",
            "Thiết bị dạy học trực quan cũ, thiếu màn hình tương tác",
        ),
        (
            "Đề nghị trang bị bổ sung máy tính cho phòng tin học",
            "Đề nghị đầu tư nâng cấp phòng máy đạt chuẩn",
            "Kiến nghị trang bị màn hình tương tác cho các lớp học",
        ),
    ),
    "internet": (
        (
            "Đường truyền Internet chậm, thường xuyên bị gián đoạn",
            "Băng thông không đáp ứng khi nhiều máy truy cập cùng lúc",
            "Mạng wifi chưa phủ sóng đến các phòng học",
            "Tốc độ đường truyền thấp khi tổ chức họp trực tuyến",
        ),
        (
            "Đề nghị nâng cấp đường truyền tốc độ cao cho nhà trường",
            "Đề nghị hỗ trợ lắp đặt hệ thống wifi phủ sóng toàn trường",
            "Kiến nghị nhà mạng có chính sách hỗ trợ băng thông cho cơ sở giáo dục",
        ),
    ),
    "skills": (
        (
            "Kỹ năng công nghệ thông tin của một bộ phận giáo viên còn hạn chế",
            "Giáo viên lớn tuổi còn lúng túng khi sử dụng phần mềm",
            "Cán bộ quản lý chưa được bồi dưỡng về chuyển đổi số",
            "Thiếu giáo viên có năng lực khai thác học liệu số",
        ),
        (
            "Đề nghị tổ chức tập huấn kỹ năng số cho giáo viên",
            "Đề nghị mở lớp bồi dưỡng chuyển đổi số cho cán bộ quản lý",
            "Kiến nghị tăng cường tập huấn sử dụng phần mềm quản lý",
        ),
    ),
    "staffing": (
        (
            "Chưa có nhân viên chuyên trách công nghệ thông tin",
            "Cán bộ phụ trách công nghệ thông tin kiêm nhiệm nhiều việc",
            "Thiếu biên chế vị trí việc làm công nghệ thông tin",
            "Nhân sự phụ trách chuyển đổi số thường xuyên thay đổi",
        ),
        (
            "Đề nghị bổ sung biên chế nhân viên công nghệ thông tin",
            "Đề nghị có chế độ phụ cấp cho cán bộ kiêm nhiệm công nghệ thông tin",
            "Kiến nghị bố trí vị trí việc làm chuyên trách chuyển đổi số",
        ),
    ),
    "integration": (
        (
            "Dữ liệu giữa các phần mềm chưa liên thông, phải nhập nhiều lần",
            "Phần mềm quản lý trường học chưa kết nối với cơ sở dữ liệu ngành",
            "Dữ liệu học sinh còn trùng lặp, sai lệch giữa các hệ thống",
            "Mã định danh đơn vị thay đổi sau sắp xếp địa giới hành chính, dữ liệu chưa đồng bộ",
        ),
        (
            "Đề nghị Sở xây dựng trục liên thông dữ liệu giữa các phần mềm",
            "Đề nghị thống nhất một phần mềm quản lý dùng chung toàn ngành",
            "Kiến nghị hướng dẫn chuẩn hóa, đồng bộ dữ liệu theo địa giới hành chính mới",
        ),
    ),
    "workload": (
        (
            "Khối lượng nhập liệu lớn, giáo viên mất nhiều thời gian",
            "Nhiều biểu mẫu báo cáo trùng lặp, yêu cầu báo cáo nhiều lần",
            "Thời gian cập nhật số liệu lên hệ thống quá ngắn",
            "Giáo viên vừa làm sổ sách giấy vừa nhập học bạ điện tử",
        ),
        (
            "Đề nghị giảm bớt các loại báo cáo trùng lặp",
            "Đề nghị cho phép khai thác số liệu từ hệ thống thay cho báo cáo giấy",
            "Kiến nghị kéo dài thời hạn cập nhật số liệu",
        ),
    ),
    "guidance": (
        (
            "Chưa có văn bản hướng dẫn cụ thể về học bạ số, hồ sơ điện tử",
            "Thiếu hướng dẫn về định mức, tiêu chuẩn thiết bị công nghệ thông tin",
            "Văn bản hướng dẫn triển khai chữ ký số còn chậm ban hành",
            "Chưa có quy chế quản lý, khai thác dữ liệu dùng chung",
        ),
        (
            "Đề nghị Sở sớm ban hành văn bản hướng dẫn triển khai học bạ số",
            "Đề nghị ban hành quy chế khai thác dữ liệu dùng chung",
            "Kiến nghị hướng dẫn thủ tục cấp chữ ký số cho cơ sở giáo dục",
        ),
    ),
    "security": (
        (
            "Chưa có giải pháp bảo đảm an toàn thông tin, máy tính bị nhiễm mã độc",
            "Thiếu phần mềm diệt virus có bản quyền",
            "Nguy cơ lộ lọt dữ liệu cá nhân học sinh",
            "Chưa phân cấp hệ thống thông tin theo cấp độ an toàn",
        ),
        (
            "Đề nghị trang bị phần mềm diệt virus bản quyền cho các trường",
            "Đề nghị tập huấn an toàn thông tin và bảo vệ dữ liệu cá nhân",
            "Kiến nghị hỗ trợ xây dựng hồ sơ đề xuất cấp độ an toàn hệ thống thông tin",
        ),
    ),
    "elearning": (
        (
            "Kho học liệu số còn ít, chưa phong phú",
            "Bài giảng điện tử chưa đáp ứng chương trình giáo dục phổ thông mới",
            "Nền tảng dạy học trực tuyến chưa ổn định",
            "Giáo viên chưa có thời gian xây dựng bài giảng điện tử",
        ),
        (
            "Đề nghị Sở chia sẻ kho học liệu số dùng chung",
            "Đề nghị tổ chức cuộc thi xây dựng bài giảng điện tử",
            "Kiến nghị cung cấp nền tảng dạy học trực tuyến thống nhất",
        ),
    ),
    "devices": (
        (
            "Nhiều học sinh không có thiết bị học trực tuyến",
            "Phụ huynh chưa sử dụng được ứng dụng liên lạc điện tử",
            "Gia đình học sinh khó khăn không có điện thoại thông minh",
            "Phụ huynh chưa quen thanh toán học phí không dùng tiền mặt",
        ),
        (
            "Đề nghị hỗ trợ thiết bị học tập cho học sinh có hoàn cảnh khó khăn",
            "Đề nghị hướng dẫn phụ huynh sử dụng ứng dụng liên lạc điện tử",
            "Kiến nghị vận động nguồn lực hỗ trợ máy tính bảng cho học sinh",
        ),
    ),
}
QUALIFIERS = (
    "",
    "",
    " tại đơn vị",
    " ở một số điểm trường",
    " trong quý",
    ", ảnh hưởng đến tiến độ",
    " sau khi sắp xếp đơn vị hành chính",
)
#: Share of statements typed without diacritics.
PLAIN_SHARE = 1 / 3


@lru_cache(maxsize=4096)  # the generator strips the same few hundred phrases many times
def strip_marks(text: str) -> str:
    """``text`` without tone marks or diacritics (đ → d), as typed on a plain keyboard."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def statements(rng: np.random.Generator, themes: np.ndarray, which: int) -> list[str]:
    """One statement per theme index in ``themes``: 0 difficulties, 1 recommendations."""
    names = list(THEMES)
    out = []
    picks, qualifiers, plain = rng.random((3, len(themes)))
    for theme, pick, qualifier, bare in zip(themes, picks, qualifiers, plain, strict=True):
        phrases = THEMES[names[int(theme)]][which]
        text = phrases[int(pick * len(phrases))]
        if which == 0:
            text += QUALIFIERS[int(qualifier * len(QUALIFIERS))]
        text += "."
        out.append(strip_marks(text) if bare < PLAIN_SHARE else text)
    return out
