"""`sangkien import FILE.docx... --campaign ID --unit ID [--out DIR]`: Word files become entries.

Each file is read (wordimport.docxread: sizes bounded, old .doc and password-protected files
refused), mapped by rules.json (wordimport.mapping), written as an entry only when it reads
completely and the one validator finds no error in it; otherwise nothing of it is written.
Given a folder or several files, one report says what each file lacks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sangkien import atomic, layout, reporters, schemas, settings, validator, vntime
from sangkien.codes import problem
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.commands.new import render_entry
from sangkien.problems import Problem
from sangkien.textnorm import fold, slugify
from sangkien.wordimport.blocks import Paragraph
from sangkien.wordimport.docxread import Refusal, read_blocks
from sangkien.wordimport.mapping import IMAGE_EXT, Reading, read

ID_MAX = 80  # the schema's slug maxLength


def register(sub: Subparsers) -> None:
    p = sub.add_parser("import", help="nhập bài sáng kiến từ tệp Word (.docx) theo mẫu",
                       description="Đọc tệp Word (.docx) điền theo mẫu (sangkien template), hoặc văn bản có đủ bảng thông tin và các đề mục "
                                   "«Thực trạng», «Giải pháp», thành tệp bài .md trong thư mục của đơn vị. Chỉ ghi khi đọc được đủ và bài "
                                   "không có lỗi; nếu không, nêu rõ chỗ thiếu trong tệp Word và cách sửa. Ghi một thư mục: nhập mọi tệp .docx "
                                   "trong đó và báo cáo từng tệp.")
    p.add_argument("files", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp .docx, hoặc thư mục chứa các tệp .docx")
    p.add_argument("--campaign", required=True, metavar="MÃ_ĐỢT", help="mã đợt phát động (tên thư mục trong entries/)")
    p.add_argument("--unit", required=True, metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị nộp bài (trong entries/units.yaml)")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC",
                   help="ghi bài vào thư mục này thay cho thư mục của đơn vị (entries/<đợt>/<đơn vị>/)")
    add_root(p)
    p.set_defaults(func=run)


@dataclass
class Outcome:
    name: str
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.written) and not any(p.is_error for p in self.problems)


def _files(given: list[str]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".docx", ".doc") and not p.name.startswith("~$"))
            if not found:
                problems.append(problem("SK922", name, 1, 1, f"Thư mục «{name}» không có tệp .docx nào."))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(problem("SK901", name, 1, 1, f"Không tìm thấy tệp hoặc thư mục «{name}»."))
    return files, problems


def _taken(root: Path, entry_id: str) -> str | None:
    """The path of an existing file with this id, if any."""
    for path in sorted((root / layout.ENTRIES).rglob(f"{entry_id}.md")):
        return path.relative_to(root).as_posix()
    return None


def entry_id(title: str) -> str:
    """The title's slug, cut at a word boundary when longer than an id may be (80)."""
    full = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    if len(full) <= ID_MAX:
        return full
    return full[:ID_MAX + 1].rsplit("-", 1)[0] or slugify(title)


def compose(reading: Reading, campaign: str, unit: str, today: str, schema: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The entry's front matter in the schema's order, and its body with image links."""
    data: dict[str, Any] = dict(reading.data)
    title = str(data.get("title", ""))
    data.update({"id": entry_id(title), "campaign": campaign, "unit": unit})
    data.setdefault("submitted", today)
    body = reading.body
    attachments: list[dict[str, Any]] = list(data.get("attachments") or [])
    for n, (caption, image) in enumerate(reading.images, start=1):
        ext = IMAGE_EXT.get(image.content_type)
        placeholder = f"\0image{n}"
        if ext is None:
            body = body.replace(placeholder, "")
            continue
        name = f"{data['id']}-hinh-{n}{ext}"
        body = body.replace(placeholder, f"![{caption}]({name})")
        attachments.append({"kind": "hinh-anh", "title": caption, "file": name})
    if attachments:
        data["attachments"] = attachments
    body = "\n\n".join(part for part in body.split("\n\n") if part.strip())
    return schemas.ordered(data, schema, schema), body


def import_one(root: Path, path: Path, campaign: str, unit: str, out: Path | None, today: str, schema: dict[str, Any]) -> Outcome:
    shown = path.as_posix()
    outcome = Outcome(shown)
    try:
        blocks = read_blocks(path)
    except Refusal as refusal:
        outcome.problems.append(refusal.problem)
        return outcome
    except OSError as err:
        outcome.problems.append(problem("SK030", shown, 1, 1, f"Không đọc được tệp ({err.strerror or err})."))
        return outcome
    reading = read(shown, blocks)
    outcome.problems.extend(reading.problems)
    for n, (_, image) in enumerate(reading.images, start=1):
        if image.content_type not in IMAGE_EXT:
            outcome.problems.append(problem("SK045", shown, 1, 1, f"Hình {n} ({image.name}) có dạng {image.content_type}, không lưu được vào kho."))
    converted = [b for b in blocks if isinstance(b, Paragraph) and b.legacy]
    legacy = sorted({b.legacy for b in converted if b.legacy})
    if legacy:
        numbers = [str(b.number) for b in converted]
        fonts = " và ".join({"tcvn3": "TCVN3 (.VnTime)", "vni": "VNI"}[x] for x in legacy)
        outcome.problems.append(problem("SK042", shown, 1, 1, f"Đoạn {', '.join(numbers[:8])}{'…' if len(numbers) > 8 else ''}: chữ phông {fonts} đã được chuyển sang Unicode."))
    if reading.errors:
        return outcome
    if "submitted" not in reading.data:
        outcome.problems.append(problem("SK047", shown, 1, 1, f"Không thấy ngày nộp hay ngày ký đơn; ghi ngày nhập {vntime.show_date(vntime.parse_typed_date(today))}."))
    data, body = compose(reading, campaign, unit, today, schema)
    entry_id = str(data["id"])
    if not entry_id:
        outcome.problems.append(problem("SK037", shown, 1, 1, "Tên sáng kiến không có chữ hay số nào để đặt mã bài.", "Sửa «Tên sáng kiến» cho rõ nội dung."))
        return outcome
    rel = layout.entry_path(campaign, unit, entry_id)
    taken = _taken(root, entry_id)
    images = [(str(a["file"]), img) for a, (_, img) in zip([a for a in data.get("attachments", []) if str(a.get("file", "")).startswith(f"{entry_id}-hinh-")],
                                                             [i for i in reading.images if i[1].content_type in IMAGE_EXT], strict=False)]
    targets = [out / f"{entry_id}.md", *(out / n for n, _ in images)] if out is not None else []
    clash = taken or next((t.as_posix() for t in targets if t.exists()), None) or \
        next((f"{layout.ENTRIES}/{campaign}/{unit}/{n}" for n, _ in images if (root / layout.ENTRIES / campaign / unit / n).exists()), None)
    if clash:
        outcome.problems.append(problem("SK043", shown, 1, 1, f"Mã bài «{entry_id}» (từ tên sáng kiến) đã có: {clash}."))
        return outcome
    # Stage in the unit's folder so the one validator judges it in place; removed unless it is clean and stays there.
    staged = [root / rel, *(root / layout.ENTRIES / campaign / unit / n for n, _ in images)]
    text = render_entry(data, body)
    try:
        atomic.write_text(staged[0], text)
        for (_, img), target in zip(images, staged[1:], strict=True):
            atomic.write_bytes(target, img.data)
        report = validator.validate(root, [str(p) for p in staged])
    except BaseException:
        _remove(staged)
        raise
    errors = report.errors
    if errors:
        _remove(staged)
        outcome.problems.append(problem("SK044", shown, 1, 1, f"Bài «{entry_id}» đọc được nhưng có {len(errors)} lỗi khi kiểm tra (nêu bên dưới, theo dòng của tệp bài sẽ ghi {rel})."))
        outcome.problems.extend(errors)
        return outcome
    outcome.problems.extend(report.warnings)
    if out is None:
        outcome.written = [p.relative_to(root).as_posix() for p in staged]
        return outcome
    try:
        atomic.write_text(targets[0], text)
        for (_, img), target in zip(images, targets[1:], strict=True):
            atomic.write_bytes(target, img.data)
    finally:
        _remove(staged)
    outcome.written = [t.as_posix() for t in targets]
    return outcome


def _remove(paths: list[Path]) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        reporters.show([problem("SK901", ".", 1, 1, f"Không thấy thư mục entries/ trong {root}.", "Chạy lệnh trong kho sáng kiến, hoặc ghi --root.")], sys.stdout)
        return 2
    now = settings.now()
    loaded = validator.load(root)
    camp = loaded.repo.campaigns.get(args.campaign)
    wrong = []
    if camp is None or camp.kind == "thi-dua":
        known = ", ".join(sorted(c.id for c in loaded.repo.campaigns.values() if c.kind != "thi-dua"))
        wrong.append(problem("SK921", "--campaign", 1, 1, f"Không có đợt nhận bài sáng kiến «{args.campaign}». Các đợt hiện có: {known}."))
    if args.unit not in loaded.repo.units:
        wrong.append(problem("SK921", "--unit", 1, 1, f"Đơn vị «{args.unit}» không có trong danh mục entries/units.yaml."))
    out: Path | None = args.out
    if out is not None:
        out = out.resolve()
        if out == (root / layout.ENTRIES / args.campaign / args.unit).resolve():
            out = None
        elif not out.is_dir() or not os.access(out, os.W_OK):
            wrong.append(problem("SK923", str(args.out), 1, 1, f"«{args.out}» không phải thư mục ghi được."))
    files, missing = _files(args.files)
    if wrong or (missing and not files):
        reporters.show(wrong + missing, sys.stdout)
        print("Chưa nhập tệp nào.")
        return 2
    (root / layout.ENTRIES / args.campaign / args.unit).mkdir(parents=True, exist_ok=True)
    schema = schemas.load_schema(root, "entry")
    today = vntime.local_date(now).isoformat()
    outcomes = [import_one(root, f, args.campaign, args.unit, out, today, schema) for f in files]
    reporters.show(missing, sys.stdout)
    for o in outcomes:
        if len(outcomes) > 1:
            print(f"\n── {o.name}")
        reporters.show(o.problems, sys.stdout)
        if o.ok:
            print(f"Đã nhập {o.name} → {', '.join(o.written)}")
        else:
            print(f"Chưa nhập {o.name}: sửa các lỗi trên trong tệp Word rồi chạy lại lệnh; không có tệp nào được ghi.")
    done = sum(1 for o in outcomes if o.ok)
    print(f"\nĐã đọc {len(outcomes)} tệp Word: {done} tệp đã nhập, {len(outcomes) - done} tệp chưa nhập được.")
    return 0 if done == len(outcomes) and not missing else 1
