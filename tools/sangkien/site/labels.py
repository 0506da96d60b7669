"""Vietnamese labels of coded values, read from the schemas (the single source of truth)."""

from __future__ import annotations

import json
from pathlib import Path

from sangkien import schemas

# name -> (schema kind, path to the node inside an instance)
ENUMS: dict[str, tuple[str, tuple[str | int, ...]]] = {
    "area": ("entry", ("areas", 0)),
    "index": ("entry", ("indices", 0)),
    "solution_type": ("entry", ("solution_type",)),
    "application_status": ("entry", ("application_status",)),
    "scope": ("entry", ("scope",)),
    "participation": ("entry", ("participation",)),
    "form": ("entry", ("forms", 0)),
    "attachment": ("entry", ("attachments", 0, "kind")),
    "better": ("entry", ("results", 0, "better")),
    "recognition_level": ("decisions", ("recognitions", 0, "level")),
    "screening": ("decisions", ("screening", 0, "result")),
    "campaign_kind": ("campaign", ("kind",)),
    "rule": ("campaign", ("window", "closes", "rule")),
    "combine": ("campaign", ("rubric", "combine")),
    "recurrence": ("campaign", ("recurrence", "every")),
    "unit_kind": ("units", ("units", 0, "kind")),
    "unit_level": ("units", ("units", 0, "level")),
    "nomination_level": ("nomination", ("level",)),
}


class Labels:
    def __init__(self, root: Path) -> None:
        self._maps: dict[str, dict[str, str]] = {}
        for name, (kind, path) in ENUMS.items():
            try:
                schema = schemas.load_schema(root, kind)
            except (OSError, ValueError):
                self._maps[name] = {}
                continue
            self._maps[name] = dict(schemas.choices(schema, schemas.subschema(schema, path)))
        self._indicators = self._nomination_indicators(root)

    def __call__(self, name: str, value: object) -> str:
        """The label of `value`, or the value itself when unknown."""
        return self._maps.get(name, {}).get(str(value), str(value))

    def options(self, name: str) -> list[tuple[str, str]]:
        return list(self._maps.get(name, {}).items())

    def digest(self) -> str:
        """Every label, as a key (site/pagekeys.py: a page shows labels)."""
        return json.dumps([self._maps, self._indicators], sort_keys=True, ensure_ascii=False)

    def indicator(self, key: str) -> str:
        return self._indicators.get(key, key)

    @staticmethod
    def _nomination_indicators(root: Path) -> dict[str, str]:
        try:
            schema = schemas.load_schema(root, "nomination")
        except (OSError, ValueError):
            return {}
        node = schemas.subschema(schema, ("indicators",))
        return {k: str(v.get("title", k)) for k, v in (node.get("properties") or {}).items()}
