"""Front-matter readers compared on real-sized entries (issue 14: is a faster YAML reader worth a switch?).

    python benchmarks/yaml_readers.py [--entries N] [--repo DIR]

Reads the front matter of N entries (a repository's entries/, or benchmarks/synth.py's when no
--repo is given) and times, per file, in one process (best of 3 passes):
- yamlstrict.load: what the validator uses (libyaml events, values with positions, YAML 1.2);
- yamlstrict.load_reference: libyaml composes the nodes, Python builds the values;
- yaml.compose with libyaml alone (nodes, no values): the floor of any libyaml-based reader;
- rapidyaml (ryml 0.15.2, if installed): the parse alone, the parse plus a Python walk that
  builds plain values, and the parse plus ryml's JSON emitter and json.loads (values from C);
  none with positions (its Python wrapper exposes no locations) nor YAML 1.2 typing.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402
from sangkien import yamlstrict  # noqa: E402


def front_matters(repo: Path | None, n: int) -> list[str]:
    if repo is None:
        import synth

        folder = Path(tempfile.mkdtemp(prefix="yaml-readers-"))
        synth.generate(folder, n)
        repo = folder
    out = []
    for path in sorted((repo / "entries").rglob("*.md"))[:n]:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            end = text.find("\n---", 4)
            if end > 0:
                out.append(text[4:end + 1])
    return out


def best(fn: Callable[[str], object], texts: list[str], passes: int = 3) -> float:
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for t in texts:
            fn(t)
        times.append(time.perf_counter() - start)
    return min(times) / len(texts) * 1e6


def ryml_walk(tree: object) -> object:
    import ryml

    def value(node: int) -> object:
        if tree.is_map(node):  # type: ignore[attr-defined]
            return {bytes(tree.key(c)).decode(): value(c) for c in ryml.children(tree, node)}  # type: ignore[attr-defined]
        if tree.is_seq(node):  # type: ignore[attr-defined]
            return [value(c) for c in ryml.children(tree, node)]
        return bytes(tree.val(node)).decode()  # type: ignore[attr-defined]

    return value(tree.root_id())  # type: ignore[attr-defined]


def ryml_json(text: str) -> object:
    import json

    import ryml

    tree = ryml.parse_in_arena(text.encode())
    return json.loads(ryml.emit_json_malloc(tree, tree.root_id()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repo", type=Path)
    args = parser.parse_args()
    texts = front_matters(args.repo, args.entries)
    if not texts:
        print("Không tìm thấy bài nào có phần thông tin (---).")
        return 1
    rows = [
        ("yamlstrict.load (đang dùng: sự kiện libyaml, giá trị kèm vị trí)", best(lambda t: yamlstrict.load(t, "x.md"), texts)),
        ("yamlstrict.load_reference (libyaml dựng nút, Python dựng giá trị)", best(lambda t: yamlstrict.load_reference(t, "x.md"), texts)),
        ("yaml.compose, libyaml (chỉ dựng nút, không có giá trị)", best(lambda t: yaml.compose(t, Loader=yaml.CSafeLoader), texts)),
    ]
    try:
        import ryml

        rows.append(("rapidyaml: chỉ phân tích", best(lambda t: ryml.parse_in_arena(t.encode()), texts)))
        rows.append(("rapidyaml: phân tích + duyệt cây bằng Python (không vị trí, không kiểu YAML 1.2)",
                     best(lambda t: ryml_walk(ryml.parse_in_arena(t.encode())), texts)))
        rows.append(("rapidyaml: phân tích + xuất JSON bằng C + json.loads (không vị trí)", best(ryml_json, texts)))
    except ImportError:
        rows.append(("rapidyaml: chưa cài (pip install rapidyaml==0.15.2)", float("nan")))
    print(f"# Trình đọc phần thông tin YAML ({len(texts)} bài, µs mỗi bài, tốt nhất của 3 lượt)\n")
    print("| Trình đọc | µs/bài |\n|---|---:|")
    for label, us in rows:
        print(f"| {label} | {us:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
