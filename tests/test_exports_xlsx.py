"""The open data's XLSX writer (site/xlsxwrite.py): pieces deflated apart join into one valid
member, and every kind of value reads back as written."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from datetime import date, datetime

from openpyxl import load_workbook
from sangkien.site import xlsxwrite


def test_crc32_combine_equals_the_crc_of_the_joined_bytes() -> None:
    rng = random.Random(17)
    for _ in range(300):
        a, b = rng.randbytes(rng.randrange(0, 3000)), rng.randbytes(rng.randrange(0, 3000))
        assert xlsxwrite.crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_pieces_deflated_apart_inflate_as_one_stream() -> None:
    texts = [b"<row>" * 500, b"", "Việt Nam ".encode() * 300, bytes(range(256)) * 4]
    joined = xlsxwrite.chain([xlsxwrite.deflate(t) for t in texts])
    assert zlib.decompress(joined.data, -15) == b"".join(texts)
    assert (joined.crc, joined.size) == (zlib.crc32(b"".join(texts)), sum(map(len, texts)))
    book = xlsxwrite.zip_bytes([("a/b.xml", joined), ("c.xml", xlsxwrite.chain([xlsxwrite.deflate(b"<c/>")]))])
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        assert z.testzip() is None
        assert z.read("a/b.xml") == b"".join(texts)
    assert xlsxwrite.zip_bytes([("c.xml", xlsxwrite.chain([xlsxwrite.deflate(b"<c/>")]))]) == \
        xlsxwrite.zip_bytes([("c.xml", xlsxwrite.chain([xlsxwrite.deflate(b"<c/>")]))])  # no clock in the file


def test_every_kind_of_value_reads_back() -> None:
    values: list[object] = ["Một cửa", "  lề trái và phải  ", "dòng 1\r\ndòng 2\nhết", "<b>&amp;</b> \"x\" 'y'", "'=SUM(A1)",
                            0, -12, 2**40, 0.5, 1e-7, 12345.678, True, False, date(2024, 8, 1), None, ""]
    header = xlsxwrite.deflate(xlsxwrite.row(xlsxwrite.cell(f"C{i}", xlsxwrite.HEADER) for i in range(len(values))).encode())
    cells = [xlsxwrite.cell(v, xlsxwrite.DAY if isinstance(v, date) else xlsxwrite.PLAIN) for v in values]
    body = [xlsxwrite.deflate(xlsxwrite.row(cells).encode()), xlsxwrite.deflate(xlsxwrite.row(cells[:3]).encode())]
    frame = xlsxwrite.SheetFrame([10] * len(values), rows=2, links=[(2, 1, "https://example.gov.vn/a?b=1&c=2")])
    data = xlsxwrite.workbook([xlsxwrite.Sheet("Tờ «một»", frame, [header, *body]),
                               xlsxwrite.Sheet("Thông tin", xlsxwrite.SheetFrame([22, 80], frozen_header=False), [])],
                              "Tiêu đề", "Mô tả & giấy phép", "vi", datetime.fromisoformat("2026-12-10T10:00:00+07:00"))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Tờ «một»", "Thông tin"]
    sheet = book["Tờ «một»"]
    rows = list(sheet.iter_rows(values_only=True))
    expected = [v if not isinstance(v, date) else datetime(2024, 8, 1) for v in values]
    expected[-2:] = [None, None]  # an empty cell is no cell
    assert rows[1] == tuple(expected)
    assert rows[2][:3] == tuple(values[:3]) and len(rows) == 3
    assert sheet["A1"].font.b and sheet["A1"].alignment.wrap_text and sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=values.index(date(2024, 8, 1)) + 1).number_format == "DD/MM/YYYY"
    assert sheet["A2"].hyperlink.target == "https://example.gov.vn/a?b=1&c=2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(values)).column_letter}3"
    assert sheet.column_dimensions["B"].width == 10
    assert book.properties.title == "Tiêu đề" and book.properties.language == "vi"
    assert book.properties.created == datetime(2026, 12, 10, 3, 0)
