"""Rules for replication records: another unit adopting a recognised initiative.

A record is only worth publishing if the initiative exists and is recognised (in force), the
adopting unit is a different, existing unit that was valid when it started, and it did not
start before the recognition it builds on.
"""

from __future__ import annotations

from collections.abc import Iterator

from sangkien import vntime
from sangkien.codes import problem
from sangkien.model import Entry, Repository, as_date
from sangkien.problems import LINE, Problem
from sangkien.reader import Document


def check(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    seen: dict[tuple[str, str], str] = {}
    for record in sorted(repo.replications.values(), key=lambda r: r.path):
        doc = docs.get(record.path)
        if doc is None or not isinstance(record.data, dict):
            continue
        yield from _record(repo, record, doc)
        key = (str(record.data.get("initiative")), str(record.unit))
        if key in seen:
            line, col = doc.parsed.where(("initiative",))
            yield problem("SK325", record.path, line, col, f"đơn vị «{record.unit}» đã ghi nhận nhân rộng sáng kiến «{key[0]}» tại {seen[key]}.", at=LINE, key=("initiative",))
        else:
            seen[key] = record.path


def _record(repo: Repository, record: Entry, doc: Document) -> Iterator[Problem]:
    where = doc.parsed.where
    target_id = record.data.get("initiative")
    unit_id = record.unit
    unit = repo.units.get(unit_id or "")
    if isinstance(unit_id, str) and unit is None:
        line, col = where(("unit",))
        yield problem("SK303", record.path, line, col, f"đơn vị «{unit_id}» không có trong danh mục entries/units.yaml.", at=LINE, key=("unit",))
    since = as_date(record.data.get("since"))
    if unit is not None and since is not None and not unit.valid_on(since):
        line, col = where(("since",))
        span = f"{vntime.show_date(unit.valid_from) if unit.valid_from else '…'} – {vntime.show_date(unit.valid_to) if unit.valid_to else '…'}"
        successor = unit.data.get("successor")
        fix = f"Ghi nhận dưới tên đơn vị kế thừa «{successor}»." if successor else None
        yield problem("SK324", record.path, line, col, f"«{unit.name}» chỉ có hiệu lực {span}, không có hiệu lực vào ngày áp dụng {vntime.show_date(since)}.", fix, at=LINE, key=("since",))
    if not isinstance(target_id, str):
        return
    target = repo.entries.get(target_id)
    line, col = where(("initiative",))
    if target is None or target.kind != "entry":
        yield problem("SK320", record.path, line, col, f"không có sáng kiến nào mang mã «{target_id}» trong kho.", at=LINE, key=("initiative",))
        return
    recognition = repo.recognition(target_id)
    if recognition is None:
        revoked = any(rec.revoked for rec, _ in repo.recognitions(target_id))
        why = "đã bị thu hồi công nhận" if revoked else "chưa có quyết định công nhận"
        yield problem("SK321", record.path, line, col, f"sáng kiến «{target.title}» ({target_id}) {why}.", at=LINE, key=("initiative",))
        return
    if unit_id is not None and unit_id == target.unit:
        uline, ucol = where(("unit",))
        yield problem("SK322", record.path, uline, ucol, f"«{unit_id}» là đơn vị đã nộp sáng kiến «{target_id}».", at=LINE, key=("unit",))
    # The first recognition still in force is what made the initiative public knowledge.
    first = next(rec for rec, _ in repo.recognitions(target_id) if rec.revoked is None)
    if since is not None and first.day is not None and since < first.day:
        sline, scol = where(("since",))
        yield problem("SK323", record.path, sline, scol,
                      f"áp dụng từ {vntime.show_date(since)}, trước ngày ký quyết định công nhận {first.number} ({vntime.show_date(first.day)}).", at=LINE, key=("since",))
