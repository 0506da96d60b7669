"""The one validator that CI, pre-commit, the CLI and the form's rules all go through.

Flow: the last full run's problems if nothing changed since (runmemo.py) -> else read the
repository (loader.py) -> the rules of the registry in order (rules.py), those on the change
set too when there is a base -> keep the problems of the files asked about, one per place.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sangkien import gitutil, layout, rules, runmemo, settings
from sangkien.checks import hygiene as hygiene_rules
from sangkien.codes import problem
from sangkien.loader import Loaded, load
from sangkien.problems import Problem, sort_key

__all__ = ["Loaded", "Report", "load", "one_per_place", "validate"]


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def validate(root: Path, paths: list[str] | None = None, base: str | None = None, at: datetime | None = None,
             actor: str | None = None) -> Report:
    """Validate the repository at `root`; keep the problems of `paths` (all files if none).

    With `base`, the rules on the change set (deadlines, novelty, and with `actor` who may
    change what) judge what changed since the merge base, at `at` (settings.now() if not
    given). The whole repository's time-dependent rule (future dates, checks/dates.py) judges
    at `at` without a change set, and with one at the later of `at` and settings.now().
    """
    general: list[Problem] = []  # about the run, not a file: kept whatever paths were asked for
    root = root.resolve()
    at = at or settings.now()
    changes = None
    # Git lists the gitlinks and works out the change set (it stats the whole tree) on the other
    # core while this one reads the last run's record and walks the tree; joined before anything forks.
    with ThreadPoolExecutor(max_workers=1) as background:
        recorded = background.submit(hygiene_rules.gitlinks, root)
        asked = background.submit(gitutil.changed_files, root, base) if base is not None else None
        last = runmemo.last_run(root)
        now = runmemo.tree(root, recorded.result) if last is not None else None  # hashing the tree is only worth it with something to compare
        if base is not None and asked is not None:
            try:
                changes = rules.ChangeSet(base, tuple(asked.result()), actor)
            except gitutil.GitError as err:
                general.append(problem("SK902", ".", 1, 1, f"Không so sánh được với «{base}»: {err}"))
                changes = rules.ChangeSet(base, (), actor)
    # What the whole repository is judged at. A change set is judged at the Git host's event time
    # (`at`), but the tree also holds the base branch's later files (a re-run of an old pull
    # request's check): nothing in it is "future" that is not after today as well.
    whole_at = max(at, settings.now()) if changes is not None else at
    if last is not None:
        # Judged on a day on the other side of a date: its time-dependent problems no longer hold.
        last = last.worded_at(whole_at) if last.holds_at(whole_at) else None
    if now is not None and last is not None and now.key == last.key and changes is None:
        # Nothing changed since the last full run: its problems, without reading a file.
        runmemo.restamp(now)
        files, problems = now.files, list(last.problems)
    else:
        # The files of the change set are read whatever the last run saw: its rules look at them.
        judged = {path for _, path in changes.files} if changes is not None else set()
        plan = runmemo.plan(now, last, judged) if now is not None and last is not None else None
        if now is not None:
            runmemo.restamp(now)
        discovered = (now.files, now.links) if now is not None else None
        last = now = None  # 10,000 paths and hashes each, freed for the model to reuse before it is built
        loaded = load(root, plan.skip if plan is not None else None, recorded.result(), discovered)
        files = loaded.files
        problems = rules.run(loaded, None, whole_at, rules.whole_repository())
        if plan is not None:  # the files not checked again keep the last run's problems
            problems = plan.kept + [p for p in problems if p.file not in plan.skip]
        if plan is None or changes is None:
            # A change set's check from a plan leaves the record as it is: the next run plans
            # from it as well, and rewriting 10,000 entries' facts would cost more than the check.
            runmemo.remember(loaded, problems, whole_at)
        if changes is not None:
            problems += rules.run(loaded, changes, at, rules.on_changes())
    if not (root / layout.ENTRIES).is_dir():
        general.insert(0, problem("SK901", layout.ENTRIES, 1, 1, f"Không tìm thấy thư mục entries/ trong «{root}», nên không có gì để kiểm tra.",
                                  "Chạy lệnh trong thư mục của kho sáng kiến (nơi có thư mục entries/), hoặc ghi --root <thư mục kho>."))
    scope, missing = _scope(root, paths)
    if scope is not None:
        problems = [p for p in problems if _in_scope(p.file, scope)]
        checked = sum(1 for f in files if _in_scope(f, scope)) + sum(1 for s in scope if not s.startswith(layout.ENTRIES))
    else:
        checked = len(files)
    problems.extend(missing + general)  # after the filter: a path that is not there is outside every scope
    return Report(one_per_place(problems), checked)


def one_per_place(problems: list[Problem]) -> list[Problem]:
    """At each file:line:column keep the errors of the first code found there: a later stage
    repeating the same fault under another code (a misspelt area is also 'not accepted by the
    campaign') would only add noise, while several faults of one kind at one place (three
    missing fields reported at the mapping's start) are all kept."""
    kept: list[Problem] = []
    first_code: dict[tuple[str, int, int], str] = {}
    for p in problems:
        place = (p.file, p.line, p.column)
        if p.is_error and first_code.setdefault(place, p.code) != p.code:
            continue
        kept.append(p)
    return sorted(set(kept), key=sort_key)


def _scope(root: Path, paths: list[str] | None) -> tuple[list[str] | None, list[Problem]]:
    if not paths:
        return None, []
    scope, missing = [], []
    for raw in paths:
        full = Path(raw) if os.path.isabs(raw) else Path.cwd() / raw
        if not full.exists():
            missing.append(problem("SK901", raw, 1, 1, f"Không tìm thấy «{raw}»."))
            continue
        try:
            rel = full.resolve().relative_to(root).as_posix()
        except ValueError:
            missing.append(problem("SK314", raw, 1, 1, f"«{raw}» nằm ngoài kho đang kiểm tra ({root})."))
            continue
        scope.append("" if rel == "." else rel)
        if not rel.startswith(layout.ENTRIES) and full.is_file():
            missing.append(problem("SK314", rel, 1, 1, f"Tệp «{rel}» không nằm trong thư mục entries/."))
    return scope, missing


def _in_scope(file: str, scope: list[str]) -> bool:
    return any(s == "" or file == s or file.startswith(s.rstrip("/") + "/") for s in scope)
