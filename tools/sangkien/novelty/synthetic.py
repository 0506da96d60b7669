"""Synthetic initiatives for the benchmark and the index tests: plausible administrative
Vietnamese assembled at random from phrase banks, deterministic for a given seed.

Each entry mixes the shared administrative phrase banks with a topic of its own (made-up
two-syllable terms), as real entries share boilerplate but differ in substance.
"""

from __future__ import annotations

import random
import unicodedata

SUBJECTS = ["Bộ phận Một cửa", "UBND xã", "Văn phòng HĐND và UBND huyện", "Phòng Tư pháp", "Phòng Nội vụ", "Trung tâm Phục vụ hành chính công",
            "Chi nhánh Văn phòng đăng ký đất đai", "Phòng Tài chính - Kế hoạch", "Công an xã", "Phòng TN&MT", "Ban Quản lý các KCN", "Sở Y tế",
            "công chức Tư pháp - Hộ tịch", "công chức địa chính", "Đoàn Thanh niên", "Bảo hiểm xã hội huyện", "Phòng Văn hóa - Thông tin", "trạm y tế xã"]
ACTIONS = ["triển khai", "xây dựng", "áp dụng thử", "hướng dẫn", "rà soát", "số hóa", "chuẩn hóa", "công khai", "theo dõi", "tổng hợp",
           "đơn giản hóa", "liên thông", "tiếp nhận", "kiểm tra", "cập nhật", "phân loại", "đối chiếu", "lưu trữ"]
OBJECTS = ["hồ sơ thủ tục hành chính", "kết quả giải quyết hồ sơ", "dịch vụ công trực tuyến", "văn bản điện tử có ký số", "phiếu hẹn trả kết quả",
           "danh mục TTHC", "biểu mẫu điện tử", "dữ liệu hộ tịch", "hồ sơ đất đai", "phản ánh, kiến nghị của người dân", "chỉ số SIPAS",
           "báo cáo định kỳ", "tài khoản định danh điện tử", "lịch tiếp công dân", "quy trình nội bộ", "cơ sở dữ liệu dân cư", "mã QR tra cứu",
           "thẻ bảo hiểm y tế", "giấy chứng nhận quyền sử dụng đất", "hồ sơ đăng ký kinh doanh", "sổ theo dõi nhiệm vụ", "chữ ký số cá nhân"]
MEANS = ["qua ứng dụng Zalo", "trên Cổng dịch vụ công", "bằng phần mềm dùng chung", "tại quầy tiếp nhận", "qua dịch vụ bưu chính công ích",
         "bằng máy tính bảng", "qua tin nhắn SMS", "trên hệ thống quản lý văn bản và điều hành", "bằng bảng tính trực tuyến",
         "tại nhà văn hóa ấp", "qua tổng đài", "bằng mã vạch", "trong ngày làm việc", "vào sáng thứ Bảy"]
RESULTS = ["thời gian giải quyết giảm từ {a} ngày xuống {b} ngày", "tỷ lệ hồ sơ đúng hạn tăng từ {c}% lên {d}%",
           "chi phí in ấn giảm khoảng {e} triệu đồng mỗi năm", "số lượt người dân phải đi lại giảm {c}%",
           "tỷ lệ hồ sơ trực tuyến đạt {d}%", "mức độ hài lòng của người dân tăng lên {d}%"]
PLACES = ["xã Thành Long", "xã Hảo Đước", "thị trấn Châu Thành", "xã An Bình", "phường Phú Mỹ", "huyện Văn Lâm", "xã Phước Dân",
          "huyện Ninh Phước", "phường 3", "xã Tân Hưng", "khu công nghiệp Phố Nối A", "huyện Châu Đức"]
PROBLEMS = ["người dân phải đi lại nhiều lần", "hồ sơ thường trễ hẹn", "số liệu báo cáo chậm và sai mẫu", "công chức mất nhiều thời gian tìm hồ sơ",
            "chi phí in ấn lớn", "doanh nghiệp không nắm rõ trình tự thủ tục", "tỷ lệ nộp hồ sơ trực tuyến còn thấp", "người bệnh phải chờ lâu"]


ONSETS = ["b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t", "th", "tr", "v", "x"]
RIMES = ["a", "ai", "an", "ang", "anh", "ao", "ay", "âm", "ân", "âu", "e", "em", "en", "eo", "ê", "ên", "i", "im", "in", "inh", "o", "oa", "oan",
         "oanh", "oi", "om", "on", "ong", "ô", "ôi", "ông", "ơ", "ơi", "ơn", "u", "ui", "um", "un", "ung", "uôn", "uông", "ư", "ưa", "ưng", "ươi", "ương"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng


def _syllable(rng: random.Random) -> str:
    rime = rng.choice(RIMES)
    return unicodedata.normalize("NFC", rng.choice(ONSETS) + rime[0] + rng.choice(TONES) + rime[1:])


def topic(rng: random.Random, size: int = 15) -> list[str]:
    """Made-up two-syllable terms standing for what one initiative is about."""
    return [f"{_syllable(rng)} {_syllable(rng)}" for _ in range(size)]


def sentence(rng: random.Random, terms: list[str] | None = None) -> str:
    def own() -> str:
        return rng.choice(terms) if terms else rng.choice(OBJECTS)

    kind = rng.random()
    if kind < 0.35:
        return f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)} {own()} {rng.choice(MEANS)} để {own()} {own()}."
    if kind < 0.55:
        return f"Trước đây tại {rng.choice(PLACES)}, {rng.choice(PROBLEMS)} vì {own()} chưa được {rng.choice(ACTIONS)} {own()}."
    if kind < 0.8:
        nums = {"a": rng.randint(5, 20), "b": rng.randint(1, 4), "c": rng.randint(30, 80), "d": rng.randint(81, 99), "e": rng.randint(20, 400)}
        return f"Sau khi áp dụng {own()}, {rng.choice(RESULTS).format(**nums)}."
    return (f"Giải pháp giúp {rng.choice(SUBJECTS).lower()} {rng.choice(ACTIONS)} {own()} và "
            f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {own()} {rng.choice(MEANS)}.")


def initiative(rng: random.Random, words: int = 500) -> tuple[str, str, str]:
    """(title, summary, body) of about `words` syllables."""
    terms = topic(rng)
    title = f"{rng.choice(ACTIONS).capitalize()} {terms[0]} {rng.choice(MEANS)} tại {rng.choice(PLACES)}"
    summary = sentence(rng, terms) + " " + sentence(rng, terms)
    paragraphs, count = [], 0
    for heading in ("Thực trạng", "Giải pháp", "Kết quả", "Cách nhân rộng"):
        para = []
        while count < words * (1 + ("Thực trạng", "Giải pháp", "Kết quả", "Cách nhân rộng").index(heading)) / 4:
            s = sentence(rng, terms)
            para.append(s)
            count += len(s.split())
        paragraphs.append(f"## {heading}\n\n" + " ".join(para))
    return title, summary, "\n\n".join(paragraphs)


def front_matter(entry_id: str, campaign: str, unit: str, submitted: str, title: str, summary: str) -> str:
    def safe(s: str) -> str:
        return s.replace('"', "'")

    return (f'---\nid: {entry_id}\ntitle: "{safe(title)}"\ncampaign: {campaign}\nunit: {unit}\nsubmitted: "{submitted}"\n'
            f"participation: ca-nhan\nauthors:\n  - name: Nguyễn Văn An\n    position: Công chức\n    workplace: UBND xã\n    contribution: 100\n"
            f"field: Cải cách thủ tục hành chính\nareas: [thu-tuc-hanh-chinh]\nsolution_type: tac-nghiep\napplication_status: da-ap-dung\n"
            f'first_applied: "2023-01-15"\nscope: huyen\nconditions: Có máy tính và đường truyền Internet ổn định.\n'
            f'benefits_author: Giảm thời gian đi lại cho người dân và doanh nghiệp.\nsummary: "{safe(summary)}"\nillustrative: true\n---\n\n')
