"""rules.json (shared with the submission page's reader) agrees with the entry schema."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from sangkien.wordimport import rules as wr

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schema" / "entry.schema.json").read_text(encoding="utf-8"))


def _options(node: dict) -> list[tuple[str, str]]:
    if "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return [(o["const"], o["title"]) for o in node["oneOf"]]


def test_fields_are_schema_fields_and_choices_are_the_schema_titles() -> None:
    props = SCHEMA["properties"]
    for f in wr.rules()["form"]["fields"]:
        if f["type"] == "ignore":
            continue
        assert f["key"] in props, f["key"]
        if f["type"] in ("choice", "choices"):
            node = props[f["key"]]
            node = node.get("items", node) if f["type"] == "choices" else node
            assert [(c["code"], c["label"]) for c in f["choices"]] == _options(node), f["key"]
    required = {f["key"] for f in wr.rules()["form"]["fields"] if f["required"]}
    derived = {"id", "campaign", "unit", "submitted", "participation", "authors"}
    assert set(SCHEMA["required"]) - derived == required


def test_labels_and_variants_never_collide_between_fields() -> None:
    seen: dict[str, str] = {}
    for f in wr.rules()["form"]["fields"]:
        for variant in [wr.key(f["label"]), *f["variants"]]:
            assert variant == wr.key(variant), variant  # variants are written as keys
            assert seen.setdefault(variant, f["key"]) == f["key"], variant


def test_table_columns_are_schema_properties() -> None:
    props = SCHEMA["properties"]
    for part in ("authors", "participants", "results"):
        spec = wr.rules()[part]
        item = props[spec["key"]]["items"]["properties"]
        for column in spec["columns"]:
            if column["type"] not in ("ignore", "private", "change", "mark"):
                assert column["key"] in item, (part, column["key"])


def test_legacy_tables() -> None:
    assert wr.convert("C¶i c¸ch thñ tôc hµnh chÝnh", wr.TCVN3) == "Cải cách thủ tục hành chính"
    assert wr.convert("Caûi caùch thuû tuïc haønh chính, ñöôøng", wr.VNI) == "Cải cách thủ tục hành chính, đường"
    assert wr.convert("c¶i c¸ch", wr.TCVN3, upper=True) == "CẢI CÁCH"
    for table in ("tcvn3", "vni"):
        for value in wr.rules()[table].values():
            assert unicodedata.is_normalized("NFC", value)
    assert wr.legacy_of(".VnTime") == (wr.TCVN3, False)
    assert wr.legacy_of(".VnTimeH") == (wr.TCVN3, True)
    assert wr.legacy_of("VNI-Times") == (wr.VNI, False)
    assert wr.legacy_of("Times New Roman") is None
