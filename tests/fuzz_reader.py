"""Fuzz the reader and the validator: any bytes give a parsed document or coded problems, never
an exception, a problem code outside the catalogue, or a hang.

Coverage-guided with atheris (libFuzzer) when it is installed, else hypothesis with a large
example budget. Runnable standalone, see dev/fuzzing.md:

    pip install "atheris>=2.3,<4"
    python tests/fuzz_reader.py -max_total_time=660 -timeout=10 -print_final_stats=1
    python tests/fuzz_reader.py --hypothesis 20000          # without atheris

Every input goes through `read_markdown`, `read_yaml`, `yamlstrict.load` on its text and the
per-file rules (schema, place, entry, privacy and text scan); one input in four is also placed
in a small real repository (tests/fixtures/entries) as an entry, a campaign, a decisions file
or the unit registry, and the whole validator runs over it.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import shutil
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tools"))

from sangkien import layout, schemas, validator, yamlstrict  # noqa: E402
from sangkien.checks import entry as entry_rules  # noqa: E402
from sangkien.checks import text as text_rules  # noqa: E402
from sangkien.codes import CODES  # noqa: E402
from sangkien.problems import Problem  # noqa: E402
from sangkien.reader import Document, read_markdown, read_yaml  # noqa: E402

FIXTURE = HERE / "fixtures" / "entries"
ENTRY = "entries/thu-nghiem-2025/so-thu/bai-mot.md"
# Where an input may be placed in the small repository: the kinds of file the validator reads.
PLACES = (ENTRY, "entries/thu-nghiem-2025/campaign.yaml", "entries/thu-nghiem-2025/decisions.yaml", "entries/units.yaml")


class Broken(AssertionError):
    """An invariant of the reader or validator does not hold for this input."""


def check_problems(problems: list[Problem]) -> None:
    for p in problems:
        if p.code not in CODES:
            raise Broken(f"unknown code {p.code}")
        if p.line < 1 or p.column < 1 or not p.message.strip() or p.severity not in ("error", "warning"):
            raise Broken(f"malformed problem {p}")


def check_document(doc: Document) -> None:
    check_problems(doc.problems)
    if doc.readable:
        if not isinstance(doc.data, dict):
            raise Broken("readable document without a mapping")
    elif not any(p.is_error for p in doc.problems):
        raise Broken("document neither parsed nor refused with an error")


def scratch_dir(base: str | None) -> Path:
    """A temporary folder named after this process. libFuzzer ends the process with _exit, so
    atexit never runs: folders of processes that no longer exist are removed here instead."""
    parent = Path(base or tempfile.gettempdir())
    for old in parent.glob("sangkien-fuzz-*-*"):
        try:
            pid = int(old.name.split("-")[2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(old, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue
    return Path(tempfile.mkdtemp(prefix=f"sangkien-fuzz-{os.getpid()}-", dir=parent))


class Workspace:
    """A throw-away copy of the small fixture repository, restored after every input."""

    def __init__(self) -> None:
        base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        self.root = scratch_dir(base)
        shutil.copytree(FIXTURE, self.root / "entries")
        shutil.copytree(ROOT / "schema", self.root / "schema")
        self.original = {rel: (self.root / rel).read_bytes() for rel in PLACES}
        atexit.register(shutil.rmtree, self.root, True)

    def validate(self, rel: str, raw: bytes) -> None:
        target = self.root / rel
        target.write_bytes(raw)
        try:
            report = validator.validate(self.root)
            check_problems(report.problems)
        finally:
            target.write_bytes(self.original[rel])


def per_file(root: Path, doc: Document) -> list[Problem]:
    """The per-file rules as validator.load applies them to one entry."""
    out: list[Problem] = []
    if not doc.readable:
        return out
    out.extend(schemas.schema_problems(root, "entry", doc.parsed, doc.path))
    schemas.prune_invalid(root, "entry", doc.data)
    out.extend(entry_rules.check_place(doc, layout.classify(doc.path)))
    out.extend(entry_rules.check_entry(doc, root))
    schema = schemas.load_schema(root, "entry")
    out.extend(text_rules.scan_strings(doc.data, (), doc.parsed, doc.path, lambda p: schemas.label(schema, p), set(), set()))
    out.extend(text_rules.scan_body(doc.body, doc.body_line, doc.path, set(), set()))
    return out


def one_input(raw: bytes, space: Workspace, full: bool | None = None) -> None:
    doc = read_markdown(raw, ENTRY)
    check_document(doc)
    check_problems(per_file(space.root, doc))
    check_document(read_yaml(raw, "entries/units.yaml"))
    text = raw.decode("utf-8", "replace")
    check_problems(yamlstrict.load(text, "x.yaml").problems)  # past the reader's own guards (tabs, size)
    first = raw[0] if raw else 0
    if full if full is not None else first % 8 < 2:
        space.validate(PLACES[first % len(PLACES)], raw)


def seeds() -> list[Path]:
    found = sorted(FIXTURE.rglob("*.md")) + sorted(FIXTURE.rglob("*.yaml"))
    hostile = HERE / "hostile"
    if hostile.is_dir():
        found += sorted(p for p in hostile.rglob("*") if p.is_file() and p.name != "cases.yaml" and p.stat().st_size <= 16 * 1024)
    return found


def run_atheris(argv: list[str], only_sangkien: bool) -> None:
    import atheris

    space = Workspace()
    space.validate(ENTRY, space.original[ENTRY])  # load every module the validator uses
    if only_sangkien:  # seconds instead of minutes: for the short bounded run of the test suite
        for obj in gc.get_objects():
            if isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("sangkien"):
                atheris.instrument_func(obj)
    else:
        atheris.instrument_all()  # the package was imported above, so instrument what is loaded (PyYAML, jsonschema too)
    corpus = scratch_dir(None)
    for i, seed in enumerate(seeds()):
        shutil.copy(seed, corpus / f"seed-{i:03d}")
    atexit.register(shutil.rmtree, corpus, True)
    args = [a for a in argv if a.startswith("-")]
    print(f"fuzz: atheris, {len(seeds())} seeds, repository copy in {space.root}", flush=True)

    def target(data: bytes) -> None:
        one_input(data, space)

    atheris.Setup([sys.argv[0], *args, str(corpus)], target)
    atheris.Fuzz()


def run_hypothesis(examples: int, seconds: float | None) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    sys.path.insert(0, str(HERE))
    from test_properties import yamlish_documents  # the grammar the property tests use

    space = Workspace()
    count = 0
    started = time.monotonic()
    deadline = started + seconds if seconds else None

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=4096), yamlish_documents().map(lambda t: t.encode("utf-8"))))
    def prop(raw: bytes) -> None:
        nonlocal count
        if deadline and time.monotonic() > deadline:
            return
        count += 1
        one_input(raw, space)

    for seed in seeds():
        one_input(seed.read_bytes(), space, full=True)
        count += 1
    prop()
    print(f"fuzz: hypothesis, {count} inputs in {time.monotonic() - started:.0f} s, no failure", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hypothesis", type=int, metavar="N", help="use hypothesis with N examples instead of atheris")
    parser.add_argument("--seconds", type=float, help="(hypothesis) stop after this many seconds")
    parser.add_argument("--only-sangkien", action="store_true", help="(atheris) measure coverage of sangkien only: starts in seconds")
    known, rest = parser.parse_known_args()
    if known.hypothesis is None:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("fuzz: atheris is not installed, using hypothesis (pip install 'atheris>=2.3,<4' for coverage-guided fuzzing)")
            known.hypothesis = 20000
    if known.hypothesis is not None:
        return run_hypothesis(known.hypothesis, known.seconds)
    run_atheris(rest, known.only_sangkien)
    return 0


if __name__ == "__main__":
    sys.exit(main())
