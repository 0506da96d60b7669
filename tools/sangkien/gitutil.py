"""The few Git questions the validator asks: what changed since a base, and old contents."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """Git could not answer; the message is Git's own (shown to the user after a Vietnamese line)."""


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except OSError as err:  # git missing
        raise GitError(str(err)) from err
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def merge_base(root: Path, base: str) -> str:
    """Where the change starts: the merge base of `base` and HEAD (== base for a PR merge commit)."""
    try:
        return _git(root, "merge-base", base, "HEAD").decode().strip()
    except GitError:
        return _git(root, "rev-parse", "--verify", base + "^{commit}").decode().strip()


def changed_files(root: Path, base: str) -> list[tuple[str, str]]:
    """(status, path) for every file that differs between the base and the working tree.

    Status is A (added), M (modified) or D (deleted); renames count as D + A, because a moved
    entry is a new submission at its new place. Untracked, not-ignored files count as added.
    """
    start = merge_base(root, base)
    out = _git(root, "diff", "--name-status", "--no-renames", "-z", start, "--")
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    changes = [(fields[i][0], fields[i + 1]) for i in range(0, len(fields) - 1, 2) if fields[i]]
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z").decode("utf-8", "surrogateescape")
    changes += [("A", p) for p in untracked.split("\0") if p]
    return sorted(set(changes), key=lambda c: (c[1], c[0]))


def staged(root: Path, under: str) -> list[tuple[str, str]]:
    """(mode, path) of every entry of the index under the folder `under` (paths relative to `root`),
    gitlinks included: `git ls-files -s` is where a submodule shows as mode 160000 even when it
    is not checked out."""
    out = _git(root, "ls-files", "-s", "-z", "--", under).decode("utf-8", "surrogateescape")
    found = []
    for record in out.split("\0"):
        meta, _, path = record.partition("\t")
        if path:
            found.append((meta.split(" ", 1)[0], path))
    return found


def show(root: Path, ref: str, path: str) -> bytes | None:
    """A file as it was at `ref`, or None if it did not exist there."""
    try:
        return _git(root, "show", f"{ref}:{path}")
    except GitError:
        return None
