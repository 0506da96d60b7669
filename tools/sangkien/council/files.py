"""Output files (sheets, drafts, dossiers): atomic, and readable by others like any saved document.

atomic.write_bytes keeps the mode of a file it replaces, but a new file gets mkstemp's private
0600; a printout left for a colleague on a shared folder should follow the user's umask instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from sangkien import atomic


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> int:
    fresh = not path.exists()
    atomic.write_bytes(path, data)
    if fresh:
        os.chmod(path, 0o666 & ~_umask())
    return len(data)


def write_text(path: Path, text: str) -> int:
    return write_bytes(path, text.encode("utf-8"))
