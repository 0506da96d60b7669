"""Atomic file writes: a temporary file beside the target, fsync, then one rename.

Every command that writes a user's file goes through here, so an interrupted run leaves either
the old file or the new one, never half of each.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

# mkstemp names the temporary file `.<name>.<8 random characters>.tmp`; the validator recognises
# one left behind by a killed process (SK009) by this pattern.
TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[A-Za-z0-9_]{8}\.tmp$")


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep the mode of the file replaced; a new file gets the usual mode, not mkstemp's 0600.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
        _sync_folder(path.parent)  # the rename itself survives a power cut
    except BaseException as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(err, OSError):  # name the user's file, not the temporary one (the subclass is kept)
            raise OSError(err.errno, err.strerror or str(err), str(path)) from err
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; its rename is already durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
