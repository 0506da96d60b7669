"""The validation cache: what checking each file on its own gave, kept between runs.

A warm `sangkien validate` over 10,000 entries should not parse 10,000 files again. For every
file, `.sangkien-cache/validate.sqlite3` (at the repository root, never committed; or in
SANGKIEN_CACHE_DIR, see cachedir.py) keeps the file's content hash and the per-file results (data after pruning, positions, the reading,
schema, place, entry and text problems). A row is used only when all of these are unchanged:
- the cache's key: the format, Python's version, the versions of PyYAML/jsonschema/
  fastjsonschema, the bytes of the package's own source files (any code change) and the names
  and bytes of the schema files (any schema change). No path, install time or machine name is
  in it: the same code and schemas give the same key on another machine, so CI can start from
  the main branch's cache;
- the row's context: what the file is checked as (entry or nomination, with or without a
  schema) and, for entries, the registry's official phones and mailboxes (the text checks
  allow them);
- the file's bytes: hashed, or taken as unchanged without reading when size, times and inode
  are those recorded and the file was last changed well before it was recorded (as Git does
  with its index, a file changed within the same instant is read again).
Rows are found by repository-relative path: in a fresh checkout (other times, other inodes)
every file is hashed once and its row reused when the bytes are those recorded.
Rules across files (references, deadlines, duplicates, attachments on disk) always run.
A cache that is missing, damaged, locked or unwritable is a cold run, never an error. JSON and
SQLite only: nothing in the cache is ever executed (no pickle). SANGKIEN_NO_CACHE=1 bypasses it
(settings.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sangkien import cachedir, codekey
from sangkien.model import Entry
from sangkien.problems import Problem
from sangkien.reader import Document, decode
from sangkien.yamlstrict import Parsed
from sangkien.yamlstrict import Path as KeyPath

FORMAT = codekey.FORMAT
DIR = cachedir.DIR
NAME = "validate.sqlite3"
RACY_NS = cachedir.RACY_NS  # a file changed less than this before it was recorded is read again
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = codekey.LIBRARIES


def enabled() -> bool:
    """Whether the validation cache is used (settings.cache_enabled())."""
    return cachedir.enabled()


def location(root: Path) -> Path:
    """Where the validation cache of the repository at `root` is (it may not exist yet)."""
    return cachedir.folder(root) / NAME


# ----------------------------------------------------------------- keys
def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def code_key(folder: Path | None = None) -> str:
    """Python's version, the libraries the per-file checks use (name and version) and every
    source file of this package (relative name and bytes): portable between machines
    (codekey.py). Remembered under the stat of the installed code, in this process and, with
    `folder` (a cache folder), between runs."""
    return codekey.remembered(PACKAGE, folder)


def folder_key(folder: Path, pattern: str = "*.json") -> str:
    """Names and bytes of the files of a folder (the schemas), not where the folder is: the
    schemas of a checkout and those installed with the package give the same key."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.glob(pattern)):
        h.update(path.name.encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


def words_key(*parts: object) -> str:
    return hashlib.blake2b(json.dumps(parts, sort_keys=True, default=sorted).encode(), digest_size=16).hexdigest()


# ----------------------------------------------------------------- stat
@dataclass(frozen=True)
class Stat:
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, path: str | Path) -> Stat | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class Row:
    """One file as recorded: its stat when read, when it was read, hash, context and results."""

    path: str
    stat: Stat
    checked_ns: int
    hash: str
    context: str
    result: str  # JSON: data, problems, body facts
    positions: str  # JSON: where each value and key is (decoded only when a rule asks)

    def settled(self, stat: Stat) -> bool:
        """Unchanged without reading: same stat, and changed well before it was read."""
        return stat == self.stat and cachedir.settled(stat.mtime_ns, stat.ctime_ns, self.checked_ns, RACY_NS)


# (size, mtime, ctime, inode, checked, hash) of a file as recorded: Store.stamps()
Stamp = tuple[int, int, int, int, int, str]
# Where each value or mapping key is: (line, column) by key path (yamlstrict.Parsed)
Positions = dict[KeyPath, tuple[int, int]]


def settled(stamp: Stamp, stat: Stat) -> bool:
    """Row.settled on a `Store.stamps()` tuple."""
    size, mtime, ctime, ino, checked, _ = stamp
    return ((stat.size, stat.mtime_ns, stat.ctime_ns, stat.ino) == (size, mtime, ctime, ino)
            and cachedir.settled(stat.mtime_ns, stat.ctime_ns, checked, RACY_NS))


# ----------------------------------------------------------------- the store
class Store:
    """Rows by path, read at once; written back in one transaction. Never raises.

    `path` None is no cache. A path `<root>/.sangkien-cache/validate.sqlite3` is moved into
    SANGKIEN_CACHE_DIR when that is set (cachedir.relocate); `Store.open` and `location` say
    where it is for a repository."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = cachedir.relocate(path) if path is not None else None
        self.key = key
        self.rows: dict[str, Row] = {}
        self.changed: dict[str, Row] = {}

    @classmethod
    def open(cls, root: Path, key: str, lazy: bool = False) -> Store:
        """The store of a repository. `lazy`: rows are fetched one by one when asked for, for a
        run that needs a few of 10,000 (an incremental run); else all are read at once."""
        if not enabled():
            return cls(None, key)
        store = cls(location(root), key)
        try:
            store.rows = _LazyRows(store) if lazy and store.path is not None and store.path.is_file() else store._read()
        except (sqlite3.Error, OSError, ValueError, TypeError):
            store.rows = {}  # damaged, locked or foreign: start again from nothing
        return store

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:  # no cache: callers catch TypeError, as sqlite3.connect(None) raised it
            raise TypeError("no cache file")
        db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
        db.execute("PRAGMA trusted_schema=OFF")
        return db

    def _read(self) -> dict[str, Row]:
        if self.path is None or not self.path.is_file():
            return {}
        db = self._connect()
        try:
            meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if meta is None or meta[0] != self.key:
                return {}
            return {str(record[0]): _row(record) for record in db.execute(f"SELECT {_COLUMNS} FROM files")}
        finally:
            db.close()

    def fetch(self, path: str) -> Row | None:
        """One row, read from the file now (None if absent, or the cache is not this version's)."""
        if self.path is None or not self.path.is_file():
            return None
        db = self._connect()
        try:
            meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if meta is None or meta[0] != self.key:
                return None
            record = db.execute(f"SELECT {_COLUMNS} FROM files WHERE path = ?", (path,)).fetchone()
            return _row(record) if record is not None else None
        finally:
            db.close()

    def paths(self) -> list[str]:
        if self.path is None or not self.path.is_file():
            return []
        db = self._connect()
        try:
            return [str(path) for (path,) in db.execute("SELECT path FROM files")]
        finally:
            db.close()

    def stamps(self) -> dict[str, Stamp]:
        """(size, mtime, ctime, inode, checked, hash) by path (not the results): enough to key a whole run."""
        if self.path is None or not self.path.is_file():
            return {}
        try:
            db = self._connect()
            try:
                meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
                if meta is None or meta[0] != self.key:
                    return {}
                return {row[0]: row[1:] for row in db.execute("SELECT path, size, mtime, ctime, ino, checked, hash FROM files")}
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return {}

    def last_run(self) -> tuple[str, list[Problem], str] | None:
        """The last full run recorded: its key, its problems and what it was computed from
        (JSON, runmemo.py), whatever the files are now; None if there is none of this version."""
        try:
            db = self._connect()
            try:
                meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
                if meta is None or meta[0] != self.key or not _has_table(db, "runs"):
                    return None
                found = db.execute("SELECT key, problems, inputs FROM runs").fetchone()
            finally:
                db.close()
            return (str(found[0]), problems_in(json.loads(found[1])), str(found[2] or "")) if found is not None else None
        except (sqlite3.Error, OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def remembered(self, run: str) -> list[Problem] | None:
        """The problems of the full run whose inputs digest to `run`, if it is the last one recorded."""
        try:
            db = self._connect()
            try:
                meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
                found = db.execute("SELECT problems FROM runs WHERE key = ?", (run,)).fetchone() if meta and meta[0] == self.key else None
            finally:
                db.close()
            return problems_in(json.loads(found[0])) if found is not None else None
        except (sqlite3.Error, OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def remember(self, run: str, problems: list[Problem], inputs: str = "") -> None:
        """Keep the problems of this full run and what it was computed from (only the last run is
        kept). Skipped if it cannot be written."""
        if self.path is None:
            return
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone() if _has_table(db, "meta") else None
                if meta is None or meta[0] != self.key:
                    db.execute("ROLLBACK")
                    return  # the rows this run was keyed on are not there
                if _has_table(db, "runs") and "inputs" not in {c[1] for c in db.execute("PRAGMA table_info(runs)")}:
                    db.execute("DROP TABLE runs")  # written by an older version
                db.execute("CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, problems TEXT, inputs TEXT)")
                db.execute("DELETE FROM runs")
                db.execute("INSERT INTO runs VALUES (?, ?, ?)", (run, json.dumps(problems_out(problems), ensure_ascii=False), inputs))
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError, UnicodeError):
            pass

    def restamp(self, moved: list[tuple[str, Stat, int]]) -> None:
        """New stat and check time for rows whose file was read again and found unchanged."""
        if self.path is None or not moved:
            return
        try:
            db = self._connect()
            try:
                # No fsync (as _write): any mix of old and new rows a power cut could leave is safe, a row
                # holding one file's bytes under either stat (a stat that no longer matches reads the file again).
                db.execute("PRAGMA synchronous=OFF")
                db.execute("BEGIN IMMEDIATE")
                db.executemany("UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ?, checked = ? WHERE path = ?",
                               [(st.size, st.mtime_ns, st.ctime_ns, st.ino, checked, path) for path, st, checked in moved])
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError):
            pass

    def get(self, path: str, stat: Stat | None, context: str, raw: bytes | None = None) -> Row | None:
        """The row of `path` if it still describes the file; `raw` (the bytes) when already read."""
        row = self.rows.get(path)
        if row is None or stat is None or row.context != context:
            return None
        if raw is None and row.settled(stat):
            return row
        if raw is None:
            return None
        if digest(raw) != row.hash:
            return None
        if not row.settled(stat):  # same bytes: next time the stat is enough
            self.put(Row(path, stat, time.time_ns(), row.hash, context, row.result, row.positions))
        return row

    def put(self, row: Row) -> None:
        self.rows[row.path] = row
        self.changed[row.path] = row

    def save(self, live: set[str]) -> None:
        """Write the new rows and forget files that are gone. A cache that cannot be written is skipped."""
        if self.path is None:
            return
        rows = self.rows
        # the rows of a lazy store as a set (sorting 10,000 paths only to find none gone costs an incremental run)
        gone = sorted(rows.recorded() - live) if isinstance(rows, _LazyRows) else [p for p in rows if p not in live]
        if not self.changed and not gone:
            return
        try:
            cachedir.make(self.path.parent)
            self._write(gone)
        except (sqlite3.Error, OSError, ValueError, UnicodeError):
            with contextlib.suppress(OSError):  # a damaged file would fail again next time
                if self.path.is_file() and not self._readable():
                    self.path.unlink()

    def _readable(self) -> bool:
        try:
            self._read()
        except (sqlite3.Error, OSError, ValueError, TypeError):
            return False
        return True

    def _write(self, gone: list[str]) -> None:
        db = self._connect()
        try:
            db.execute("PRAGMA synchronous=OFF")
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER, ino INTEGER,"
                       " checked INTEGER, hash TEXT, context TEXT, result TEXT, positions TEXT)")
            meta = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if meta is None or meta[0] != self.key:  # another version wrote it: every row is stale
                db.execute("DELETE FROM files")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (self.key,))
                rows, gone = list(self.rows.values()), []
            else:
                rows = list(self.changed.values())
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(r.path, r.stat.size, r.stat.mtime_ns, r.stat.ctime_ns, r.stat.ino, r.checked_ns, r.hash, r.context, r.result,
                             r.positions) for r in rows if r.path not in gone])
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
            # The last run's record stays: its key and inputs name the files as they were then.
            db.execute("COMMIT")
        finally:
            db.close()


_COLUMNS = "path, size, mtime, ctime, ino, checked, hash, context, result, positions"


def _row(record: tuple[Any, ...]) -> Row:
    path, size, mtime, ctime, ino, checked, digest_, context, result, positions = record
    return Row(str(path), Stat(int(size), int(mtime), int(ctime), int(ino)), int(checked), str(digest_), str(context), str(result), str(positions))


class _LazyRows(dict[str, Row]):
    """Store.rows read on demand: a row is fetched from SQLite the first time it is asked for."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._absent: set[str] = set()

    def _load(self, path: str) -> None:
        if path in self._absent or dict.__contains__(self, path):
            return
        try:
            row = self._store.fetch(path)
        except (sqlite3.Error, OSError, ValueError, TypeError):
            row = None
        if row is None:
            self._absent.add(path)
        else:
            dict.__setitem__(self, path, row)

    def get(self, path: str, default: Any = None) -> Any:
        self._load(path)
        return dict.get(self, path, default)

    def __getitem__(self, path: str) -> Row:
        self._load(path)
        return dict.__getitem__(self, path)

    def __contains__(self, path: object) -> bool:
        if isinstance(path, str):
            self._load(path)
        return dict.__contains__(self, path)

    def __setitem__(self, path: str, row: Row) -> None:
        self._absent.discard(path)
        dict.__setitem__(self, path, row)

    def __iter__(self) -> Iterator[str]:
        """Every path recorded or added (the rows themselves stay unread), in order."""
        return iter(sorted(self.recorded()))

    def recorded(self) -> set[str]:
        """Every path recorded or added: saving forgets those of files that are gone."""
        return set(self._store.paths()) | set(dict.keys(self))

    def values(self) -> Any:
        return dict.values(self)  # the rows read or added so far


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# ----------------------------------------------------------------- results <-> JSON
def problems_out(problems: list[Problem]) -> list[list[Any]]:
    """Each problem as it was found: the detail, where the place goes and the key path too, so a
    problem from the cache is the problem a fresh check gives."""
    return [[p.code, p.severity, p.file, p.line, p.column, p.detail, p.at, list(p.key) if p.key is not None else None] for p in problems]


def problems_in(raw: object) -> list[Problem]:
    if not isinstance(raw, list):
        raise ValueError("problems")
    out = []
    for item in raw:
        code, severity, file, line, column, detail, at, key = item
        # each test written out (no generator per problem): the last run's record holds thousands
        if not (isinstance(line, int) and isinstance(column, int) and isinstance(code, str) and isinstance(severity, str)
                and isinstance(file, str) and isinstance(detail, str) and (at is None or isinstance(at, str))
                and (key is None or isinstance(key, list))):
            raise ValueError("problem")
        out.append(Problem(code, severity, file, line, column, detail, at, tuple(key) if key is not None else None))
    return out


def positions_out(parsed: Parsed) -> str:
    return json.dumps([[[list(k), v[0], v[1]] for k, v in parsed.values.items()], [[list(k), v[0], v[1]] for k, v in parsed.keys.items()]],
                      ensure_ascii=False, separators=(",", ":"))


def _positions_in(raw: str) -> tuple[Positions, Positions]:
    values, keys = json.loads(raw)
    out = ({tuple(k): (int(line), int(col)) for k, line, col in values}, {tuple(k): (int(line), int(col)) for k, line, col in keys})
    return out


class LazyParsed(Parsed):
    """A Parsed whose positions are decoded from the cache's JSON the first time a rule asks
    (most files never have a problem to place). Positions that do not decode are taken from
    `recover()`, a fresh parse of the file."""

    def __init__(self, data: object, problems: list[Problem], positions: str, recover: Callable[[], Parsed] | None = None) -> None:
        self._positions: str | None = positions
        self._recover = recover
        self._values: Positions = {}  # decoded from _positions when first asked for
        self._keys: Positions = {}
        super().__init__(data=data, problems=problems)

    def _decode(self) -> None:
        if self._positions is not None:
            try:
                self._values, self._keys = _positions_in(self._positions)
            except (ValueError, TypeError):
                fresh = self._recover() if self._recover is not None else Parsed()
                self._values, self._keys = dict(fresh.values), dict(fresh.keys)
            self._positions = None

    def release(self) -> None:
        """Forget the positions' text while it is not decoded (a build whose rules have run: ~2.6 KB
        an entry); asked for again, the positions come from `recover()`, a fresh parse of the file."""
        if self._positions and self._recover is not None:
            self._positions = ""  # decodes to nothing: the next ask recovers

    @property
    def values(self) -> Positions:
        self._decode()
        return self._values

    @values.setter
    def values(self, value: Positions) -> None:
        if value or self._positions is None:  # the dataclass's empty default must not hide the cached positions
            self._decode()
            self._values = value

    @property
    def keys(self) -> Positions:
        self._decode()
        return self._keys

    @keys.setter
    def keys(self, value: Positions) -> None:
        if value or self._positions is None:
            self._decode()
            self._keys = value


class LazyDocument(Document):
    """A Document whose text and body are read from the file the first time they are asked for
    (validation never needs them; the site and the novelty check do). The data, positions and
    problems are those the checks saw. If the file changed since, the text is the file's now."""

    def __init__(self, path: str, parsed: Parsed, body_line: int, problems: list[Problem], source: str | Path, markdown: bool,
                 has_text: bool, has_body: bool) -> None:
        self._loaded = False
        self._text = ""
        self._body = ""
        super().__init__(path, parsed=parsed, body_line=body_line, problems=problems)
        self._source, self._markdown, self._has_text, self._has_body = source, markdown, has_text, has_body

    def _load(self) -> None:
        if self._loaded or "_source" not in self.__dict__:
            return
        self._loaded = True
        if not self._has_text:
            return
        try:
            with open(self._source, "rb") as handle:
                text, _ = decode(handle.read(), self.path)
        except OSError:
            text = None
        self._text = text or ""
        if self._markdown and self._has_body and text is not None:
            self._body = "\n".join(text.split("\n")[self.body_line - 1:])

    @property
    def text(self) -> str:
        self._load()
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value
        if value:
            self._loaded = True

    @property
    def body(self) -> str:
        self._load()
        return self._body

    @body.setter
    def body(self, value: str) -> None:
        self._body = value
        if value:
            self._loaded = True


class LazyEntry(Entry):
    """An Entry whose body comes from its (lazy) document when first asked for."""

    def __init__(self, *args: Any, document: Document | None = None, **kwargs: Any) -> None:
        self._document = document
        self._own_body: str | None = None
        super().__init__(*args, **kwargs)

    @classmethod
    def unread(cls, entry_id: str, kind: str, data: dict[str, Any], path: str, document: Document) -> LazyEntry:
        """LazyEntry(entry_id, kind, data, path, "", 1, document=document), made without the
        dataclass's __init__ and the body's setter: a run makes one for each entry it skips."""
        entry = cls.__new__(cls)
        entry.__dict__.update(id=entry_id, kind=kind, data=data, path=path, body_line=1, _document=document, _own_body=None)
        return entry

    @property
    def body(self) -> str:
        if self._own_body is None:
            self._own_body = self._document.body if self._document is not None else ""
        return self._own_body

    @body.setter
    def body(self, value: str) -> None:
        if value or self._document is None:
            self._own_body = value


def entry_of(entry_id: str, kind: str, data: dict[str, Any], path: str, doc: Document) -> Entry:
    """The model's Entry for a document; its body is read only if someone asks for it."""
    if isinstance(doc, LazyDocument) and not doc._loaded:
        return LazyEntry(entry_id, kind, data, path, "", doc.body_line, document=doc)
    return Entry(entry_id, kind, data, path, doc.body, doc.body_line)
