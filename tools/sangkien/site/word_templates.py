"""The Word template of each initiative campaign open at build time (`sangkien template`), linked
from the submission page: written into a scratch folder when the pages are made, copied beside
the submission page at the end of the build."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sangkien.council import wordtemplate
from sangkien.model import Campaign
from sangkien.site import form


class WordTemplates:
    def __init__(self) -> None:
        self.scratch: tempfile.TemporaryDirectory[str] | None = None

    def write(self, campaigns: Iterable[Campaign], now: datetime) -> list[tuple[Campaign, str]]:
        """Write the templates of the campaigns open at `now`; each such campaign with its file name.
        Errors of the Word writer are raised as they are (the plugin names them)."""
        self.cleanup()
        self.scratch = tempfile.TemporaryDirectory(prefix="sangkien-mau-word-")
        campaigns = list(campaigns)
        written = wordtemplate.write_templates(campaigns, Path(self.scratch.name), now)
        names = {p.name for p in written}
        return [(c, wordtemplate.file_name(c.id)) for c in campaigns if wordtemplate.file_name(c.id) in names]

    def copy_to(self, site_dir: Path) -> None:
        """Copy the templates beside the submission page, then drop the scratch folder."""
        if self.scratch is None:
            return
        for path in sorted(Path(self.scratch.name).glob("*.docx")):
            (site_dir / form.PAGE_URL).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, site_dir / form.PAGE_URL / path.name)
        self.cleanup()

    def cleanup(self) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None
