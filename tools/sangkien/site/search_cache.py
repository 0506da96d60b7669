"""The search index built again from what the last build kept (issue 17): only what changed is redone.

search.Postings under the site build's cache folder (`cache_dir`, given by the caller), in two files:
- `last.npz`: the code version, each doc's digest in order, and the files of the last index;
- `work.npz`: the postings (key -> spelling -> ascending `doc * 8 + fields`), each key's
  encoded entry (search.key_entry) and the display files.
Both are plain arrays and one JSON header, read with allow_pickle=False: like every cache of the
project, nothing in them is ever executed (a cache folder can come from elsewhere).

When the docs are the same as last time, the last files are the answer (MkDocs empties the site
folder at each build, so they are written again, not recomputed). Otherwise the docs are matched
with the last ones by digest: a doc that is gone leaves the postings (found by bisection, since
each list is sorted by doc), a new or edited doc is read and added, and when docs kept their
places only the keys they touch are encoded again; when some moved (one added near the top, as
a new recognition is), every list is renumbered, still without reading the other docs again.
Either way the files are `search.assemble` of the same entries as `search.build_index`, so
byte-identical to a build without cache (tests/test_search_cache.py compares every file). A
missing, unreadable or older cache, or docs in another order, is simply a full build.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import json
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from sangkien import cachedir
from sangkien.site import search
from sangkien.site.search import Doc

LAST = "last.npz"
WORK = "work.npz"
_SOURCES = (Path(search.__file__), Path(__file__))

def version() -> str:
    """Changes with the code that shapes the index (and its constants, which live in search.py)."""
    digest = hashlib.sha256()
    for source in _SOURCES:
        digest.update(source.read_bytes())
    limits = (search.SHARD_BYTES, search.COMMON_BYTES, search.TITLE_BYTES, search.CHUNK, search.PAGE, search.MAX_WORDS,
              search.MAX_PREFIX_SHARDS, search.MAX_PREFIX_COMMON, search.SUMMARY_CHARS)
    digest.update(repr(limits).encode())
    return digest.hexdigest()


def doc_digest(doc: Doc) -> str:
    fields = (doc.id, doc.title, doc.url, doc.summary, doc.unit, doc.province, doc.year, doc.illustrative, doc.meta)
    return hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()


def build(docs: list[Doc], cache_dir: Path) -> dict[str, bytes]:
    """The index files of `docs` (as search.build_index), reusing and then updating `cache_dir`."""
    code = version()
    digests = [doc_digest(d) for d in docs]
    last = read_last(cache_dir / LAST, code)
    if last is not None and last["digests"] == digests:
        files: dict[str, bytes] = last["files"]
        return files
    work = _read_work(cache_dir / WORK, code) if last is not None else None
    if work is not None and last is not None and work["digests"] != last["digests"]:
        work = None  # from a build whose `last` was never written (stopped between the two writes)
    places = _places(last["digests"], digests) if last is not None and work is not None else None
    if work is not None and places is not None:
        postings, entries, chunks = _update(docs, places, len(last["digests"]) if last else 0, work)
    else:
        postings, entries, chunks = _rebuild(docs)
    files = search.assemble(entries, chunks, len(docs))
    try:
        cachedir.make(cache_dir)
        for forms in postings.values():  # in place: at 170,000 docs the lists alone take hundreds of MB
            for form, values in forms.items():
                forms[form] = array("i", values)  # doc * 8 + fields < 2**31 up to 268 million docs
        cachedir.write_bytes(cache_dir / WORK, _work_bytes(code, digests, postings, entries, chunks), durable=False)
        # written last; `work` names the digests it was made for, so a stop between the two writes is seen
        write_last(cache_dir / LAST, code, digests, files)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    return files


# ---------------------------------------------------------------- the two files
# Each is an .npz of a JSON header (uint8), byte strings joined into one uint8 array with their
# offsets, and, for the work, every posting list joined into one int32 array with its offsets.

def _joined(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in blobs], out=offsets[1:])
    return np.frombuffer(b"".join(blobs), dtype=np.uint8), offsets


def _split(data: np.ndarray, offsets: np.ndarray) -> list[bytes]:
    raw = data.tobytes()
    bounds = offsets.tolist()
    return [raw[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]


def _npz(header: dict[str, Any], **arrays: np.ndarray) -> bytes:
    out = io.BytesIO()
    head = np.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    np.savez(out, header=head, **arrays)  # type: ignore[arg-type]  # numpy's stub reads ** as allow_pickle
    return out.getvalue()


def _open(path: Path, code: str, names: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    """The header and arrays a build of this `code` kept in `path`; None if missing, damaged or another's."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(data["header"].tobytes().decode("utf-8"))
            arrays = {name: data[name] for name in names}
    except Exception:  # missing, truncated, not ours: build without it
        return None
    if not isinstance(header, dict) or header.get("version") != code or not isinstance(header.get("digests"), list):
        return None
    return header, arrays


def write_last(path: Path, code: str, digests: list[str], files: dict[str, bytes]) -> None:
    names = list(files)
    data, offsets = _joined([files[n] for n in names])
    cachedir.write_bytes(path, _npz({"version": code, "digests": digests, "names": names}, data=data, offsets=offsets), durable=False)


def read_last(path: Path, code: str) -> dict[str, Any] | None:
    """{"digests": [...], "files": {name: bytes}} of the last build of this `code`, or None."""
    found = _open(path, code, ("data", "offsets"))
    if found is None:
        return None
    header, arrays = found
    blobs = _split(arrays["data"], arrays["offsets"])
    if len(blobs) != len(header.get("names", ())):
        return None
    return {"digests": header["digests"], "files": dict(zip(header["names"], blobs, strict=True))}


def _work_bytes(code: str, digests: list[str], postings: search.Postings, entries: dict[str, tuple[bool, bytes]],
                chunks: list[bytes]) -> bytes:
    keys = list(postings)
    form_keys: list[int] = []
    forms: list[str] = []
    lists: list[Any] = []
    for k, key in enumerate(keys):
        for form, values in postings[key].items():
            form_keys.append(k)
            forms.append(form)
            lists.append(values)
    counts = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in lists], out=counts[1:])
    flat = np.concatenate([np.frombuffer(v, dtype=np.int32) if isinstance(v, array) else np.asarray(v, dtype=np.int32) for v in lists]
                          ) if lists else np.zeros(0, dtype=np.int32)
    entry_keys = list(entries)
    entry_data, entry_offsets = _joined([entries[k][1] for k in entry_keys])
    chunk_data, chunk_offsets = _joined(chunks)
    header = {"version": code, "digests": digests, "keys": keys, "forms": forms, "entry_keys": entry_keys,
              "entry_flags": [entries[k][0] for k in entry_keys]}
    return _npz(header, values=flat, counts=counts, form_keys=np.asarray(form_keys, dtype=np.int64), entry_data=entry_data,
                entry_offsets=entry_offsets, chunk_data=chunk_data, chunk_offsets=chunk_offsets)


def _read_work(path: Path, code: str) -> dict[str, Any] | None:
    found = _open(path, code, ("values", "counts", "form_keys", "entry_data", "entry_offsets", "chunk_data", "chunk_offsets"))
    if found is None:
        return None
    header, arrays = found
    try:
        keys, forms = header["keys"], header["forms"]
        raw, bounds, owners = arrays["values"].astype(np.int32, copy=False).tobytes(), arrays["counts"].tolist(), arrays["form_keys"].tolist()
        postings: search.Postings = {}
        for i, form in enumerate(forms):
            values = array("i")
            values.frombytes(raw[4 * bounds[i]:4 * bounds[i + 1]])
            postings.setdefault(keys[owners[i]], {})[form] = values
        blobs = _split(arrays["entry_data"], arrays["entry_offsets"])
        entries = dict(zip(header["entry_keys"], zip(header["entry_flags"], blobs, strict=True), strict=True))
        chunks = _split(arrays["chunk_data"], arrays["chunk_offsets"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return {"digests": header["digests"], "postings": postings, "entries": entries, "chunks": chunks}


def _places(old: list[str], new: list[str]) -> list[int] | None:
    """For each new doc, its number in the last build, or -1 for a doc not there (new or edited);
    None when the kept docs are not in their old order (then renumbering is no simpler than a build)."""
    where: dict[str, list[int]] = {}
    for n, digest in enumerate(old):
        where.setdefault(digest, []).append(n)
    out, previous = [], -1
    for digest in new:
        olds = where.get(digest)
        n = olds.pop(0) if olds else -1
        if n >= 0:
            if n < previous:
                return None
            previous = n
        out.append(n)
    return out


def _rebuild(docs: list[Doc]) -> tuple[search.Postings, dict[str, tuple[bool, bytes]], list[bytes]]:
    postings = search.postings_of(docs)
    entries = {key: search.key_entry(key, forms, len(docs)) for key, forms in postings.items()}
    chunks = [search.chunk_bytes(docs[start:start + search.CHUNK]) for start in range(0, len(docs), search.CHUNK)]
    return postings, entries, chunks


def _update(docs: list[Doc], places: list[int], old_count: int, work: dict[str, Any]
            ) -> tuple[search.Postings, dict[str, tuple[bool, bytes]], list[bytes]]:
    """The last postings with the docs that are gone taken out, the others renumbered if they
    moved, and the new or edited docs read and added; only the keys whose lists changed are encoded again."""
    postings: search.Postings = work["postings"]
    entries: dict[str, tuple[bool, bytes]] = work["entries"]
    chunks: list[bytes] = work["chunks"]
    kept = {old for old in places if old >= 0}
    gone = [old for old in range(old_count) if old not in kept]
    gone_set = set(gone)
    moved = len(docs) != old_count or any(old not in (-1, n) for n, old in enumerate(places))
    touched: set[str] = set()
    if moved:  # every number after the first change shifts: renumber every list, encode every key
        new_of = np.full(old_count, -1, dtype=np.int64)
        for n, old in enumerate(places):
            if old >= 0:
                new_of[old] = n
        for forms in postings.values():
            for form, values in list(forms.items()):
                v = np.asarray(values, dtype=np.int64)
                renumbered = new_of[v >> 3]
                forms[form] = (renumbered << 3 | v & 7)[renumbered >= 0].tolist()
        touched = set(postings)
    else:  # same places: take the edited docs' old words out, found by bisection in each sorted list
        for key, forms in postings.items():
            for form, values in forms.items():
                if len(gone) > 16:  # many edits: one pass over the list is cheaper
                    left = [v for v in values if v >> 3 not in gone_set]
                    if len(left) != len(values):
                        forms[form] = left
                        touched.add(key)
                    continue
                for old in gone:
                    i = bisect.bisect_left(values, old << 3)
                    if i < len(values) and values[i] >> 3 == old:
                        del values[i]
                        touched.add(key)
    for n, old in enumerate(places):
        if old >= 0:
            continue
        for key, spellings in search.doc_tokens(docs[n]).items():
            touched.add(key)
            seen = postings.setdefault(key, {})
            for form, bits in spellings.items():
                values = seen.setdefault(form, [])
                values.insert(bisect.bisect_left(values, n << 3), n << 3 | bits)
    for key in touched:
        forms = postings[key]
        for form in [f for f, values in forms.items() if not values]:
            del forms[form]
        if forms:
            entries[key] = search.key_entry(key, forms, len(docs))
        else:
            del postings[key]
            entries.pop(key, None)
    if moved:
        chunks = [search.chunk_bytes(docs[start:start + search.CHUNK]) for start in range(0, len(docs), search.CHUNK)]
    else:
        for c in sorted({n // search.CHUNK for n, old in enumerate(places) if old < 0}):
            chunks[c] = search.chunk_bytes(docs[c * search.CHUNK:(c + 1) * search.CHUNK])
    return postings, entries, chunks
