"""The intermediate document model: a DOCX body as an ordered list of blocks (JSON-shaped).

    {"kind": "paragraph", "style": "Heading 2", "level": 2, "list": false, "ordered": false,
     "bold": true, "text": "Thực trạng"}
        style: the paragraph style's name as Word shows it ("Normal", "Heading 1", "List Bullet");
        level: 1-9 for a heading (Heading N; Title counts as 1), 0 otherwise;
        list: the paragraph is a list item (a List style or w:numPr); ordered: a numbered list;
        bold: every run with text is bold; text: the runs' text joined, TCVN3/VNI runs converted
        to Unicode (rules.json "fonts"), tabs as spaces, line breaks as "\n", NFC.
    {"kind": "table", "rows": [["cell text", ...], ...]}
        every row of the table in order; a cell's paragraphs joined by "\n" (merged cells repeat
        their text, as python-docx and the browser's reader both give them);
    {"kind": "image", "name": "image1.png", "content_type": "image/png", "ref": "word/media/image1.png"}
        an inline picture, in the place of the paragraph that holds it (after that paragraph's text).

Nested tables are read as the text of their cells. Paragraph numbers in problems count the
document's paragraphs from 1 (blocks of kind paragraph, in order); table numbers count tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Paragraph:
    text: str
    style: str = "Normal"
    level: int = 0
    list: bool = False
    ordered: bool = False
    bold: bool = False
    number: int = 0  # 1-based among paragraphs
    legacy: str | None = None  # "tcvn3" / "vni" if a run was converted

    def as_json(self) -> dict[str, Any]:
        return {"kind": "paragraph", "style": self.style, "level": self.level, "list": self.list, "ordered": self.ordered,
                "bold": self.bold, "text": self.text}


@dataclass
class Table:
    rows: list[list[str]]
    number: int = 0  # 1-based among tables

    def as_json(self) -> dict[str, Any]:
        return {"kind": "table", "rows": self.rows}


@dataclass
class Image:
    name: str
    content_type: str
    ref: str
    data: bytes = field(default=b"", repr=False)

    def as_json(self) -> dict[str, Any]:
        return {"kind": "image", "name": self.name, "content_type": self.content_type, "ref": self.ref}


Block = Paragraph | Table | Image
