"""What the open data keeps between builds (`<site build cache>/opendata/`), so that a build
redoes only the work whose inputs changed.

Everything is found by a key made from its inputs, never by name alone: a stale file cannot be
picked up, only a missing one recomputed.

- `pieces/<key>`: the CSV lines and the deflated XLSX rows of a run of catalogue rows, keyed by
  the code version and the digests of those rows (each row's digest is that of its JSON text);
- `outputs/<name>.<key>`: the last copy of an export made whole (the Atom feed), keyed by the code
  version and everything it was made from (its rows' digests, site_url, licence, the build time
  when it shows it); the JSON, CSV and XLSX are joined from pieces and rows at each build, which
  costs no more than a copy, and show this build's time;
- `valid-<key>`: the digests of the rows the catalogue schema accepted, keyed by the code
  version, the schema's bytes and the formats the checker knows (opendata_check.check_key).

Each file holds a checksum of its content: a damaged file is a miss. Files this build did not
use are removed at the end (`finish`). Any error reading or writing the cache is a miss, never
a failed build. No MkDocs here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from collections.abc import Callable, Iterable
from pathlib import Path

from sangkien import cache, cachedir
from sangkien.site.xlsxwrite import Piece

DIGEST = 16  # bytes of a blake2b digest
_PIECE = struct.Struct("<IQ")  # crc32, uncompressed size


def digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=DIGEST)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class ExportCache:
    """The open data's store under `folder`; with folder None it keeps nothing (every call computes)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.code = cache.code_key() if folder is not None else ""
        self.used: set[Path] = set()
        self.made = False

    # ------------------------------------------------------------- raw files
    def _read(self, path: Path) -> bytes | None:
        self.used.add(path)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if len(raw) < DIGEST or digest(raw[DIGEST:]) != raw[:DIGEST]:
            return None
        return raw[DIGEST:]

    def _write(self, path: Path, data: bytes) -> None:
        self.used.add(path)
        with contextlib.suppress(OSError):
            if self.folder is not None and not self.made:
                cachedir.make(self.folder)  # with its .gitignore, in case the folder lies inside the repository
                self.made = True
            cachedir.write_bytes(path, digest(data) + data, durable=False)

    def key(self, *parts: bytes | str) -> str:
        """A file name from the code version and the given inputs."""
        return digest(self.code, *parts).hex()

    # ------------------------------------------------------------- pieces of rows
    def text(self, kind: str, rows: Iterable[bytes], make: Callable[[], bytes]) -> bytes:
        """make(), or what it returned for the same kind, rows (their digests) and code."""
        if self.folder is None:
            return make()
        return self._kept(self.folder / "pieces" / self.key(kind, *rows), make)

    def piece(self, kind: str, rows: Iterable[bytes], make: Callable[[], Piece]) -> Piece:
        """A deflated piece, as text() does for bytes."""
        made: list[Piece] = []

        def packed() -> bytes:
            piece = make()
            made.append(piece)
            return _PIECE.pack(piece.crc, piece.size) + piece.data

        raw = self.text(kind, rows, packed)
        if made:
            return made[0]
        crc, size = _PIECE.unpack_from(raw)
        return Piece(raw[_PIECE.size:], crc, size)

    # ------------------------------------------------------------- whole exports
    def output(self, name: str, inputs: Iterable[bytes | str], make: Callable[[], bytes]) -> bytes:
        """The export `name` made from `inputs`: the last build's copy when they are the same."""
        if self.folder is None:
            return make()
        return self._kept(self.folder / "outputs" / f"{name}.{self.key(name, *inputs)}", make)

    def _kept(self, path: Path, make: Callable[[], bytes]) -> bytes:
        """The bytes kept at `path`, or make() kept there now."""
        found = self._read(path)
        if found is not None:
            return found
        made = make()
        self._write(path, made)
        return made

    # ------------------------------------------------------------- rows the schema accepted
    def valid_rows(self, schema: bytes) -> set[bytes]:
        """The rows accepted under `schema` (opendata_check.check_key) by the last build."""
        if self.folder is None:
            return set()
        raw = self._read(self.folder / f"valid-{self.key('schema', schema)}")
        if raw is None or len(raw) % DIGEST:
            return set()
        return {raw[i:i + DIGEST] for i in range(0, len(raw), DIGEST)}

    def remember_valid(self, schema: bytes, rows: Iterable[bytes], known: set[bytes]) -> None:
        """Record the rows of this build as accepted (only them: the file does not grow forever)."""
        if self.folder is None:
            return
        kept = sorted(set(rows))
        path = self.folder / f"valid-{self.key('schema', schema)}"
        if set(kept) == known:
            self.used.add(path)
            return
        self._write(path, b"".join(kept))

    # ------------------------------------------------------------- end of a build
    def finish(self) -> None:
        """Remove what this build did not use (older rows, outputs, schemas)."""
        if self.folder is None:
            return
        for path in (self.folder / "pieces", self.folder / "outputs", self.folder):
            with contextlib.suppress(OSError):
                for entry in os.scandir(path):
                    if entry.is_file() and entry.name != ".gitignore" and Path(entry.path) not in self.used:
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
