"""Slowness harness: does any rule or the Markdown rendering cost more than linear time?

For each construct (the issue's "<a" + spaces, unclosed "[", runs of headings, deep lists, long
lines of near misses for every pattern of checks/text.py and checks/privacy.py, YAML shapes) the
input is grown (10, 20, 40, 80 KB by default), the time to check the file the way `validate` checks
one (read, schema, placement, text rules, Markdown cost) and the time to render its body for the
site (site/markup.py) are measured, and the growth exponent k of time ~ size^k is fitted by least
squares on the log-log points. A construct fails when k > 1.3 and its largest time is above the
noise floor (tiny times are timer noise, not growth).

    python tests/helpers/slowness.py              # the table of dev/fuzzing.md («Độ chậm»)
    python tests/helpers/slowness.py --sizes 5000 10000 20000 --only html-a-spaces
    python tests/helpers/slowness.py --markdown   # the same table as Markdown

A measurement over --cap seconds (default 20) stops the growth of that construct: the old code
took minutes on several of them. tests/test_slowness.py runs a short version on every pytest.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from sangkien import reader, schemas  # noqa: E402
from sangkien.checks import text as text_rules  # noqa: E402
from sangkien.site import markup  # noqa: E402

LIMIT_K = 1.3
NOISE_S = 0.05  # below this at the largest size, the exponent is not judged
FRONT = """id: thu-do-cham
title: Thử độ chậm của bộ kiểm tra
campaign: chau-thanh-2024
unit: tn-ct-an-binh
submitted: "2024-06-20"
participation: ca-nhan
authors:
  - name: Trần Văn Bình
    position: Công chức Văn phòng - Thống kê
    workplace: UBND xã An Bình
    contribution: 100
field: Cải cách thủ tục hành chính cấp xã
areas: [thu-tuc-hanh-chinh]
solution_type: tac-nghiep
application_status: da-ap-dung
first_applied: "2024-01-15"
scope: xa
conditions: Có máy tính nối mạng nội bộ.
benefits_author: Không còn hồ sơ trễ hẹn.
"""
SUMMARY = "summary: Chuyển sổ theo dõi hồ sơ giấy sang bảng tính dùng chung, giảm hồ sơ trễ hẹn.\n"
BODY_HEAD = "## Thực trạng\n\nSổ theo dõi ghi tay.\n\n## Giải pháp\n\n"


def repeat(fragment: str) -> Callable[[int], str]:
    return lambda n: (fragment * (n // len(fragment) + 1))[:n]


def lines(fragment: str) -> Callable[[int], str]:
    return lambda n: fragment * max(1, n // len(fragment))


def noise(n: int) -> str:
    """Every character some pattern looks at, shuffled with a fixed seed (no match is intended)."""
    rng = random.Random(13)
    alphabet = "0123456789 .-+()/@<>&#;:\\`[]*_=\"'aAđĐsinhjvcrptx¶¸µñöøâê\u200b\u0430"
    return "".join(rng.choice(alphabet) for _ in range(n))


@dataclass(frozen=True)
class Construct:
    name: str
    where: str  # "body" (one Markdown body), "line" (one body line), "field" (the summary), "yaml" (front matter lines)
    make: Callable[[int], str]
    note: str


CONSTRUCTS = [
    Construct("html-a-spaces", "line", lambda n: "<a" + " " * (n - 2), '"<a" then spaces (issue 13: 8 minutes at 500 KB)'),
    Construct("html-near-miss", "line", repeat("x < y <= z <5 "), '"<" never followed by a letter'),
    Construct("html-code-spans", "line", lambda n: "".join("`" * (i % 97 + 1) + "<b>" for i in range(n // 52)), "backtick runs of many lengths around tags"),
    Construct("unclosed-brackets", "body", repeat("[a "), 'unclosed "[" in one paragraph'),
    Construct("link-parens", "body", repeat("[a](b "), '"[a](b" with no ")"'),
    Construct("nested-brackets", "body", lambda n: "[" * (n // 2) + "]" * (n // 2), "nested, all closed"),
    Construct("heading-run", "body", lines("# a\n"), "headings without blank lines"),
    Construct("rule-run", "body", lines("***\n"), "rules without blank lines"),
    Construct("deep-list", "body", lambda n: "- " * (n // 2) + "a", "list markers on one line"),
    Construct("quote-lines", "body", lines("> > > > a\n"), "quoted lines"),
    Construct("emphasis", "body", repeat("*a _b **c "), "unclosed emphasis"),
    Construct("table", "body", lambda n: "|a|b|\n|-|-|\n" + "|x|y|\n" * (n // 6), "one long table"),
    Construct("phone-near-miss", "line", repeat("0912 345 67x "), "numbers one digit short"),
    Construct("id-near-miss", "line", repeat("079 201 001 23. "), "ID numbers one digit short"),
    Construct("email-near-miss", "line", repeat("ten.ho-lot+x "), "addresses without @"),
    Construct("email-at-run", "line", repeat("a@b@c."), "@ without a domain"),
    Construct("birth-near-miss", "line", repeat("ngày sinh nhật "), '"sinh" without a date'),
    Construct("link-near-miss", "line", repeat("java script data : &#x6 \\ "), "unsafe-link fragments"),
    Construct("entity-digits", "line", lambda n: "&#" + "0" * (n - 3) + ";", "a character reference of n digits"),
    Construct("mojibake-near-miss", "line", repeat("a¶ ¸b oa ea "), "legacy-font fragments"),
    Construct("mixed-script", "line", repeat("cаfé "), "Latin and Cyrillic in one word"),
    Construct("noise", "line", noise, "every special character, shuffled"),
    Construct("field-html-a-spaces", "field", lambda n: "<a" + " " * (n - 2), "the same in a front-matter field"),
    Construct("field-noise", "field", noise, "noise in a front-matter field"),
    Construct("yaml-keywords", "yaml", lambda n: "keywords:\n" + "  - từ khóa\n" * (n // 13), "a long list"),
    Construct("yaml-flow", "yaml", lambda n: "keywords: [" + "a, " * (n // 3) + "a]\n", "a long flow sequence"),
    Construct("yaml-quoted", "yaml", lambda n: 'summary: "' + "\\u0041 \\\" " * (n // 10) + '"\n', "escapes in a quoted string"),
    Construct("yaml-folded", "yaml", lambda n: "summary: >\n" + "  dòng gấp\n" * (n // 11), "a folded block"),
    Construct("yaml-unknown-keys", "yaml", lambda n: "".join(f"k{i}: v\n" for i in range(n // 8)), "many unknown fields (one problem each)"),
]


def entry(construct: Construct, n: int) -> bytes:
    grown = construct.make(n)
    front, body = FRONT, BODY_HEAD + "Chuyển sổ sang bảng tính.\n"
    if construct.where == "field":
        front += "summary: |-\n  " + grown.replace("\n", " ") + "\n"
    else:
        front += SUMMARY
    if construct.where == "yaml":
        front = "\n".join(line for line in front.split("\n") if not line.startswith(("summary:", "keywords:"))) + grown
    elif construct.where == "body":
        body += "\n" + grown + "\n"
    elif construct.where == "line":
        body += "\n" + grown.replace("\n", " ") + "\n"
    return f"---\n{front}---\n\n{body}".encode()


def check_time(raw: bytes) -> tuple[float, set[str]]:
    """What `validate` does for one entry file (less the cross-file rules, which are per entry)."""
    path = "entries/chau-thanh-2024/tn-ct-an-binh/thu-do-cham.md"
    started = time.perf_counter()
    doc = reader.read_markdown(raw, path)
    found = list(doc.problems)
    if doc.readable:
        found += schemas.schema_problems(ROOT, "entry", doc.parsed, path)
        schema = schemas.load_schema(ROOT, "entry")
        found += text_rules.scan_strings(doc.data, (), doc.parsed, path, lambda p, s=schema: schemas.label(s, p), set(), set())
        found += text_rules.scan_body(doc.body, doc.body_line, path, set(), set())
    return time.perf_counter() - started, {p.code for p in found if p.is_error}


def render_time(raw: bytes) -> float:
    doc = reader.read_markdown(raw, "x.md")
    markup.MEMO = None
    started = time.perf_counter()
    try:
        markup.render_markdown(doc.body)
    except RecursionError:
        return float("inf")
    return time.perf_counter() - started


def exponent(points: list[tuple[int, float]]) -> float:
    pts = [(math.log(s), math.log(max(t, 1e-5))) for s, t in points if math.isfinite(t)]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else float("nan")


@dataclass
class Row:
    construct: Construct
    check: list[tuple[int, float]]
    render: list[tuple[int, float]]
    codes: set[str]

    def k(self, which: str) -> float:
        return exponent(getattr(self, which))

    def failing(self, which: str) -> bool:
        points = getattr(self, which)
        if any(not math.isfinite(t) for _, t in points):
            return True
        return bool(points) and points[-1][1] > NOISE_S and self.k(which) > LIMIT_K


def measure(construct: Construct, sizes: list[int], cap: float, repeats: int = 3) -> Row:
    row = Row(construct, [], [], set())
    check_open = render_open = True
    for n in sizes:
        raw = entry(construct, n)
        if check_open:
            best = math.inf
            for _ in range(repeats if n <= sizes[0] * 4 else 1):
                t, row.codes = check_time(raw)
                best = min(best, t)
            row.check.append((len(raw), best))
            check_open = best < cap
        if render_open:
            best = min(render_time(raw) for _ in range(repeats if n <= sizes[0] * 4 else 1))
            row.render.append((len(raw), best))
            render_open = math.isfinite(best) and best < cap
        if not check_open and not render_open:
            break
    return row


def table(rows: list[Row]) -> str:
    out = ["| Cấu trúc | Kích thước | Kiểm tra (giây) | k kiểm tra | Dựng Markdown (giây) | k dựng | Mã lỗi |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        sizes = "–".join(f"{s // 1000}" for s, _ in (r.check or r.render)) + " KB"
        check = " / ".join(f"{t:.3f}" for _, t in r.check)
        render = " / ".join("đệ quy quá sâu" if not math.isfinite(t) else f"{t:.3f}" for _, t in r.render)
        kc, kr = r.k("check"), r.k("render")
        mark = lambda k, bad: ("**" + f"{k:.2f}" + "**") if bad else f"{k:.2f}"  # noqa: E731
        out.append(f"| {r.construct.name} | {sizes} | {check} | {mark(kc, r.failing('check'))} | {render} | {mark(kr, r.failing('render'))} | "
                   f"{', '.join(sorted(r.codes)) or '—'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 40_000, 80_000])
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--cap", type=float, default=20.0)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    chosen = [c for c in CONSTRUCTS if args.only is None or c.name in args.only]
    rows = []
    for c in chosen:
        sizes = [min(s, 48_000) for s in args.sizes] if c.where in ("yaml", "field") else args.sizes  # front matter: 64 KB at most
        rows.append(measure(c, sorted(set(sizes)), args.cap))
        r = rows[-1]
        if not args.markdown:
            print(f"{c.name:22} check k={r.k('check'):.2f} {[round(t, 3) for _, t in r.check]}  render k={r.k('render'):.2f} "
                  f"{[round(t, 3) for _, t in r.render]}  {sorted(r.codes)}", flush=True)
    if args.markdown:
        print(table(rows))
    bad = [r.construct.name for r in rows if r.failing("check") or r.failing("render")]
    if bad:
        print(f"Tăng nhanh hơn tuyến tính (k > {LIMIT_K}): {', '.join(bad)}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
