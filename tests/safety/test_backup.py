"""kb backup / kb restore on the real Neo4j: every property type Neo4j stores comes back
identical, the archive is complete or absent, and it restores a graph taken while another
process writes."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import pytz
from neo4j import Driver
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time
from typer.testing import CliRunner

from kb.backup import BackupError, RestoreRefusedError, backup, fingerprint, read_manifest, restore
from kb.cli import ExitCode, app
from kb.graph import KnowledgeBase
from kb.schema import SCHEMA_VERSION
from tests.safety.helpers import kb_process, run_kb

pytestmark = pytest.mark.neo4j

runner = CliRunner()

# What other tools (Neo4j Browser, scripts, ETL) may store: camelCase names, every type.
EVERY_TYPE: dict[str, Any] = {
    "anInteger": 42,
    "bigInteger": 2**62,
    "negative": -7,
    "aFloat": 0.1,
    "wholeFloat": 2.0,
    "notANumber": math.nan,
    "infinity": math.inf,
    "minusInfinity": -math.inf,
    "aString": 'Budget 5 $ – 50 % – 20 $ "quoted" \n line',
    "emptyString": "",
    "yes": True,
    "no": False,
    "intList": [1, 2, 3],
    "floatList": [1.5, 2.0],
    "stringList": ["a", "b;c", ""],
    "boolList": [True, False],
    "emptyList": [],
    "aDate": Date(2015, 4, 1),
    "dateList": [Date(2015, 4, 1), Date(2016, 2, 29)],
    "zonedTime": Time(10, 30, 0, 123456789, tzinfo=pytz.FixedOffset(-300)),
    "localTime": Time(23, 59, 59, 999999999),
    "zonedDateTime": pytz.timezone("America/Montreal").localize(DateTime(2015, 4, 1, 9, 0, 0, 1)),
    "offsetDateTime": DateTime.from_iso_format("2016-03-01T10:00:00.123456789+01:00"),
    "localDateTime": DateTime(2016, 3, 1, 10, 0, 0, 5),
    "aDuration": Duration(months=14, days=3, seconds=14405, nanoseconds=6),
    "cartesian2d": CartesianPoint((1.0, 2.0)),
    "cartesian3d": CartesianPoint((1.0, 2.0, 3.0)),
    "wgs2d": WGS84Point((-73.56, 45.5)),
    "wgs3d": WGS84Point((-73.56, 45.5, 30.0)),
    "pointList": [CartesianPoint((0.0, 0.0)), CartesianPoint((1.0, 1.0))],
    "someBytes": b"\x00\x01kb\xff",
}


def make_graph(driver: Driver) -> None:
    driver.execute_query(
        "CREATE (a:ExternalThing:Tagged $props) "
        "CREATE (b {note: 'no label at all'}) "
        "CREATE (c:Actor:Person {id: 'p1', name: 'Anne', fieldNotes: ['x', 'y']}) "
        "CREATE (a)-[:SEEN_WITH $props]->(b) "
        "CREATE (a)-[:SEEN_WITH {order: 2}]->(b) "
        "CREATE (c)-[:LOOPS {since: date('2015-04-01')}]->(c)",
        props=EVERY_TYPE,
    )
    driver.execute_query(
        "CREATE INDEX other_tool_index IF NOT EXISTS FOR (n:ExternalThing) ON (n.anInteger)"
    )


def same(a: Any, b: Any) -> bool:
    """Equality that counts NaN as NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def stored(driver: Driver, query: str) -> dict[str, Any]:
    return dict(driver.execute_query(query).records[0][0])


def wipe(driver: Driver) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    driver.execute_query("DROP INDEX other_tool_index IF EXISTS")


def test_every_property_type_comes_back_identical(kb: KnowledgeBase, tmp_path: Path) -> None:
    make_graph(kb.driver)
    try:
        before = fingerprint(kb)
        result = backup(kb, tmp_path / "case.zip")
        assert result.fingerprint == before and result.quiescent
        wipe(kb.driver)
        restored = restore(kb, tmp_path / "case.zip")
        assert restored.fingerprint == before == fingerprint(kb)
        node = stored(kb.driver, "MATCH (n:ExternalThing) RETURN properties(n)")
        rel = stored(
            kb.driver, "MATCH ()-[r:SEEN_WITH]->() WHERE r.order IS NULL RETURN properties(r)"
        )
        for props in (node, rel):
            assert set(props) == set(EVERY_TYPE)
            for name, value in EVERY_TYPE.items():
                assert same(props[name], value), (name, props[name], value)
        zone = kb.driver.execute_query(
            "MATCH (n:ExternalThing) RETURN n.zonedDateTime.timezone AS z"
        ).records[0]["z"]
        assert zone == "America/Montreal"
        unlabelled = kb.driver.execute_query("MATCH (n) WHERE size(labels(n)) = 0 RETURN n.note")
        assert unlabelled.records[0][0] == "no label at all"
        names = {r["name"] for r in kb.driver.execute_query("SHOW INDEXES YIELD name").records}
        assert "other_tool_index" in names and "actor_name" in names
    finally:
        wipe(kb.driver)


def test_the_manifest_has_counts_checksums_and_versions(kb: KnowledgeBase, tmp_path: Path) -> None:
    make_graph(kb.driver)
    try:
        result = backup(kb, tmp_path)
        manifest = read_manifest(result.path)
        # The case's nodes as kb status counts them; kb's KbMeta apart, in the archive.
        assert manifest["counts"]["nodes"] == 3 == result.nodes == kb.status()["nodes"]
        assert manifest["counts"]["bookkeeping_nodes"] == 1
        assert manifest["counts"]["labels"]["KbMeta"] == 1
        assert manifest["counts"]["relationships"] == 3
        assert manifest["counts"]["types"] == {"LOOPS": 1, "SEEN_WITH": 2}
        assert manifest["neo4j"]["version"].startswith("5.26")
        assert manifest["kb_version"] and manifest["kb_schema_version"] == SCHEMA_VERSION
        assert set(manifest["files"]) == {
            "nodes.jsonl",
            "relationships.jsonl",
            "nodes-added.jsonl",
            "schema.json",
        }
        assert oct(os.stat(result.path).st_mode & 0o777) == "0o600"
    finally:
        wipe(kb.driver)


def test_restore_refuses_a_database_with_data_and_a_damaged_archive(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.add("actors", {"id": "p1", "name": "Anne"})
    made = runner.invoke(app, ["backup", str(tmp_path / "a.zip")], env=cli_env)
    assert made.exit_code == 0, made.output
    printed = made.stderr.split("Fingerprint: ")[1].split()[0]
    refused = runner.invoke(app, ["restore", str(tmp_path / "a.zip")], env=cli_env)
    assert refused.exit_code == RestoreRefusedError.exit_code and "--force" in refused.stderr
    kb.add("actors", {"id": "p2", "name": "Later"})
    forced = runner.invoke(app, ["restore", str(tmp_path / "a.zip"), "--force"], env=cli_env)
    assert forced.exit_code == 0, forced.output
    assert f"Fingerprint: {printed}" in forced.stderr
    ids = {r[0] for r in kb.driver.execute_query("MATCH (n:Actor) RETURN n.id").records}
    assert ids == {"p1"}

    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(tmp_path / "a.zip") as source, zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "nodes.jsonl":
                data = data.replace(b"Anne", b"Anna")
            out.writestr(item, data)
    with pytest.raises(BackupError, match="damaged"):
        restore(kb, damaged, force=True)
    bad = runner.invoke(app, ["restore", str(damaged), "--force"], env=cli_env)
    assert bad.exit_code == ExitCode.INVALID_INPUT and "checksum" in bad.stderr
    assert {r[0] for r in kb.driver.execute_query("MATCH (n:Actor) RETURN n.name").records} == {
        "Anne"
    }


def _bulk(driver: Driver, nodes: int) -> None:
    driver.execute_query(
        "UNWIND range(1, $n) AS i CREATE (:Bulk {i: i, text: 'some text to write ' + i})",
        n=nodes,
    )


def test_killing_kb_during_a_backup_leaves_no_archive(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    _bulk(kb.driver, 200_000)
    folder = tmp_path / "backups"
    folder.mkdir()
    process = kb_process(["backup", f"{folder}/"], cli_env)
    deadline = time.monotonic() + 60
    while not list(folder.glob(".kb-backup-*.tmp")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # well into writing
    process.send_signal(signal.SIGKILL)
    process.communicate()  # waits, and closes the pipes
    assert not list(folder.glob("*.zip")), "a killed backup must leave no archive"
    again = run_kb(["backup", f"{folder}/"], cli_env)
    assert again.returncode == 0, again.stderr
    (archive,) = folder.glob("*.zip")
    assert not list(folder.glob(".kb-backup-*.tmp")), "the dead backup's file is cleaned up"
    assert read_manifest(archive)["counts"]["nodes"] == 200_000  # kb status's count


WRITER = """
import os, sys, time
from neo4j import GraphDatabase
uri, password = sys.argv[1], sys.argv[2]
seconds, burst, pause = (float(a) for a in sys.argv[3:6])
end = time.monotonic() + seconds
i = 0
with GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
    while time.monotonic() < end:
        burst_end = time.monotonic() + burst
        while time.monotonic() < burst_end:
            # One transaction: the evidence item and the tie that cites it.
            driver.execute_query(
                "MATCH (a:Actor {id: 'a'}), (b:Actor {id: 'b'}) "
                "CREATE (:Evidence {id: $e, kind: 'interview'}) "
                "CREATE (a)-[:TIE {id: $t, type: 'INFO', evidence: [$e]}]->(b)",
                e=f"ev-w{i}", t=f"t-w{i}")
            i += 1
            time.sleep(0.1)
        time.sleep(pause)
print(i)
"""


def test_a_backup_taken_while_another_process_writes_restores(
    kb: KnowledgeBase, cli_env: dict[str, str], tmp_path: Path
) -> None:
    kb.add("actors", {"id": "a", "name": "A"})
    kb.add("actors", {"id": "b", "name": "B"})
    _bulk(kb.driver, 3_000)
    # Writers in a case come in bursts (an import, an analyst adding evidence). The writer's
    # quiet spells are sized to how long a read takes on this machine, so that kb, reading
    # again while writes land, finds one however loaded the machine is.
    started = time.monotonic()
    quiet = run_kb(["backup", str(tmp_path / "quiet.zip"), "--format", "json"], cli_env)
    assert quiet.returncode == 0, quiet.stderr
    read_time = time.monotonic() - started
    burst, pause = 1 + read_time, 2 + 3 * read_time
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, cli_env["NEO4J_URI"], cli_env["NEO4J_PASSWORD"]]
        + [str(burst + pause + 1), str(burst), str(pause)],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(1)
    taken = run_kb(["backup", str(tmp_path / "live.zip"), "--format", "json"], cli_env)
    written = int(writer.communicate(timeout=120)[0])
    assert taken.returncode == 0, taken.stderr
    result = json.loads(taken.stdout)
    assert result["quiescent"], "kb reads again until no write lands during the read"
    assert written > 5
    restored = run_kb(["restore", str(tmp_path / "live.zip"), "--force"], cli_env)
    assert restored.returncode == 0, restored.stderr
    assert result["fingerprint"] in restored.stderr
    ties = kb.driver.execute_query(
        "MATCH ()-[t:TIE]->() WHERE t.id STARTS WITH 't-w' RETURN t.evidence[0] AS e"
    ).records
    evidence = {
        r[0]
        for r in kb.driver.execute_query(
            "MATCH (e:Evidence) WHERE e.id STARTS WITH 'ev-w' RETURN e.id"
        ).records
    }
    assert 0 < len(ties) < written
    assert {r["e"] for r in ties} == evidence, "each tie with its evidence, or neither"
