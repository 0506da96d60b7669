"""Harvest: for each source, fetch -> check -> store, or keep the last good snapshot.

A source's bytes are kept only if they are UTF-8 JSON that the catalogue schema accepts
(schema/catalogue.schema.json, the one every sangkien site publishes under), whose count is the
number of entries, whose ids are unique, and (when the source names one) whose province is the
expected publisher. Anything else is refused whole: the last good snapshot stays as it was and
the failure is recorded with its code, reason and since when.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sangkien import schemas, textnorm, vntime
from sangkien.federation import fetch, store
from sangkien.federation.sources import Source
from sangkien.yamlstrict import Parsed

OK, UNCHANGED, FAILED = "ok", "unchanged", "failed"


@dataclass
class Outcome:
    source: Source
    result: str  # OK | UNCHANGED | FAILED
    count: int = 0
    code: str = ""
    reason: str = ""
    kept: store.Meta | None = None  # the snapshot kept after a failure


def check_catalogue(root: Path, body: bytes, source: Source) -> dict[str, Any]:
    """The parsed document, or a FetchError saying why it is refused."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise fetch.FetchError("SK934", f"dữ liệu của nguồn «{source.id}» không phải văn bản UTF-8 (byte thứ {err.start + 1}).") from err
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        raise fetch.FetchError("SK934", f"dữ liệu của nguồn «{source.id}» không phải JSON hợp lệ (dòng {err.lineno}, cột {err.colno}); "
                                        f"có thể địa chỉ trỏ tới một trang web chứ không phải tệp du-lieu/sang-kien.json.") from err
    found = schemas.schema_problems(root, "catalogue", Parsed(data=data), source.location)
    if found:
        first = found[0].message.split(" Cách sửa:")[0]
        raise fetch.FetchError("SK935", f"dữ liệu của nguồn «{source.id}» không khớp lược đồ catalogue.schema.json ({len(found)} lỗi; lỗi đầu: {first})")
    assert isinstance(data, dict)  # the schema's root is an object
    entries: list[dict[str, Any]] = data["entries"]
    if data["count"] != len(entries):
        raise fetch.FetchError("SK935", f"dữ liệu của nguồn «{source.id}» ghi count {data['count']} nhưng có {len(entries)} sáng kiến (tệp bị cắt hoặc sai).")
    seen: set[str] = set()
    for row in entries:
        if row["id"] in seen:
            raise fetch.FetchError("SK935", f"dữ liệu của nguồn «{source.id}» có hai sáng kiến cùng mã «{row['id']}».")
        seen.add(row["id"])
    if source.publisher:
        want = textnorm.fold(source.publisher)
        for row in entries:
            province = row.get("province")
            name = province.get("name") if isinstance(province, dict) else None
            if isinstance(name, str) and textnorm.fold(name) != want:
                raise fetch.FetchError("SK936", f"nguồn «{source.id}» có sáng kiến «{row['id']}» của «{name}», không phải cơ quan công bố "
                                                f"ghi trong entries/federation.yaml («{source.publisher}»).")
    return data


def harvest_one(root: Path, source: Source, at: datetime, timeout: float, limit: int,
                progress: Callable[[Source], fetch.Progress | None] | None = None) -> Outcome:
    previous = store.read_snapshot(root, source.id)
    old = previous[0] if previous is not None and previous[0].location == source.location else None
    stamp = at.astimezone(vntime.ICT).isoformat(timespec="seconds")
    try:
        if source.url:
            got = fetch.fetch_url(source.url, old.etag if old else None, old.last_modified if old else None, timeout, limit,
                                  progress(source) if progress else None)
        else:
            got = fetch.fetch_path(root, source.path or "", limit)
        if got.body is None and old is not None:  # 304: what we have is current
            store.write_meta(root, store.Meta(**{**old.as_json(), "confirmed": stamp, "name": source.name,
                                                 "etag": got.etag, "last_modified": got.last_modified}))
            return Outcome(source, UNCHANGED, old.count)
        if got.body is None:
            raise fetch.FetchError("SK932", f"máy chủ trả lời «không đổi» (HTTP 304) nhưng chưa có bản sao nào của nguồn «{source.id}».")
        digest = store.sha256(got.body)
        if old is not None and digest == old.sha256:
            store.write_meta(root, store.Meta(**{**old.as_json(), "confirmed": stamp, "name": source.name,
                                                 "etag": got.etag, "last_modified": got.last_modified}))
            return Outcome(source, UNCHANGED, old.count)
        data = check_catalogue(root, got.body, source)
        meta = store.Meta(source.id, source.name, source.location, stamp, stamp, digest, len(got.body), len(data["entries"]),
                          got.etag, got.last_modified, str(data.get("generated") or "") or None)
        store.write_snapshot(root, got.body, meta)
        return Outcome(source, OK, meta.count)
    except fetch.FetchError as err:
        return Outcome(source, FAILED, code=err.code, reason=err.reason, kept=previous[0] if previous else None)


def harvest(root: Path, sources: list[Source], at: datetime, timeout: float = fetch.DEFAULT_TIMEOUT, limit: int = fetch.DEFAULT_LIMIT,
            progress: Callable[[Source], fetch.Progress | None] | None = None, report: Callable[[Outcome], None] | None = None,
            listed: set[str] | None = None) -> list[Outcome]:
    """Harvest every source in order; the failure log is updated once at the end, keeping the
    failures of the other `listed` sources (all of entries/federation.yaml) and dropping the rest."""
    failures = store.read_failures(root)
    stamp = at.astimezone(vntime.ICT).isoformat(timespec="seconds")
    out = []
    for source in sources:
        outcome = harvest_one(root, source, at, timeout, limit, progress)
        if outcome.result == FAILED:
            since = failures.get(source.id, {}).get("since", stamp)
            failures[source.id] = {"since": since, "attempt": stamp, "code": outcome.code, "reason": outcome.reason}
        else:
            failures.pop(source.id, None)
        out.append(outcome)
        if report is not None:
            report(outcome)
    known = (listed or set()) | {s.id for s in sources}
    store.write_failures(root, {k: v for k, v in failures.items() if k in known})
    return out
