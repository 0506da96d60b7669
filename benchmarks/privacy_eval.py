"""Precision and recall of the privacy rules on the corpora in tests/fixtures/privacy/.

    python benchmarks/privacy_eval.py                      # writes dev/privacy-rules.md
    python benchmarks/privacy_eval.py --baseline 1efa8a9   # adds the rules of an older commit

Each case is scanned as `sangkien validate` scans a body line (sangkien.checks.text.scan, with the
registry's switchboards and mailboxes allowed); tests/test_privacy_corpus.py checks that the CLI
gives the same verdicts on whole entries. A personal case counts as found when its expected code
is reported as an error; a legitimate case is a false alarm when any privacy rule reports anything.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sangkien import validator  # noqa: E402
from sangkien.checks import text as current  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "privacy"
PRIVACY = {"SK501", "SK503", "SK504", "SK505", "SK506", "SK507", "SK508", "SK509"}


def load(name: str) -> list[dict]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))["cases"]


def old_rules(rev: str):
    """checks/text.py (and checks/privacy.py if it existed) of an older commit, as a module."""
    folder = Path(tempfile.mkdtemp())
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:tools/sangkien/checks/text.py"], capture_output=True, text=True,
                            check=True).stdout
    path = folder / "old_text.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_text", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate(rules, phones: set[str], emails: set[str]) -> dict:
    personal, legitimate = load("personal.yaml"), load("legitimate.yaml")
    per_code: dict[str, Counter] = {}
    found = wrong = missed = false = 0
    misses, alarms = [], []
    for case in personal:
        codes = [p.code for p in rules.scan(case["text"], "f", 1, 1, "x", phones, emails, markup=True)
                 if p.code in PRIVACY and p.severity == "error"]
        tally = per_code.setdefault(case["code"], Counter())
        tally["cases"] += 1
        if case["code"] in codes:
            found += 1
            tally["found"] += 1
        elif codes:
            wrong += 1
            misses.append(f"{case['id']} ({'/'.join(codes)})")
        else:
            missed += 1
            misses.append(case["id"])
    for case in legitimate:
        codes = [p.code for p in rules.scan(case["text"], "f", 1, 1, "x", phones, emails, markup=True) if p.code in PRIVACY]
        if codes:
            false += 1
            alarms.append(f"{case['id']} ({'/'.join(codes)})")
    flagged = found + wrong + false
    return {
        "personal": len(personal), "legitimate": len(legitimate), "found": found, "wrong": wrong, "missed": missed, "false": false,
        "precision": found / flagged if flagged else 1.0, "recall": found / len(personal), "per_code": per_code,
        "misses": misses, "alarms": alarms,
    }


def percent(x: float) -> str:
    return f"{100 * x:.1f} %"


def render(now: dict, before: dict | None, rev: str | None) -> str:
    head = "| | these rules |" + (f" rules at {rev} |" if before else "")
    rule = "|---|---|" + ("---|" if before else "")
    rows = [("personal cases (tests/fixtures/privacy/personal.yaml)", "personal"), ("legitimate cases (legitimate.yaml)", "legitimate"),
            ("found with the expected code", "found"), ("flagged with another code", "wrong"), ("missed", "missed"),
            ("false alarms on legitimate text", "false")]
    lines = [head, rule]
    for label, key in rows:
        lines.append(f"| {label} | {now[key]} |" + (f" {before[key]} |" if before else ""))
    for label, key in (("**precision**", "precision"), ("**recall**", "recall")):
        lines.append(f"| {label} | **{percent(now[key])}** |" + (f" {percent(before[key])} |" if before else ""))
    codes = ["| code | cases | found | recall |", "|---|---|---|---|"]
    for code in sorted(now["per_code"]):
        tally = now["per_code"][code]
        codes.append(f"| {code} | {tally['cases']} | {tally['found']} | {percent(tally['found'] / tally['cases'])} |")
    notes = []
    if before:
        notes.append(f"Missed or misnamed by the rules at {rev}: {', '.join(before['misses']) or 'none'}. "
                     f"False alarms there: {', '.join(before['alarms']) or 'none'}. (The older rules run with today's codes.py, "
                     "so an unregistered landline, SK506, counts as an error there too; it was a warning.)")
    notes.append(f"Missed or misnamed now: {', '.join(now['misses']) or 'none'}. False alarms now: {', '.join(now['alarms']) or 'none'}.")
    return "\n".join([
        "# Privacy rules: precision and recall",
        "",
        "Developer page (not in the site's navigation). Produced by `python benchmarks/privacy_eval.py"
        + (f" --baseline {rev}" if rev else "") + "`; do not edit by hand.",
        "",
        "The rules live in `tools/sangkien/checks/privacy.py` (twin in the form: `assets/form/privacy.js`, fed with the same",
        "patterns by `site/form.py`). Text is first normalised into a *view*: NFKC per character (full-width digits become",
        "ASCII), folded like `textnorm.fold`, zero-width and other hidden characters dropped; numbers are then read with",
        "separators (space, dot, dashes) between digits, inside `zalo.me/`, `wa.me/`, `tel:` links, and with context words",
        "where digits alone are ambiguous (CMND, STK / số tài khoản, mã số thuế, ông/bà … (1985)). Digits inside other",
        "web addresses and tax codes after «mã số thuế»/«MST» are left alone; the registry's switchboards and mailboxes are",
        "allowed. Every finding is an error except a mailbox of an agency domain that the registry does not list (a warning).",
        "",
        "A personal case counts as found when its expected code is reported as an error; precision is found / everything",
        "flagged (found + wrong code + false alarms); recall is found / personal cases. The corpora also run through the real",
        "`sangkien validate` (tests/test_privacy_corpus.py) and the form in Chromium (tests/test_form_browser.py).",
        "",
        *lines,
        "",
        *codes,
        "",
        *notes,
        "",
        "A corpus written by the rules' authors measures what was designed, not what users will type: add every real",
        "miss or false alarm reported by a unit to the corpora first, then change the rules.",
        "",
        "## Known limits",
        "",
        "- A title word followed by up to five words and a year 1940-2009 in parentheses is read as a birth year: a place",
        "  name starting with «Bà»/«Ông» (\u00abBà Rịa (1975)\u00bb) would be a false alarm. Years from 2010 are never read so.",
        "- Bank accounts are read only after a context word, with spaces or dashes between digits (not dots, which are",
        "  thousands in statistics); a bare account number with no context word is not found.",
        "- Separators: at most three between two digits (two after a +84 prefix); longer gaps are not one number.",
        "- Obfuscated e-mail: `@` with spaces, `[at]`/`(at)`/`{at}`/`(a)`, «a còng», `[dot]`/`(dot)`/` dot `/`[chấm]`;",
        "  a bare « at » between words is not read (it is an English word).",
        "- A local part longer than 64 characters is not an address (RFC 5321) and is not reported.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description="Precision and recall of the privacy rules on tests/fixtures/privacy/.")
    parser.add_argument("--baseline", help="a commit whose checks/text.py rules to measure as well")
    parser.add_argument("--out", type=Path, default=ROOT / "dev" / "privacy-rules.md")
    args = parser.parse_args()
    phones, emails = validator.load(ROOT).repo.official_contacts()
    now = evaluate(current, phones, emails)
    before = evaluate(old_rules(args.baseline), phones, emails) if args.baseline else None
    args.out.write_text(render(now, before, args.baseline), encoding="utf-8")
    print(f"precision {percent(now['precision'])}, recall {percent(now['recall'])} -> {args.out}")


if __name__ == "__main__":
    main()
