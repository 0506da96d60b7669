"""The search index built again from what the last build kept (issue 17): only what changed is redone.

Kept under the site build's cache folder (`cache_dir`, given by the caller), in two files:
- `last.pickle`: the code version, each doc's digest in order, and the files of the last index;
- `work.pickle`: each doc's words (by digest), the postings and each key's encoded entry.

When the docs are the same as last time, the last files are the answer (MkDocs empties the site
folder at each build, so they are written again, not recomputed). When the docs are the same
number and only some changed, only the keys those docs had or have are encoded again; otherwise
the postings are rebuilt from the kept words (only new docs are read again). Either way the files
are `search.assemble` of the same entries as `search.build_index`, so byte-identical to a build
without cache (tests/test_search_cache.py compares every file). A missing, unreadable or older
cache is simply a full build.
"""

from __future__ import annotations

import hashlib
import pickle
from array import array
from pathlib import Path
from typing import Any

from sangkien import cachedir
from sangkien.site import search
from sangkien.site.search import Doc, DocTokens, Postings

LAST = "last.pickle"
WORK = "work.pickle"
_SOURCES = (Path(search.__file__), Path(__file__))


def version() -> str:
    """Changes with the code that shapes the index (and its constants, which live in search.py)."""
    digest = hashlib.sha256()
    for source in _SOURCES:
        digest.update(source.read_bytes())
    limits = (search.SHARD_BYTES, search.COMMON_BYTES, search.CHUNK, search.PAGE, search.MAX_WORDS, search.MAX_PREFIX_SHARDS,
              search.MAX_PREFIX_COMMON, search.SUMMARY_CHARS, search.TITLE_BYTES)
    digest.update(repr(limits).encode())
    return digest.hexdigest()


def doc_digest(doc: Doc) -> str:
    fields = (doc.id, doc.title, doc.url, doc.summary, doc.unit, doc.province, doc.year, doc.illustrative, doc.meta)
    return hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()


def _pack(words: DocTokens) -> str:
    """One doc's words as one string: a pickle of 10,000 strings loads far faster than of 10,000 dicts."""
    return "\n".join(f"{key}\t{form}\t{bits}" for key, forms in words.items() for form, bits in forms.items())


def _unpack(text: str) -> DocTokens:
    out: DocTokens = {}
    for line in text.split("\n") if text else ():
        key, form, bits = line.split("\t")  # words are letters and digits: never a tab or a newline
        out.setdefault(key, {})[form] = int(bits)
    return out


def build(docs: list[Doc], cache_dir: Path) -> dict[str, bytes]:
    """The index files of `docs` (as search.build_index), reusing and then updating `cache_dir`."""
    code = version()
    digests = [doc_digest(d) for d in docs]
    last = _load(cache_dir / LAST)
    if last is not None and last.get("version") == code and last.get("digests") == digests:
        files: dict[str, bytes] = last["files"]
        return files
    work = _load(cache_dir / WORK) if last is not None and last.get("version") == code else None
    old_digests: list[str] = last["digests"] if last is not None and work is not None else []
    if work is not None and len(old_digests) == len(digests):
        changed = [n for n, (a, b) in enumerate(zip(old_digests, digests, strict=True)) if a != b]
        words, postings, entries, chunks = _update(docs, digests, old_digests, changed, work)
    else:
        words, postings, entries, chunks = _rebuild(docs, digests, work)
    files = search.assemble(entries, chunks, len(docs))
    try:
        cachedir.make(cache_dir)
        packed = {key: {form: array("q", values) for form, values in forms.items()} for key, forms in postings.items()}
        cachedir.write_bytes(cache_dir / WORK, pickle.dumps({"words": words, "postings": packed, "entries": entries, "chunks": chunks},
                                                           protocol=pickle.HIGHEST_PROTOCOL), durable=False)
        # written last: a crash between the two leaves a `last` that names the older work, or none
        cachedir.write_bytes(cache_dir / LAST, pickle.dumps({"version": code, "digests": digests, "files": files},
                                                           protocol=pickle.HIGHEST_PROTOCOL), durable=False)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    return files


def _load(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # missing, truncated or from another Python: build without it
        return None
    return value if isinstance(value, dict) else None


def _rebuild(docs: list[Doc], digests: list[str], work: dict[str, Any] | None
             ) -> tuple[dict[str, str], Postings, dict[str, tuple[bool, bytes]], list[bytes]]:
    """Postings from every doc's words, read again only for docs not seen last time."""
    known: dict[str, str] = work["words"] if work is not None else {}
    words: dict[str, str] = {}
    postings: Postings = {}
    for n, (doc, digest) in enumerate(zip(docs, digests, strict=True)):
        packed = known.get(digest)
        tokens = _unpack(packed) if packed is not None else search.doc_tokens(doc)
        words[digest] = packed if packed is not None else _pack(tokens)
        search.add_postings(postings, n, tokens)
    entries = {key: search.key_entry(key, forms, len(docs)) for key, forms in postings.items()}
    chunks = [search.chunk_bytes(docs[start:start + search.CHUNK]) for start in range(0, len(docs), search.CHUNK)]
    return words, postings, entries, chunks


def _update(docs: list[Doc], digests: list[str], old_digests: list[str], changed: list[int], work: dict[str, Any]
            ) -> tuple[dict[str, str], Postings, dict[str, tuple[bool, bytes]], list[bytes]]:
    """The same docs in the same places except `changed`: take their old words out of the
    postings, put the new ones in, encode again only the keys they touch."""
    words: dict[str, str] = work["words"]
    postings: Postings = work["postings"]  # arrays of int as kept; the lists changed below become lists
    entries: dict[str, tuple[bool, bytes]] = work["entries"]
    chunks: list[bytes] = work["chunks"]
    old_words = {n: _unpack(words.get(old_digests[n], "")) for n in changed}
    touched: set[str] = set()
    for n in changed:
        for key, forms in old_words[n].items():
            touched.add(key)
            seen = postings[key]
            for form in forms:
                seen[form] = [v for v in seen[form] if v >> 3 != n]  # n's own bits are gone, whatever they were
                if not seen[form]:
                    del seen[form]
            if not seen:
                del postings[key]
    for n in changed:
        tokens = search.doc_tokens(docs[n])
        words[digests[n]] = _pack(tokens)
        for key, forms in tokens.items():
            touched.add(key)
            seen = postings.setdefault(key, {})
            for form, bits in forms.items():
                seen[form] = sorted([*seen.get(form, []), n * 8 + bits])
    for key in touched:
        if key in postings:
            entries[key] = search.key_entry(key, postings[key], len(docs))
        else:
            entries.pop(key, None)
    for c in sorted({n // search.CHUNK for n in changed}):
        chunks[c] = search.chunk_bytes(docs[c * search.CHUNK:(c + 1) * search.CHUNK])
    live = set(digests)
    return {d: w for d, w in words.items() if d in live}, postings, entries, chunks

