"""Rules on a change set (`--base`): the campaign window at the reference time.

The reference time comes from the Git host's event record (see the submission guide), never
from commit dates, which anyone can forge, nor from the runner's clock, which a re-run moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sangkien import vntime
from sangkien.codes import problem
from sangkien.layout import classify
from sangkien.model import Repository
from sangkien.problems import Problem
from sangkien.reader import Document

_VERB = {"A": "thêm", "M": "sửa", "D": "xóa"}


def check(repo: Repository, docs: dict[str, Document], changes: list[tuple[str, str]], at: datetime) -> Iterator[Problem]:
    when = vntime.show_seconds(at)
    for status, path in changes:
        place = classify(path)
        if place.kind not in ("entry", "attachment"):
            continue
        camp = repo.campaigns.get(place.campaign or "")
        if camp is None or camp.opens_at is None or camp.closes_at is None:
            continue
        deadline = vntime.show(vntime.last_moment(camp.closes_at))
        dec = repo.decisions.get(camp.id)
        waiver = dec.waived(place.slug or "") if dec and place.kind == "entry" else None
        if place.kind == "entry" and status == "A":
            if at < camp.opens_at:
                yield problem("SK401", path, 1, 1, f"Bài được nộp lúc {when}, trước khi đợt «{camp.id}» mở nhận bài lúc {vntime.show(camp.opens_at)}.")
            elif at >= camp.closes_at and waiver:
                yield problem("SK405", path, 1, 1, f"Bài được nộp lúc {when}, sau hạn chót {deadline}; Hội đồng đã chấp nhận ngày {waiver.get('date')}: {waiver.get('reason')}.")
            elif at >= camp.closes_at:
                yield problem("SK402", path, 1, 1, f"Bài được nộp lúc {when}, sau hạn chót của đợt «{camp.id}» là {deadline}.")
            else:
                yield from _declared_date(repo, docs, path, at)
        elif at >= camp.closes_at and not waiver:
            verb = _VERB.get(status, "sửa")
            what = "bài" if place.kind == "entry" else f"tệp kèm theo «{place.slug}»"
            yield problem("SK403", path, 1, 1, f"Thay đổi ({verb} {what}) lúc {when}, sau hạn chót của đợt «{camp.id}» là {deadline}.")


def _declared_date(repo: Repository, docs: dict[str, Document], path: str, at: datetime) -> Iterator[Problem]:
    entry = next((e for e in repo.entries.values() if e.path == path), None)
    day = vntime.local_date(at)
    if entry is not None and entry.submitted is not None and entry.submitted != day:
        line, col = docs[path].parsed.where(("submitted",))
        yield problem("SK404", path, line, col, f"Trường submitted ghi {vntime.show_date(entry.submitted)} nhưng bài được gửi ngày {vntime.show_date(day)}.",
                      f'Sửa thành submitted: "{day.isoformat()}".')
