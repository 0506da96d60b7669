"""A source removed from entries/federation.yaml leaves no snapshot behind after the next harvest."""

from __future__ import annotations

from conftest import TempRepo
from test_federation import VALID, harvest, server, sources  # noqa: F401 (server: the fixture)


def test_the_snapshots_of_a_removed_source_are_deleted_by_the_next_harvest(repo: TempRepo, server: str):  # noqa: F811
    repo.write("entries/federation.yaml", sources(server))
    harvest(repo)
    folder = repo.path / "federation"
    assert (folder / "khanh-hoa.json").is_file() and (folder / "khanh-hoa.meta.json").is_file()
    (folder / "ghi-chu.json").write_text("{}", encoding="utf-8")  # not a snapshot (no provenance beside it): left alone

    only_tay_ninh = sources(server).split("  - id: hong")[0]
    repo.write("entries/federation.yaml", only_tay_ninh)
    done = harvest(repo, "--source", "tay-ninh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("Nguồn «khanh-hoa» không còn trong entries/federation.yaml: đã xóa bản sao federation/khanh-hoa.json "
            "và federation/khanh-hoa.meta.json.") in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["ghi-chu.json", "tay-ninh.json", "tay-ninh.meta.json"]
    assert (folder / "tay-ninh.json").read_bytes() == VALID
    again = harvest(repo)
    assert "đã xóa" not in again.stdout and again.returncode == 0
