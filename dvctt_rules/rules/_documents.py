"""Every document Kế hoạch 4623/KH-UBND cites, transcribed from the plan's own wording.

Kinds, numbers, dates and issuers are as the plan writes them; titles are kept only where the
plan states them (``None`` otherwise: nothing is filled in from elsewhere). Two deviations:
the plan writes the date of Tờ trình 66 as "01/08/2023", which ``str()`` renders "01/8/2023"
per Nghị định 30/2020/NĐ-CP; and the plan cites Quyết định 17 with the issuer written both
"Chuyển đổi số" (Phụ lục I) and "chuyển đổi số" (Mục tiêu): the Phụ lục I spelling is kept.

>>> print(DOCUMENTS["NQ_01_CP"])
Nghị quyết số 01/NQ-CP ngày 06/01/2023 của Chính phủ
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from ._citation import Citation

__all__ = [
    "CV_1284_BTTTT",
    "CV_2413_VPTU",
    "DOCUMENTS",
    "KH_4623",
    "ND_42_2022",
    "ND_335_2025",
    "NQ_01_CP",
    "NQ_05_NQ_TU",
    "QD_17_UBQGCDS",
    "QD_468_TTG",
    "QD_766_TTG",
    "QD_922_BTTTT",
    "TTR_66_STTTT",
]

QD_17_UBQGCDS = Citation(
    "Quyết định",
    "17/QĐ-UBQGCĐS",
    "Ủy ban Quốc gia về Chuyển đổi số",
    date(2023, 4, 4),
    title="ban hành Kế hoạch hoạt động của Ủy ban Quốc gia về chuyển đổi số năm 2023",
)
CV_1284_BTTTT = Citation(
    "Công văn",
    "1284/BTTTT-CĐSQG",
    "Bộ Thông tin và Truyền thông",
    date(2023, 4, 12),
    title=(
        "về việc nâng cao hiệu quả, tăng tỷ lệ sử dụng dịch vụ công trực tuyến (DVCTT),"
        " đảm bảo dễ sử dụng, thân thiện với người dùng"
    ),
)
# The plan names the issuer "Ban Thường vụ Tỉnh ủy" (of Bình Dương, as the title says).
NQ_05_NQ_TU = Citation(
    "Nghị quyết",
    "05-NQ/TU",
    "Ban Thường vụ Tỉnh ủy",
    date(2022, 5, 19),
    title="về chuyển đổi số tỉnh Bình Dương đến năm 2025, định hướng đến năm 2030",
)
CV_2413_VPTU = Citation(
    "Công văn",
    "2413-CV/VPTU",
    "Văn phòng Tỉnh ủy",
    date(2023, 5, 8),
    title="về công tác chuyển đổi số, cải cách hành chính và thực hiện Đề án 06",
)
# The plan writes "ngày 01/08/2023"; rendered "01/8/2023" (Nghị định 30/2020/NĐ-CP).
TTR_66_STTTT = Citation("Tờ trình", "66/TTr-STTTT", "Sở Thông tin và Truyền thông", date(2023, 8, 1))
QD_922_BTTTT = Citation("Quyết định", "922/QĐ-BTTTT", "Bộ Thông tin và Truyền thông", date(2022, 5, 20))
NQ_01_CP = Citation("Nghị quyết", "01/NQ-CP", "Chính phủ", date(2023, 1, 6))
QD_468_TTG = Citation("Quyết định", "468/QĐ-TTg", "Thủ tướng Chính phủ", date(2021, 3, 27))
ND_42_2022 = Citation(
    "Nghị định",
    "42/2022/NĐ-CP",
    "Chính phủ",
    date(2022, 6, 24),
    title=("quy định về việc cung cấp thông tin và DVCTT của cơ quan nhà nước trên môi trường mạng"),
)
QD_766_TTG = Citation(
    "Quyết định",
    "766/QĐ-TTg",
    "Thủ tướng Chính phủ",
    date(2022, 6, 23),
    title=(
        "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp"
        " trong thực hiện TTHC, DVC theo thời gian thực trên môi trường điện tử"
    ),
)
KH_4623 = Citation(
    "Kế hoạch",
    "4623/KH-UBND",
    "UBND tỉnh Bình Dương",
    date(2023, 9, 7),
    title="Kế hoạch hành động nâng cao chất lượng và hiệu quả cung cấp DVCTT trên địa bàn tỉnh Bình Dương",
)
# Not cited by the plan: the basis of the grade bands (hoàn thành xuất sắc / tốt / hoàn thành /
# không hoàn thành nhiệm vụ). Its date of issue is not in our sources, so it is left unknown.
ND_335_2025 = Citation("Nghị định", "335/2025/NĐ-CP", "Chính phủ", None)

DOCUMENTS: Mapping[str, Citation] = MappingProxyType(
    {
        "QD_17_UBQGCDS": QD_17_UBQGCDS,
        "CV_1284_BTTTT": CV_1284_BTTTT,
        "NQ_05_NQ_TU": NQ_05_NQ_TU,
        "CV_2413_VPTU": CV_2413_VPTU,
        "TTR_66_STTTT": TTR_66_STTTT,
        "QD_922_BTTTT": QD_922_BTTTT,
        "NQ_01_CP": NQ_01_CP,
        "QD_468_TTG": QD_468_TTG,
        "ND_42_2022": ND_42_2022,
        "QD_766_TTG": QD_766_TTG,
        "KH_4623": KH_4623,
        "ND_335_2025": ND_335_2025,
    }
)
"""Every citation constant by its name, in the order the plan cites them (a read-only mapping)."""
