"""kb restore refuses every damaged archive of a generated set in one sentence, naming the
damaged member, and leaves the database as it was (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.backup import BackupError, backup, fingerprint, read_manifest
from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from tests.safety.damaged_archives import damaged_archives

pytestmark = pytest.mark.neo4j

runner = CliRunner()


def test_every_damaged_archive_is_refused_in_one_sentence(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.add("actors", {"id": "p1", "name": "Anne"})
    kb.add("actors", {"id": "p2", "name": "Ben"})
    kb.add("ties", {"source": "p1", "target": "p2", "type": "ADVICE", "start": "2016"})
    good = Path(backup(kb, tmp_path / "good.zip").path)
    read_manifest(good)  # the source of the damage is sound
    kb.add("actors", {"id": "p3", "name": "Carole"})  # the database differs from the backup
    before = fingerprint(kb)
    cases = list(damaged_archives(good))
    assert len(cases) >= 35
    messages: dict[str, str] = {}
    for number, (what, data) in enumerate(cases):
        path = tmp_path / f"damaged-{number}.zip"
        path.write_bytes(data)
        with pytest.raises(BackupError) as raised:
            read_manifest(path)
        text = str(raised.value)
        assert "\n" not in text, what
        assert "Nothing was restored" in text, (what, text)
        result = runner.invoke(app, ["restore", str(path), "--force"], env=cli_env)
        assert result.exit_code == ExitCode.INVALID_INPUT, (what, result.output)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 or " ".join(lines).startswith("Error: "), (what, result.stderr)
        messages[what] = text
    assert fingerprint(kb) == before
    # Damage inside a member's data names that member.
    for what, text in messages.items():
        member = what.split(":")[0]
        if member.endswith((".jsonl", ".json")) and ":" in what:
            assert member in text, (what, text)
    for what in ("compression method 99", "compression method 1"):
        assert (
            "cannot be read (That compression method is not supported)"
            in messages[f"nodes.jsonl: {what} in the directory"]
        )
    assert "manifest.json" in messages["manifest is []"]
    assert "manifest.json" in messages["manifest files is a list"]
