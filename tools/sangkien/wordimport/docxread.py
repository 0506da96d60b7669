"""A DOCX file -> blocks (blocks.py), with the cost bounded before anything is inflated.

Only the standard library reads the file: zipfile for the package (sizes checked from the ZIP
directory first, then every read capped), xml.etree for the parts (a DOCTYPE is refused, so no
entity is ever expanded). Refusals are `Refusal` with a coded problem; nothing here raises
anything else for a bad file.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sangkien.codes import problem
from sangkien.problems import Problem
from sangkien.wordimport.blocks import Block, Image, Paragraph, Table
from sangkien.wordimport.rules import convert, legacy_of, rules

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
               ".bmp": "image/bmp", ".emf": "image/x-emf", ".wmf": "image/x-wmf", ".tif": "image/tiff", ".tiff": "image/tiff"}
_HEADING = re.compile(r"^heading\s*([1-9])$")


class Refusal(Exception):
    """The file cannot be read as a DOCX; `problem` says why and what to do."""

    def __init__(self, found: Problem) -> None:
        super().__init__(found.message)
        self.problem = found


def _refuse(code: str, name: str, what: str, fix: str | None = None) -> Refusal:
    return Refusal(problem(code, name, 1, 1, what, fix))


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB".replace(".", ",")


@dataclass
class Style:
    name: str
    based_on: str | None = None
    level: int = 0
    numbered: bool = False
    num_id: str | None = None
    font: str | None = None
    bold: bool | None = None


@dataclass
class Package:
    name: str
    zf: zipfile.ZipFile
    styles: dict[str, Style] = field(default_factory=dict)
    default_font: str | None = None
    ordered_nums: set[str] = field(default_factory=set)
    rels: dict[str, str] = field(default_factory=dict)

    def read(self, member: str, limit: int) -> bytes:
        try:
            info = self.zf.getinfo(member)
        except KeyError:
            return b""
        if info.file_size > limit:
            raise _refuse("SK033", self.name, f"phần «{member}» trong tệp Word giải nén ra {_size(info.file_size)}, vượt giới hạn {_size(limit)}.")
        try:
            with self.zf.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as err:
            raise _refuse("SK030", self.name, f"tệp Word bị hỏng, không đọc được phần «{member}» ({err}).") from err
        if len(data) > limit:
            raise _refuse("SK033", self.name, f"phần «{member}» giải nén ra quá {_size(limit)}.")
        return data


def _xml(pkg: Package, member: str, limit: int) -> ET.Element | None:
    raw = pkg.read(member, limit)
    if not raw:
        return None
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw:
        raise _refuse("SK030", pkg.name, f"phần «{member}» có khai báo DOCTYPE/ENTITY, không phải tệp Word thông thường.")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as err:
        raise _refuse("SK030", pkg.name, f"tệp Word bị hỏng: phần «{member}» không đọc được ({err}).") from err


def check_bytes(name: str, head: bytes, size: int) -> None:
    """The checks on the first bytes (up to HEAD) and the size, before the ZIP is opened."""
    limits = rules()["limits"]
    if head.startswith(OLE):
        if ENCRYPTED in head:
            raise _refuse("SK032", name, "tệp Word được đặt mật khẩu nên không đọc được nội dung.")
        raise _refuse("SK031", name, "đây là tệp Word cũ (.doc, Word 97–2003), không phải .docx.")
    if size > limits["file_bytes"]:
        raise _refuse("SK033", name, f"tệp nặng {_size(size)}, vượt giới hạn {_size(limits['file_bytes'])}.")
    if not head.startswith(b"PK"):
        raise _refuse("SK030", name, "tệp không phải tệp Word .docx (không phải tệp nén ZIP của Word).")


HEAD = 1 << 20  # where an OLE file's directory (EncryptedPackage) is looked for


def open_package(path: Path) -> Package:
    name = path.name
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(HEAD)
    check_bytes(name, head, size)
    data = path.read_bytes()  # at most limits.file_bytes: checked above
    if len(data) > rules()["limits"]["file_bytes"]:
        raise _refuse("SK033", name, f"tệp nặng hơn giới hạn {_size(rules()['limits']['file_bytes'])}.")
    limits = rules()["limits"]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise _refuse("SK030", name, f"tệp Word bị hỏng, không mở được ({err}).") from err
    if len(infos) > limits["members"]:
        raise _refuse("SK033", name, f"tệp có {len(infos)} phần bên trong, vượt giới hạn {limits['members']}.")
    total = sum(i.file_size for i in infos)
    if total > limits["uncompressed_bytes"]:
        raise _refuse("SK033", name, f"tệp giải nén ra {_size(total)}, vượt giới hạn {_size(limits['uncompressed_bytes'])}.")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > limits["ratio"] * max(i.compress_size, 1):
            raise _refuse("SK033", name, f"phần «{i.filename}» nén với tỷ lệ bất thường (có thể là tệp «bom nén»).")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise _refuse("SK030", name, "tệp nén không có phần word/document.xml nên không phải tệp Word .docx.")
    return Package(name, zf)


# ---------------------------------------------------------------- styles, numbering, relationships
def _on(el: ET.Element | None) -> bool | None:
    if el is None:
        return None
    return el.get(f"{W}val", "true") not in ("0", "false", "off")


def _font(rpr: ET.Element | None) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(f"{W}rFonts")
    if fonts is None:
        return None
    return fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi")


def _load_styles(pkg: Package) -> None:
    limits = rules()["limits"]
    root = _xml(pkg, "word/styles.xml", limits["document_xml_bytes"])
    if root is not None:
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        pkg.default_font = _font(defaults)
        for s in root.findall(f"{W}style"):
            sid = s.get(f"{W}styleId") or ""
            name_el = s.find(f"{W}name")
            name = name_el.get(f"{W}val", sid) if name_el is not None else sid
            based = s.find(f"{W}basedOn")
            style = Style(name, based.get(f"{W}val") if based is not None else None)
            m = _HEADING.match(name.lower()) or _HEADING.match(sid.lower())
            ppr = s.find(f"{W}pPr")
            outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
            if m:
                style.level = int(m.group(1))
            elif name.lower() == "title":
                style.level = 1
            elif outline is not None and (outline.get(f"{W}val") or "").isdigit() and int(outline.get(f"{W}val") or 9) < 9:
                style.level = int(outline.get(f"{W}val") or 0) + 1
            num = ppr.find(f"{W}numPr/{W}numId") if ppr is not None else None
            if num is not None:
                style.num_id = num.get(f"{W}val")
            style.numbered = "list number" in name.lower()
            rpr = s.find(f"{W}rPr")
            style.font = _font(rpr)
            style.bold = _on(rpr.find(f"{W}b")) if rpr is not None else None
            pkg.styles[sid] = style
    numbering = _xml(pkg, "word/numbering.xml", limits["document_xml_bytes"])
    if numbering is not None:
        ordered_abstract = set()
        for ab in numbering.findall(f"{W}abstractNum"):
            fmt = ab.find(f"{W}lvl/{W}numFmt")
            if fmt is not None and fmt.get(f"{W}val") not in ("bullet", "none"):
                ordered_abstract.add(ab.get(f"{W}abstractNumId"))
        for num in numbering.findall(f"{W}num"):
            ab_id = num.find(f"{W}abstractNumId")
            if ab_id is not None and ab_id.get(f"{W}val") in ordered_abstract:
                pkg.ordered_nums.add(num.get(f"{W}numId") or "")
    rels = _xml(pkg, "word/_rels/document.xml.rels", limits["document_xml_bytes"])
    if rels is not None:
        for rel in rels.findall(f"{PKG_REL}Relationship"):
            if rel.get("TargetMode") != "External":
                pkg.rels[rel.get("Id") or ""] = posixpath.normpath(posixpath.join("word", rel.get("Target") or ""))


def _style_chain(pkg: Package, sid: str | None) -> list[Style]:
    chain: list[Style] = []
    while sid and sid in pkg.styles and len(chain) < 20:
        chain.append(pkg.styles[sid])
        sid = pkg.styles[sid].based_on
    return chain


# ---------------------------------------------------------------- the body
class _Reader:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.image_bytes = rules()["limits"]["image_bytes"]

    def body(self, container: ET.Element) -> None:
        for child in container:
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
                content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
                if content is not None:
                    self.body(content)

    def _runs(self, p: ET.Element, pstyle: list[Style]) -> tuple[str, bool, str | None, list[str]]:
        """(text, every run bold, legacy table used, image relationship ids)."""
        parts: list[str] = []
        bolds: list[bool] = []
        legacy: str | None = None
        images: list[str] = []
        style_font = next((s.font for s in pstyle if s.font), None)
        style_bold = next((s.bold for s in pstyle if s.bold is not None), False)

        def walk(el: ET.Element) -> None:
            nonlocal legacy
            for child in el:
                tag = child.tag
                if tag in (f"{W}del", f"{W}txbxContent", f"{W}pPr", f"{W}rPr", f"{W}instrText"):
                    continue
                if tag == f"{W}r":
                    rpr = child.find(f"{W}rPr")
                    rstyle = rpr.find(f"{W}rStyle") if rpr is not None else None
                    cstyle = _style_chain(self.pkg, rstyle.get(f"{W}val") if rstyle is not None else None)
                    font = _font(rpr) or next((s.font for s in cstyle if s.font), None) or style_font or self.pkg.default_font
                    bold = _on(rpr.find(f"{W}b")) if rpr is not None else None
                    if bold is None:
                        bold = next((s.bold for s in cstyle if s.bold is not None), None)
                    text = "".join(self._run_text(child, images))
                    which = legacy_of(font)
                    if which and text:
                        text = convert(text, which[0], which[1])
                        legacy = which[0]
                    if text.strip():
                        bolds.append(bool(style_bold if bold is None else bold))
                    parts.append(text)
                else:
                    walk(child)

        walk(p)
        text = unicodedata.normalize("NFC", "".join(parts))
        return text, bool(bolds) and all(bolds), legacy, images

    def _run_text(self, run: ET.Element, images: list[str]) -> list[str]:
        out: list[str] = []
        for el in run.iter():
            if el.tag == f"{W}t":
                out.append(el.text or "")
            elif el.tag in (f"{W}tab", f"{W}ptab"):
                out.append(" ")
            elif el.tag in (f"{W}br", f"{W}cr"):
                if el.get(f"{W}type") not in ("page", "column"):
                    out.append("\n")
            elif el.tag == f"{W}noBreakHyphen":
                out.append("-")
            elif el.tag == f"{A}blip":
                rid = el.get(f"{R}embed")
                if rid:
                    images.append(rid)
            elif el.tag == f"{V}imagedata":
                rid = el.get(f"{R}id")
                if rid:
                    images.append(rid)
        return out

    def paragraph(self, p: ET.Element, in_table: bool = False) -> str:
        ppr = p.find(f"{W}pPr")
        pstyle_el = ppr.find(f"{W}pStyle") if ppr is not None else None
        sid = pstyle_el.get(f"{W}val") if pstyle_el is not None else "Normal"
        chain = _style_chain(self.pkg, sid)
        text, bold, legacy, images = self._runs(p, chain)
        if in_table:
            return text
        self.paragraphs += 1
        level = next((s.level for s in chain if s.level), 0)
        outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
        if outline is not None and (outline.get(f"{W}val") or "").isdigit() and int(outline.get(f"{W}val") or 9) < 9:
            level = int(outline.get(f"{W}val") or 0) + 1
        num = ppr.find(f"{W}numPr/{W}numId") if ppr is not None else None
        num_id = num.get(f"{W}val") if num is not None else next((s.num_id for s in chain if s.num_id), None)
        is_list = (num_id not in (None, "0")) or any(s.name.lower().startswith("list ") for s in chain)
        ordered = (num_id in self.pkg.ordered_nums) or any(s.numbered for s in chain)
        name = chain[0].name if chain else (sid or "Normal")
        if level:
            is_list = False
        self.blocks.append(Paragraph(text, name, level, is_list, is_list and ordered, bold, self.paragraphs, legacy))
        for rid in images:
            self.image(rid)
        return text

    def image(self, rid: str) -> None:
        target = self.pkg.rels.get(rid)
        if not target:
            return
        ext = posixpath.splitext(target)[1].lower()
        data = self.pkg.read(target, self.image_bytes)
        self.blocks.append(Image(posixpath.basename(target), IMAGE_TYPES.get(ext, "application/octet-stream"), target, data))

    def cell_text(self, tc: ET.Element) -> str:
        lines: list[str] = []
        for child in tc:
            if child.tag == f"{W}p":
                lines.append(self.paragraph(child, in_table=True))
            elif child.tag == f"{W}tbl":
                for tr in child.findall(f"{W}tr"):
                    lines.append(" ".join(self.cell_text(c) for c in tr.findall(f"{W}tc")))
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    lines.append(self.cell_text(content))
        return "\n".join(lines).strip("\n")

    def table(self, tbl: ET.Element) -> None:
        self.tables += 1
        rows: list[list[str]] = []
        for tr in [*tbl.findall(f"{W}tr"), *tbl.findall(f"{W}sdt/{W}sdtContent/{W}tr")]:
            row: list[str] = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span_el = tcpr.find(f"{W}gridSpan") if tcpr is not None else None
                span = int(span_el.get(f"{W}val") or 1) if span_el is not None and (span_el.get(f"{W}val") or "").isdigit() else 1
                text = self.cell_text(tc)
                row.extend([text] * max(1, min(span, 50)))
            rows.append(row)
        self.blocks.append(Table(rows, self.tables))


def read_blocks(path: Path) -> list[Block]:
    """The blocks of a DOCX; Refusal when it is not one we can read."""
    pkg = open_package(path)
    try:
        _load_styles(pkg)
        root = _xml(pkg, "word/document.xml", rules()["limits"]["document_xml_bytes"])
        body = root.find(f"{W}body") if root is not None else None
        if body is None:
            raise _refuse("SK030", pkg.name, "tệp Word không có phần nội dung (w:body).")
        reader = _Reader(pkg)
        reader.body(body)
        return reader.blocks
    finally:
        pkg.zf.close()


def as_json(blocks: list[Block]) -> list[dict[str, Any]]:
    return [b.as_json() for b in blocks]
