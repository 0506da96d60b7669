"""Checking one file on its own: read it, check it against its schema and its own rules, scan
its text; encode the result for the validation cache and decode it back.

What a file gives on its own comes from the cache when the file, the schemas and the code are
unchanged (cache.py), and is computed on every core when many files changed (parallel.py);
either way it is exactly what checking the file here would give.

A long-lived process that loads the same tree again and again (`mkdocs serve`) can ask
(`keep_decoded`) that decoded results stay in memory: a file whose row is the same as at the
last load (same path, content hash, context and cache key) is not decoded again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sangkien import cache, layout, parallel, schemas
from sangkien.checks import entry as entry_rules
from sangkien.checks import text as text_rules
from sangkien.codes import problem
from sangkien.problems import Problem
from sangkien.reader import Document, read_markdown, read_yaml
from sangkien.yamlstrict import Parsed

SCANNED = ("entry", "nomination", "replication")  # kinds whose text is scanned for personal data


def read(root: Path, rel: str, markdown: bool, problems: list[Problem]) -> Document:
    try:
        raw = (root / rel).read_bytes()
    except OSError as err:
        problems.append(problem("SK005", rel, 1, 1, f"Không đọc được tệp ({err.strerror})."))
        return Document(rel)
    return read_markdown(raw, rel) if markdown else read_yaml(raw, rel)


@dataclass(frozen=True)
class Task:
    root: str
    rel: str
    kind: str
    markdown: bool
    has_schema: bool
    scanned: bool
    phones: frozenset[str]
    emails: frozenset[str]
    context: str  # everything besides the bytes that the result depends on (the cache row's context)
    known: str = ""  # content hash of the cached row, if any: unchanged bytes are not checked again


@dataclass
class Checked:
    """What one file gave on its own, decoded for this run."""

    rel: str
    hash: str
    doc: Document
    io: list[Problem]
    schema: list[Problem]
    place: list[Problem]
    alone: list[Problem]
    text: list[Problem]


def task(root: Path, kind: str, rel: str, contacts: tuple[frozenset[str], frozenset[str]] | None, memo: dict[tuple[str, frozenset[str], frozenset[str]], Task]) -> Task:
    """What to check `rel` as; `memo` keeps what every file of a kind shares, once per run."""
    scanned = kind in SCANNED
    phones, emails = contacts if scanned and contacts is not None else (frozenset(), frozenset())
    base = memo.get((kind, phones, emails))
    if base is None:  # what every file of a kind shares: once per run, not once per file
        has_schema = (schemas.schema_dir(root) / f"{kind}.schema.json").is_file()
        context = cache.words_key(kind, scanned, has_schema, sorted(phones), sorted(emails))
        base = memo[(kind, phones, emails)] = Task(str(root), "", kind, markdown=scanned, has_schema=has_schema, scanned=scanned,
                                                   phones=phones, emails=emails, context=context)
    return replace(base, rel=rel)


@dataclass(frozen=True)
class _Decoded:
    """What decoding a row gave, minus the document wrapper, and exactly what it was decoded from."""

    signature: tuple[object, ...]  # store key, content hash, context, markdown, root, and the row's text itself (hashed)
    parsed: cache.LazyParsed  # data, parse problems, positions: all from the row (positions decoded once, when first asked)
    body_line: int
    doc_problems: list[Problem]
    read: bool
    io: list[Problem]
    schema: list[Problem]
    place: list[Problem]
    alone: list[Problem]
    text: list[Problem]


# (root, rel) -> the last decoding of that file, when keep_decoded(True): one per file of one
# tree (a server serves one; loading another root forgets the first), never more.
_DECODED: dict[tuple[str, str], _Decoded] | None = None


def keep_decoded(on: bool) -> None:
    """Keep decoded rows in memory across loads (a serve process), or stop and forget them.
    Nothing downstream mutates a decoded result (data, problems, positions); the document
    around them is made fresh at each load, so text read from the file later is never kept."""
    global _DECODED
    if not on:
        _DECODED = None
    elif _DECODED is None:
        _DECODED = {}


def _kept(root: str, rel: str) -> _Decoded | None:
    if _DECODED is None:
        return None
    if _DECODED and next(iter(_DECODED))[0] != root:
        _DECODED.clear()  # another tree: its files are not this one's
    return _DECODED.get((root, rel))


def check_all(root: Path, store: cache.Store, tasks: list[Task]) -> list[Checked]:
    """Each task's result: from the cache when its file is unchanged, else computed (in parallel
    when there are many), then decoded the same way whichever way it came. A cached row that
    does not decode is computed again."""
    found: dict[str, Checked] = {}
    todo: list[Task] = []
    base = str(root)
    for task in tasks:
        row = store.get(task.rel, cache.Stat.of(f"{base}/{task.rel}"), task.context)
        if row is not None:
            item = _decode_cached(root, task, row, store.key)
            if item is not None:
                found[task.rel] = item
                continue
        old = store.rows.get(task.rel)
        todo.append(replace(task, known=old.hash) if old is not None and old.context == task.context else task)
    by_rel = {task.rel: task for task in todo}
    for row in parallel.map_chunks(_check_chunk, todo):
        task = by_rel[row.path]
        if row.result == _SAME:  # bytes unchanged since the cached row: only the stat moved
            cached = store.rows[row.path]
            item = _decode_cached(root, task, cached, store.key)
            if item is not None:
                store.put(replace(cached, stat=row.stat, checked_ns=row.checked_ns))
                found[row.path] = item
                continue
            row = _check(replace(task, known=""))
        if row.hash:
            store.put(row)
        found[row.path] = _decode(root, task, row, store.key if row.hash else None)
    return [found[task.rel] for task in tasks]


def _decode_cached(root: Path, task: Task, row: cache.Row, key: str) -> Checked | None:
    try:
        return _decode(root, task, row, key)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # a damaged row: check the file again
        return None


_SAME = "="


def _check_chunk(tasks: Sequence[Task]) -> list[cache.Row]:
    return [_check(task) for task in tasks]


def _check(task: Task) -> cache.Row:
    """Check one file on its own, as the serial validator does, and encode the result."""
    root, rel = Path(task.root), task.rel
    full = f"{task.root}/{rel}"
    checked_ns = time.time_ns()
    stat = cache.Stat.of(full) or cache.Stat(-1, -1, -1, -1)
    io: list[Problem] = []
    raw: bytes | None
    try:
        with open(full, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        io.append(problem("SK005", rel, 1, 1, f"Không đọc được tệp ({err.strerror})."))
        raw, doc, digest = None, Document(rel), ""
    else:
        digest = cache.digest(raw)
        if task.known and digest == task.known:
            return cache.Row(rel, stat, checked_ns, digest, task.context, _SAME, "")
        doc = read_markdown(raw, rel) if task.markdown else read_yaml(raw, rel)
    found: list[Problem] = []
    place: list[Problem] = []
    alone: list[Problem] = []
    text: list[Problem] = []
    if doc.readable:
        found = schemas.schema_problems(root, task.kind, doc.parsed, rel) if task.has_schema else []
        if found:  # rules and the model below only see well-typed values
            schemas.prune_invalid(root, task.kind, doc.data)
        if task.scanned:
            place = list(entry_rules.check_place(doc, layout.classify(rel)))
            if task.kind == "entry":
                alone = list(entry_rules.check_alone(doc))
            schema = schemas.load_schema(root, task.kind) if task.has_schema else {}
            text = list(text_rules.scan_strings(doc.data, (), doc.parsed, rel, lambda p, s=schema: schemas.label(s, p),
                                                set(task.phones), set(task.emails)))
            text.extend(text_rules.scan_body(doc.body, doc.body_line, rel, set(task.phones), set(task.emails)))
    result = {"io": cache.problems_out(io), "doc": cache.problems_out(doc.problems), "parse": cache.problems_out(doc.parsed.problems),
              "schema": cache.problems_out(found), "place": cache.problems_out(place), "alone": cache.problems_out(alone),
              "text": cache.problems_out(text), "data": doc.parsed.data, "body_line": doc.body_line, "read": raw is not None}
    encoded = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    return cache.Row(rel, stat, checked_ns, digest, task.context, encoded, cache.positions_out(doc.parsed))


def _decode(root: Path, task: Task, row: cache.Row, key: str | None) -> Checked:
    """`key`: the store's key when the row is one the store vouches for (None: never kept)."""
    # The row's text is part of the signature (its hash and length, not the text: a process of
    # 100,000 files would hold it twice), so even code patched in a running process is never
    # answered from a decoding of another result.
    signature = (key or "", row.hash, task.context, task.markdown, str(root), len(row.result), hash(row.result), hash(row.positions))
    kept = _kept(str(root), task.rel) if key is not None else None
    if kept is None or kept.signature != signature:
        kept = _decode_row(root, task, row, signature)
        if _DECODED is not None and key is not None:
            _DECODED[(str(root), task.rel)] = kept
    # Fresh lists around the kept problems: a load may extend what it is given, the memo stays as decoded.
    doc = cache.LazyDocument(task.rel, kept.parsed, kept.body_line, list(kept.doc_problems), f"{root}/{task.rel}", task.markdown,
                             kept.read, kept.body_line > 1)
    return Checked(task.rel, row.hash, doc, list(kept.io), list(kept.schema), list(kept.place), list(kept.alone), list(kept.text))


def _decode_row(root: Path, task: Task, row: cache.Row, signature: tuple[object, ...]) -> _Decoded:
    r = json.loads(row.result)
    if not isinstance(r, dict) or not isinstance(r["body_line"], int):
        raise ValueError("result")
    parsed = cache.LazyParsed(r["data"], cache.problems_in(r["parse"]), row.positions,
                              lambda: _reparse(root, task.rel, task.markdown))
    return _Decoded(signature, parsed, r["body_line"], cache.problems_in(r["doc"]), bool(r["read"]), cache.problems_in(r["io"]),
                    cache.problems_in(r["schema"]), cache.problems_in(r["place"]), cache.problems_in(r["alone"]),
                    cache.problems_in(r["text"]))


def _reparse(root: Path, rel: str, markdown: bool) -> Parsed:
    """Positions again from the file, if the cached ones cannot be read."""
    return read(root, rel, markdown, []).parsed


