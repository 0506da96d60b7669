"""The form page as `sangkien.site.form` generates it, without a browser: embedded data, the
Python -> JavaScript regex translation, the assets and the vendored libraries with their licences."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from sangkien import schemas, validator
from sangkien.checks import text as text_rules
from sangkien.codes import CODES
from sangkien.site import form

ROOT = Path(__file__).resolve().parents[1]
VENDOR = form.ASSETS / "vendor"
# Sums of the files copied unmodified from the npm tarballs (see vendor/README.md).
VENDORED = {
    "cfworker-json-schema/validate.js": "0a39e19822777b23c8f373eee9e0ba19dd1fa4f2c61a559aa97545390aa62571",
    "cfworker-json-schema/format.js": "2cf9acde33bceee0f8a766325ce25ced44bbbe78efafb092d3948b6f6b47834b",
    "cfworker-json-schema/dereference.js": "1e56a8ad39adc596097362727b2dfe2731efe7e6de31395519b8abe0de341f36",
    "cfworker-json-schema/validator.js": "9d448d37388bbf096fc31b0e654927739070653df56c54d44504d21e06227525",
    "js-yaml/js-yaml.min.js": "32391560601990bb6e0daabd8106a35a6a539de088532413931a70a4cb4f4769",
}


@pytest.fixture(scope="module")
def repo():
    return validator.load(ROOT).repo


def without_words(node):
    """A schema without its titles and descriptions: what validation reads."""
    if isinstance(node, dict):
        return {k: without_words(v) for k, v in node.items() if k not in ("title", "description")}
    if isinstance(node, list):
        return [without_words(v) for v in node]
    return node


def embedded(markdown: str) -> dict:
    m = re.search(r'<script type="application/json" id="skf-data">(.*?)</script>', markdown, re.S)
    assert m, "the page must embed its data"
    return json.loads(m.group(1))


def test_page_embeds_schema_choices_and_rules(repo) -> None:
    page = form.form_markdown(repo, ROOT, {"host": "https://git.tinh.gov.vn/", "repository": "/snv/sangkien/", "branch": "chinh", "forge": "gitea"})
    assert page.startswith("---\ntitle: Nộp sáng kiến\n")
    assert "# Nộp sáng kiến" in page and "git.tinh.gov.vn" in page
    assert 'href="../assets/sangkien/form/form.css"' in page and 'src="../assets/sangkien/form/form.js"' in page
    assert "[Hướng dẫn nộp bài](../huong-dan/nop-bai/)" in page
    data = embedded(page)
    # the very file CI uses, with the form's plain wording on a few fields
    assert without_words(data["schema"]) == without_words(schemas.load_schema(ROOT, "entry"))
    representative = schemas.subschema(data["schema"], ("authors", 0, "representative"))
    assert representative["title"] == "Người đại diện" and "true" not in representative["description"]
    assert data["kind"] == "entry"
    assert data["git"] == {"host": "https://git.tinh.gov.vn", "repository": "snv/sangkien", "branch": "chinh", "forge": "gitea"}
    camps = {c["id"]: c for c in data["campaigns"]}
    assert {"chau-thanh-2024", "ba-ria-vung-tau-2023", "y-te-ninh-thuan-2025", "kcn-hung-yen-2024"} <= set(camps)
    assert camps["chau-thanh-2024"]["opens_at"] == "2024-05-15T00:00:00+07:00"
    assert camps["chau-thanh-2024"]["closes_at"] == "2024-06-26T00:00:00+07:00"  # first instant too late
    assert camps["kcn-hung-yen-2024"]["closes_at"] == "2024-05-25T00:00:00+07:00"  # "trước ngày 25/5/2024"
    assert camps["ba-ria-vung-tau-2023"]["kind"] == "thi-dua"
    assert "tn-ct-hao-duoc" in camps["chau-thanh-2024"]["eligible_units"]
    assert {u["id"] for u in data["units"]} == set(repo.units)
    # ids in use: a recognised initiative's path is public, any other file is known by its key only
    assert data["ids"][form.id_key("so-hoa-ho-so-mot-cua-xa")] == "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
    assert len(data["ids"]) == len(repo.entries) + len(repo.replications)
    hidden = [e for e in repo.entries.values() if not repo.recognitions(e.id)]
    assert hidden, "the shipped data has submissions that are not recognised"
    for item in hidden:
        assert data["ids"][form.id_key(item.id)] == "#" + form.id_key(item.path)
        assert item.id not in json.dumps(data, ensure_ascii=False), item.id  # no id of a non-public submission in the page
    assert set(data["codes"]) == set(CODES) and data["codes"]["SK214"]["title"] == CODES["SK214"].title
    assert "phongnv-cth@tayninh.gov.vn" in data["contacts"]["emails"]
    assert set(data["privacy"]["patterns"]) == set(form.PRIVACY_PATTERNS)


def test_replication_page(repo) -> None:
    page = form.replication_markdown(repo, ROOT, {"host": "https://gitlab.com", "repository": "snv/sangkien", "forge": "gitlab"})
    assert page.startswith("---\ntitle: Ghi nhận nhân rộng\n") and "# Ghi nhận nhân rộng" in page
    assert "sangkien new --nhan-rong" in page and 'data-kind="replication"' in page
    data = embedded(page)
    assert data["kind"] == "replication" and data["git"]["forge"] == "gitlab"
    assert without_words(data["schema"]) == without_words(schemas.load_schema(ROOT, "replication"))
    recognised = {i["id"] for i in data["initiatives"]}
    assert recognised == {e.id for e in repo.entries.values() if e.kind == "entry" and repo.recognition(e.id)}
    first = next(i for i in data["initiatives"] if i["id"] == "so-hoa-ho-so-mot-cua-xa")
    assert first["unit"] == "tn-ct-thanh-long" and first["decision"] and first["day"]
    assert {r["path"] for r in data["replications"]} == {r.path for r in repo.replications.values()}
    assert set(data["not_replicable"]) == {form.id_key(e.id) for e in repo.entries.values() if e.kind == "entry" and not repo.recognition(e.id)}
    assert form.PAGES["replication"].url == "ghi-nhan-nhan-rong/" and form.PAGES["entry"].url == form.PAGE_URL
    assert form.page_markdown("replication", repo, ROOT) == form.replication_markdown(repo, ROOT)


@pytest.mark.parametrize(("forge", "expected"), [("GitLab", "gitlab"), ("forgejo", "forgejo"), ("gitea", "gitea"), ("bitbucket", "github"), ("", "github")])
def test_forge_setting(forge: str, expected: str) -> None:
    assert form.source_settings({"forge": forge})["forge"] == expected


def test_id_key_is_fnv1a() -> None:
    assert form.id_key("") == "cbf29ce484222325"
    assert form.id_key("a") == "af63dc4c8601ec8c"  # the published FNV-1a 64 test vector


def test_fixes_shown_by_the_form_name_fields_as_the_form_does(repo) -> None:
    data = embedded(form.form_markdown(repo, ROOT, None))
    for code in form.FORM_FIXES:
        assert code in CODES
        fix = data["codes"][code]["fix"]
        assert not re.search(r"\b(?:true|false)\b|\b[a-z]+_[a-z_]+\b|\b(?:campaign|unit|contribution|representative|initiative|since)\b", fix), (code, fix)
    assert data["codes"]["SK214"]["title"] == CODES["SK214"].title  # titles and severities stay the catalogue's


def test_defaults_without_settings(repo) -> None:
    data = embedded(form.form_markdown(repo, ROOT, None))
    assert data["git"] == {"host": "https://github.com", "repository": "", "branch": "main", "forge": "github"}


def test_embedded_json_cannot_close_its_script(repo, tmp_path) -> None:
    root = tmp_path / "kho"
    for name in ("entries", "schema"):
        (root / name).mkdir(parents=True)
    schema = json.loads((ROOT / "schema/entry.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["title"]["description"] = "</script><script>alert(1)</script> <!-- & -->"
    (root / "schema/entry.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    page = form.form_html(repo, root)
    block = page.split('id="skf-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert embedded(page)["schema"]["properties"]["title"]["description"].startswith("</script>")


def test_every_privacy_pattern_translates() -> None:
    for name in form.PRIVACY_PATTERNS:
        out = form.js_regex(getattr(text_rules, name))
        assert "\\w" not in out["source"] and "\\b" not in out["source"] and "\\d" not in out["source"], name
        assert "u" in out["flags"]
    assert form.js_regex(text_rules.UNSAFE_LINK)["flags"] == "ui"


@pytest.mark.parametrize(("pattern", "source"), [
    (r"\w+", r"[\p{L}\p{N}_]+"),
    (r"[\w.-]", r"[\p{L}\p{N}_.-]"),
    (r"\d{3}", r"\p{Nd}{3}"),
    (r"[ .\-]?", r"[ .\-]?"),
    ("\\u00e9x", r"\u{e9}x"),
    ("é", r"\u{e9}"),
    (r"a\.b\(c\)", r"a\.b\(c\)"),
])
def test_regex_translation(pattern: str, source: str) -> None:
    assert form.js_regex(re.compile(pattern))["source"] == source


def test_word_boundary_becomes_unicode_aware() -> None:
    source = form.js_regex(re.compile(r"\bsinh\b"))["source"]
    assert source.startswith("(?:(?<=[\\p{L}\\p{N}_])(?![\\p{L}\\p{N}_])|") and source.endswith(")")


@pytest.mark.parametrize("pattern", [r"(?P<x>a)", r"\Z", re.compile("a", re.M)])
def test_untranslatable_regex_stops_the_build(pattern) -> None:
    with pytest.raises(form.UntranslatableRegex):
        form.js_regex(pattern if isinstance(pattern, re.Pattern) else re.compile(pattern))


def test_assets_are_copied_with_licences(tmp_path) -> None:
    written = form.write_form_assets(tmp_path)
    for rel in ("form.js", "rules.js", "dates.js", "entryfile.js", "markdown.js", "textnorm.js", "form.css",
                "vendor/cfworker-json-schema/LICENSE.md", "vendor/cfworker-json-schema/THIRD_PARTY_NOTICES.md",
                "vendor/js-yaml/LICENSE", "vendor/js-yaml/js-yaml.min.js", "vendor/README.md"):
        assert f"{form.SITE_ASSETS}/{rel}" in written
        assert (tmp_path / form.SITE_ASSETS / rel).is_file()
    assert "MIT License" in (tmp_path / form.SITE_ASSETS / "vendor/cfworker-json-schema/LICENSE.md").read_text(encoding="utf-8")


def test_vendored_files_are_the_published_ones() -> None:
    for rel, digest in VENDORED.items():
        assert hashlib.sha256((VENDOR / rel).read_bytes()).hexdigest() == digest, rel
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert "4.1.6" in readme and "4.3.2" in readme


def test_no_third_party_address_in_the_assets() -> None:
    """Nothing the form runs may fetch from another host: no absolute URL in our own scripts."""
    for path in form.ASSETS.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w/])(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text.replace("https?:\\/\\/", "")), path.name
        assert "fetch(" not in text and "XMLHttpRequest" not in text and "import(" not in text, path.name
