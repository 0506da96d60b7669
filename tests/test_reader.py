"""The strict reader: bytes -> text -> front matter + body, every bad input a coded problem."""

from __future__ import annotations

import unicodedata

from sangkien import reader

ENTRY = "---\nid: mot-cua\ntitle: Một cửa số hóa\n---\n\n## Thực trạng\n\nNội dung.\n"


def codes(doc: reader.Document) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in doc.problems]


def test_plain_utf8_file_reads_without_problems():
    doc = reader.read_markdown(ENTRY.encode("utf-8"), "a.md")
    assert doc.problems == []
    assert doc.data == {"id": "mot-cua", "title": "Một cửa số hóa"}
    assert doc.body.startswith("\n## Thực trạng")
    assert doc.body_line == 5
    assert doc.parsed.where(("title",)) == (3, 8)


def test_bom_is_accepted_with_warning_sk002():
    doc = reader.read_markdown(b"\xef\xbb\xbf" + ENTRY.encode("utf-8"), "a.md")
    assert codes(doc) == [("SK002", 1, 1)]
    assert doc.problems[0].severity == "warning"
    assert doc.data["title"] == "Một cửa số hóa"
    assert "Cách sửa:" in doc.problems[0].message


def test_nfd_text_warns_sk003_at_its_line():
    text = ENTRY.replace("Nội dung.", unicodedata.normalize("NFD", "Nội dung tổ hợp."))
    doc = reader.read_markdown(text.encode("utf-8"), "a.md")
    assert codes(doc) == [("SK003", 8, 1)]
    assert doc.problems[0].severity == "warning"
    assert "sangkien fix" in doc.problems[0].message
    assert doc.readable  # a warning: the data is still read


def test_utf16_is_refused_sk006():
    for raw in (ENTRY.encode("utf-16"), ENTRY.encode("utf-16-le"), ENTRY.encode("utf-16-be")):
        doc = reader.read_markdown(raw, "a.md")
        assert [p.code for p in doc.problems] == ["SK006"], raw[:4]
        assert not doc.readable


def test_invalid_utf8_sk001_with_line_and_column():
    raw = b"---\nid: mot-cua\ntitle: C" + b"\xe1i c\xe1ch\n---\n"
    doc = reader.read_markdown(raw, "a.md")
    assert codes(doc) == [("SK001", 3, 9)]
    assert "Dòng 3, cột 9" in doc.problems[0].message
    assert not doc.readable


def test_invalid_utf8_column_counts_characters_not_bytes():
    # "Tên: Nguyễn " is 12 characters but 16 bytes: an editor shows the bad byte at column 13.
    raw = "---\nTên: Nguyễn ".encode() + b"\xe1\n---\n"
    doc = reader.read_markdown(raw, "a.md")
    assert codes(doc) == [("SK001", 2, 13)]


def test_nul_byte_sk005():
    doc = reader.read_markdown(b"---\nid: a\x00b\n---\n", "a.md")
    assert [p.code for p in doc.problems] == ["SK005"]


def test_oversize_file_sk004():
    raw = ENTRY.encode("utf-8") + b"x" * (reader.MAX_FILE_BYTES + 1)
    doc = reader.read_markdown(raw, "a.md")
    assert [p.code for p in doc.problems] == ["SK004"]
    assert "KB" in doc.problems[0].message


def test_oversize_front_matter_sk004():
    big = "".join(f"k{i}: {'x' * 60}\n" for i in range(reader.MAX_FRONT_MATTER_BYTES // 60 + 10))
    doc = reader.read_markdown(f"---\n{big}---\nthân\n".encode(), "a.md")
    assert codes(doc) == [("SK004", 2, 1)]


def test_missing_opening_fence_sk010():
    doc = reader.read_markdown(b"id: mot-cua\ntitle: x\n---\n", "a.md")
    assert codes(doc) == [("SK010", 1, 1)]
    assert "id: mot-cua" in doc.problems[0].message


def test_missing_closing_fence_sk011():
    doc = reader.read_markdown(b"---\nid: mot-cua\ntitle: x\n\nthan bai\n", "a.md")
    assert [p.code for p in doc.problems] == ["SK011"]


def test_empty_front_matter_sk012():
    doc = reader.read_markdown(b"---\n---\nthan bai\n", "a.md")
    assert codes(doc) == [("SK012", 2, 1)]
    doc = reader.read_markdown(b"---\n# chi co ghi chu\n\n---\nthan\n", "a.md")
    assert [p.code for p in doc.problems] == ["SK012"]


def test_list_instead_of_mapping_sk013():
    doc = reader.read_markdown(b"---\n- id\n- title\n---\n", "a.md")
    assert codes(doc) == [("SK013", 2, 1)]
    assert not doc.readable
    doc = reader.read_yaml(b"chi la mot cau\n", "units.yaml")
    assert [p.code for p in doc.problems] == ["SK013"]


def test_crlf_file_reads_with_right_line_numbers():
    text = "---\r\nid: mot-cua\r\ntitle: Một cửa\r\ntitle: lần hai\r\n---\r\nthân\r\n"
    doc = reader.read_markdown(text.encode(), "a.md")
    assert codes(doc) == [("SK101", 4, 1)]
    ok = reader.read_markdown(ENTRY.replace("\n", "\r\n").encode(), "a.md")
    assert ok.problems == []
    assert ok.parsed.where(("title",)) == (3, 8)
    assert "\r" not in ok.body


def test_front_matter_positions_count_the_fence_line():
    doc = reader.read_markdown(b"---\na: 1\nb:\n  - x\n  - y\n---\n", "a.md")
    assert doc.parsed.where(("b", 1)) == (5, 5)
    assert doc.parsed.where(("b",), key=True) == (3, 1)


def test_tab_indentation_sk106():
    doc = reader.read_markdown(b"---\nauthors:\n\t- name: A\n---\n", "a.md")
    assert codes(doc) == [("SK106", 3, 1)]
    doc = reader.read_yaml(b"a:\n  b: 1\n  \tc: 2\n", "x.yaml")
    assert codes(doc) == [("SK106", 3, 3)]


def test_tab_inside_a_value_is_fine():
    doc = reader.read_yaml(b'a: "x\ty"\n', "x.yaml")
    assert doc.problems == [] and doc.data == {"a": "x\ty"}


def test_yaml_file_without_problems_keeps_positions():
    doc = reader.read_yaml("# ghi chú\nunits:\n  - id: a\n    name: Đơn vị\n".encode(), "units.yaml")
    assert doc.problems == []
    assert doc.parsed.where(("units", 0, "name")) == (4, 11)


def test_every_problem_says_how_to_fix_in_vietnamese():
    samples = [b"\xff\xfe-\x00", b"---\n\xe1\n---\n", b"a\x00", b"id: x\n", b"---\nid: x\n", b"---\n---\n", b"---\n- a\n---\n"]
    for raw in samples:
        for p in reader.read_markdown(raw, "a.md").problems:
            assert "Cách sửa:" in p.message, p
            assert p.file == "a.md"


def test_line_over_the_limit_sk020_once_with_the_count():
    long = "a" * (reader.MAX_LINE_CHARS + 1)
    doc = reader.read_markdown((ENTRY + long + "\n" + long + "\n").encode("utf-8"), "a.md")
    assert codes(doc) == [("SK020", 9, reader.MAX_LINE_CHARS + 1)]
    assert "20.001 ký tự" in doc.problems[0].message and "20.000" in doc.problems[0].message and "2 dòng" in doc.problems[0].message
    assert doc.data["title"] == "Một cửa số hóa"  # the file is still read: every other rule runs
    exact = "a" * reader.MAX_LINE_CHARS
    assert reader.read_markdown((ENTRY + exact + "\n").encode("utf-8"), "a.md").problems == []


def test_value_over_the_limit_sk021_at_its_line():
    value = "x" * (reader.MAX_STRING_CHARS + 1)
    doc = reader.read_yaml(f"units:\n  - id: a\n    name: {value}\n".encode(), "entries/units.yaml")
    assert codes(doc) == [("SK021", 3, 11)]
    assert "«units.0.name»" in doc.problems[0].message and "10.000 ký tự" in doc.problems[0].message
    fine = "x" * reader.MAX_STRING_CHARS
    assert reader.read_yaml(f"name: {fine}\n".encode(), "entries/units.yaml").problems == []
