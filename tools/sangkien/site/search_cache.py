"""The search index built again from what the last build kept (issue 17): only what changed is redone.

search.Postings under the site build's cache folder (`cache_dir`, given by the caller), in two files:
- `last.pickle`: the code version, each doc's digest in order, and the files of the last index;
- `work.pickle`: the postings (key -> spelling -> ascending `doc * 8 + fields`), each key's
  encoded entry (search.key_entry) and the display files.

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
import pickle
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from sangkien import cachedir
from sangkien.site import search
from sangkien.site.search import Doc

LAST = "last.pickle"
WORK = "work.pickle"
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
    last = _load(cache_dir / LAST, code, ("digests", "files"))
    if last is not None and last["digests"] == digests:
        files: dict[str, bytes] = last["files"]
        return files
    work = _load(cache_dir / WORK, code, ("digests", "postings", "entries", "chunks")) if last is not None else None
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
        cachedir.write_bytes(cache_dir / WORK, pickle.dumps({"version": code, "digests": digests, "postings": postings, "entries": entries,
                                                            "chunks": chunks},
                                                           protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        # written last; `work` names the digests it was made for, so a stop between the two writes is seen
        cachedir.write_bytes(cache_dir / LAST, pickle.dumps({"version": code, "digests": digests, "files": files},
                                                           protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    return files


def _load(path: Path, code: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """What a build of this `code` kept in `path`, if it has all of `keys`; else None."""
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # missing, truncated or from another Python: build without it
        return None
    if not isinstance(value, dict) or value.get("version") != code or any(key not in value for key in keys):
        return None
    return value


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
