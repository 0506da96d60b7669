"""A Word file made twice from the same data has the same bytes (the site publishes the Word
templates at every build; a dossier made again must not look changed)."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from docx import Document
from sangkien.council import docxkit


def test_the_same_document_gives_the_same_bytes_whatever_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = docxkit.new_document("Mẫu thử")
    docxkit.para(doc, "Tên sáng kiến: Số hóa hồ sơ một cửa")
    first = docxkit.to_bytes(doc)
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)  # zipfile dates parts with time.localtime(time.time())
    second = docxkit.to_bytes(doc)
    assert first == second
    parts = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in parts.infolist()} == {docxkit.ZIP_EPOCH}
    assert "word/document.xml" in parts.namelist()
    assert Document(io.BytesIO(first)).paragraphs[-1].text == "Tên sáng kiến: Số hóa hồ sơ một cửa"  # still a Word document
