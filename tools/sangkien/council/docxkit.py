"""Every DOCX the project writes starts here: A4 page, margins, Times New Roman, page numbers,
proofing language vi-VN, and the few paragraph and table helpers the papers share.

Margins are those of Nghị định 30/2020/NĐ-CP, Phụ lục I (top and bottom 2 cm, left 3 cm, right
2 cm). The proofing language is set in the document defaults, in every style and in the settings'
theme language, so Word and LibreOffice check Vietnamese spelling instead of flagging every word.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.styles.style import CharacterStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from sangkien.council import files

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
LANGUAGE = "vi-VN"


# ---------------------------------------------------------------- fonts and language
def _fonts_of(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)  # Word picks the font per script; Vietnamese must not fall back to Calibri
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _lang_of(rpr: BaseOxmlElement) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), LANGUAGE)


def set_font(style: CharacterStyle, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = None
    rpr = style.element.get_or_add_rPr()
    _fonts_of(rpr)
    _lang_of(rpr)


def set_language(doc: DocumentObject) -> None:
    """vi-VN (and Times New Roman) in the defaults, in every style that carries run properties,
    and as the theme language: no style is left en-US."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _fonts_of(rpr)
            _lang_of(rpr)
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None:
            _lang_of(rpr)
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is None:
        theme = OxmlElement("w:themeFontLang")
        doc.settings.element.append(theme)
    theme.set(qn("w:val"), LANGUAGE)
    theme.set(qn("w:eastAsia"), LANGUAGE)
    theme.set(qn("w:bidi"), LANGUAGE)


def new_document(title: str, first_page_number: bool = False) -> DocumentObject:
    """An empty A4 document. `first_page_number=False` leaves the first page unnumbered (a cover)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.footer_distance = Cm(1)
    section.different_first_page_header_footer = not first_page_number
    normal = doc.styles["Normal"]
    set_font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level in range(1, 4):
        heading = doc.styles[f"Heading {level}"]
        set_font(heading, BODY_PT, bold=True, italic=level == 3)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    for name in ("Title", "Footer"):
        set_font(doc.styles[name], BODY_PT if name == "Title" else 12)
    set_language(doc)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(footer)
    props = doc.core_properties
    props.title, props.author, props.language, props.comments = title, "sangkien", LANGUAGE, "Tạo bằng lệnh sangkien dossier"
    return doc


def page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice print the page number there."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


# ---------------------------------------------------------------- paragraphs and tables
def para(doc: DocumentObject | _Cell, text: str = "", bold: bool = False, italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
         size: float | None = None, space_after: float | None = None, indent_first: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if indent_first:
        p.paragraph_format.first_line_indent = Cm(1)
    return p


def labelled(doc: DocumentObject, label: str, value: str) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.add_run(f"{label}: ").bold = True
    p.add_run(value)
    return p


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
                "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def put_table_property(table: Table, element: BaseOxmlElement) -> None:
    """Add or replace one child of w:tblPr in the order the schema requires (Word refuses others)."""
    props = table._tbl.tblPr
    tag = element.tag.rsplit("}", 1)[-1]
    old = props.find(qn(f"w:{tag}"))
    if old is not None:
        props.remove(old)
    later = {qn(f"w:{t}") for t in _TBLPR_ORDER[_TBLPR_ORDER.index(tag) + 1:]}
    follower = next((child for child in props if child.tag in later), None)
    if follower is None:
        props.append(element)
    else:
        follower.addprevious(element)


def set_widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths, and the table's own width, which LibreOffice otherwise shrinks."""
    table.autofit = False
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths) / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    put_table_property(table, width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    put_table_property(table, layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice reads this one
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)  # the cells: Word reads these


def table(doc: DocumentObject, head: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Table:
    """A bordered table, 12 pt, bold centred head row repeated on every page."""
    grid: Table = doc.add_table(rows=1, cols=len(head))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, values, bold in ((grid.rows[0].cells, head, True), *((grid.add_row().cells, r, False) for r in rows)):  # type: ignore[no-untyped-call]  # python-docx's Table.add_row is unannotated
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.bold = bold or None
            run.font.size = Pt(TABLE_PT)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            if bold:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    if widths:
        set_widths(grid, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return grid


def to_bytes(doc: DocumentObject) -> bytes:
    """The document's bytes, the same for the same document: python-docx dates every part of the
    archive with the clock, which would make each site build publish a different Word template."""
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as parts, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dated:
        for info in parts.infolist():
            dated.writestr(zipfile.ZipInfo(info.filename, ZIP_EPOCH), parts.read(info), compress_type=info.compress_type)
    return out.getvalue()


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a ZIP entry can carry


def save(doc: DocumentObject, path: Path) -> int:
    return files.write_bytes(path, to_bytes(doc))


def applicant_signs(doc: DocumentObject, place_and_day: str) -> None:
    """The end of the TT 18/2013 application form: the applicant's declaration, place and date,
    «Người nộp đơn» and room to sign (the dossier and the Word template end the same way)."""
    para(doc, "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và hoàn toàn chịu trách nhiệm trước pháp luật.",
         align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True)
    para(doc, place_and_day, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    para(doc, "Người nộp đơn", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    para(doc, "(Ký và ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=48)
