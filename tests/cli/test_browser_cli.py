"""kb browser style and kb browse: the GraSS stylesheet and the Browser URL."""

from __future__ import annotations

import json
import urllib.request
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

import kb.cli.browser  # noqa: F401  (registers the commands, in case kb.cli does not yet)
from kb.cli import app
from kb.exports import browser as export
from kb.model import LABELS, RELATIONSHIP_TYPES
from tests.support import Neo4jUnderTest

runner = CliRunner()
# Nothing from the caller's environment decides where `kb browse` points.
CLEAN_ENV: dict[str, str | None] = {
    "NEO4J_URI": None,
    "NEO4J_USERNAME": None,
    "NEO4J_PASSWORD": None,
    "NEO4J_DATABASE": None,
    "KB_HOME": None,
    "KB_BOLT_PORT": None,
    "KB_HTTP_PORT": None,
}


def parse_grass(text: str) -> list[tuple[str, dict[str, str]]]:
    """Rules in file order, read the way Neo4j Browser 5.24's parseGrass reads a .grass file.

    A port of its algorithm: braces open and close a rule unless inside quotes (either
    kind), quotes are dropped, whitespace outside rules is dropped, and each property is
    ``name: value`` split on ``;`` (a value holding ``:`` is ignored, as the Browser does).
    """
    rules: list[tuple[str, dict[str, str]]] = []
    in_string = in_rule = nested = False
    selector = body = ""
    for char in text:
        special = True
        if char == "{":
            if in_string:
                special = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif char == "}":
            if in_string:
                special = False
            elif nested:
                nested = False
            else:
                in_rule = False
                rules.append((selector, {"": body}))
                selector = body = ""
        elif char in "'\"":
            in_string = not in_string
        else:
            special = False
        if not special:
            if in_rule:
                body += char
            elif not char.isspace():
                selector += char
    parsed = []
    for name, raw in rules:
        props = {}
        for item in raw[""].split(";"):
            parts = item.split(":")
            if len(parts) == 2:
                props[parts[0].strip()] = parts[1].strip()
        parsed.append((name, props))
    return parsed


def browse(*args: str, **env: str | None) -> tuple[dict[str, object], str]:
    result = runner.invoke(app, [*args, "browse", "--format", "json"], env={**CLEAN_ENV, **env})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


# -- kb browser style ----------------------------------------------------------------------------


def test_style_prints_the_stylesheet_and_says_how_to_load_it() -> None:
    result = runner.invoke(app, ["browser", "style"])
    assert result.exit_code == 0, result.output
    assert result.stdout == export.browser_style()
    assert ":style" in result.stderr and "drag" in result.stderr


def test_style_out_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "kb.grass"
    result = runner.invoke(app, ["browser", "style", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == export.browser_style()
    assert str(out) in result.stderr


def test_the_stylesheet_reads_as_neo4j_browser_reads_it() -> None:
    rules = parse_grass(export.browser_style())
    names = [name for name, _ in rules]
    assert len(names) == len(set(names))
    style = dict(rules)
    assert style["node"]["caption"] == "{id}" and style["relationship"]["caption"] == "<type>"
    labels = sorted(LABELS - {"Actor"})
    for label in labels:
        rule = style[f"node.{label}"]
        assert {"color", "border-color", "diameter", "caption"} <= set(rule), label
    assert len({style[f"node.{label}"]["color"] for label in labels}) == len(labels)
    captions = {label: style[f"node.{label}"]["caption"] for label in labels}
    assert captions == {
        "Person": "{name}",
        "Organization": "{name}",
        "Meeting": "{date} {title}",
        "Document": "{title}",
        "Evidence": "{id}",
        "ReformEvent": "{name}",
        "Stage": "{name}",
        "Territory": "{name}",
        "Problem": "{statement}",
        "Case": "{name}",
    }
    size = {label: int(style[f"node.{label}"]["diameter"].removesuffix("px")) for label in labels}
    assert size["Organization"] > size["Person"]
    # Actors carry two labels; the Browser applies rules in order, later ones winning.
    assert names.index("node.Actor") < min(
        names.index("node.Person"), names.index("node.Organization")
    )
    assert style["relationship.TIE"]["caption"] == "{type}"
    for rel_type in RELATIONSHIP_TYPES - {"TIE"}:
        assert style[f"relationship.{rel_type}"]["caption"] in (rel_type, "<type>")


def test_the_grass_reader_follows_the_browser_on_quotes_and_bad_values() -> None:
    text = (
        "node.A {\n  caption: '{name}';\n  color: #FFF;\n  label: 'a:b';\n}\nnode.B { x: \"}\"; }"
    )
    assert parse_grass(text) == [
        ("node.A", {"caption": "{name}", "color": "#FFF"}),
        ("node.B", {"x": "}"}),
    ]


# -- kb browse -----------------------------------------------------------------------------------


def test_browse_points_at_the_local_server(tmp_path: Path) -> None:
    (tmp_path / "password").write_text("s3cret-pw\n")
    env = {"KB_HOME": str(tmp_path), "KB_BOLT_PORT": "47687", "KB_HTTP_PORT": "47474"}
    data, stderr = browse(**env)
    assert data == {
        "url": "http://127.0.0.1:47474/browser/?dbms=bolt://neo4j@127.0.0.1:47687&db=neo4j",
        "browser_url": "http://127.0.0.1:47474/browser/",
        "bolt_uri": "bolt://127.0.0.1:47687",
        "user": "neo4j",
        "database": "neo4j",
        "local_server": True,
    }
    assert "local server" in stderr and "--show-password" in stderr
    data, _ = browse(**env, NEO4J_DATABASE="case")
    assert str(data["url"]).endswith("&db=case")
    shown = runner.invoke(
        app, ["browse", "--show-password", "-f", "json"], env={**CLEAN_ENV, **env}
    )
    assert json.loads(shown.stdout)["password"] == "s3cret-pw"
    table = runner.invoke(app, ["browse"], env={**CLEAN_ENV, **env})
    assert table.exit_code == 0 and "s3cret-pw" not in table.output


def test_browse_derives_the_address_of_another_server(tmp_path: Path) -> None:
    home = {"KB_HOME": str(tmp_path)}
    data, stderr = browse(**home, NEO4J_URI="bolt://db.example.org:7687", NEO4J_USERNAME="alice")
    assert data["browser_url"] == "http://db.example.org:7474/browser/"
    assert data["url"] == (
        "http://db.example.org:7474/browser/?dbms=bolt://alice@db.example.org:7687&db=neo4j"
    )
    assert data["local_server"] is False
    assert "derived from bolt://db.example.org:7687" in stderr and "7474" in stderr
    data, _ = browse(**home, NEO4J_URI="neo4j+s://abc123.databases.neo4j.io")
    assert data["url"] == (
        "https://abc123.databases.neo4j.io/browser/"
        "?dbms=neo4j%2Bs://neo4j@abc123.databases.neo4j.io&db=neo4j"
    )
    data, _ = browse(**home, NEO4J_URI="bolt+s://graph.example.org")
    assert data["browser_url"] == "https://graph.example.org:7473/browser/"
    # The global options win over the environment.
    data, _ = browse(
        "--uri",
        "neo4j://10.1.2.3:7687",
        "--user",
        "bob",
        "--database",
        "wg",
        **home,
        NEO4J_URI="bolt://db.example.org:7687",
    )
    assert data["url"] == "http://10.1.2.3:7474/browser/?dbms=neo4j://bob@10.1.2.3:7687&db=wg"


def test_browse_open_opens_the_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open(url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    env = {**CLEAN_ENV, "KB_HOME": str(tmp_path), "KB_BOLT_PORT": "47687", "KB_HTTP_PORT": "47474"}
    result = runner.invoke(app, ["browse", "--open"], env=env)
    assert result.exit_code == 0, result.output
    assert opened == ["http://127.0.0.1:47474/browser/?dbms=bolt://neo4j@127.0.0.1:47687&db=neo4j"]
    assert "Opened" in result.stderr


def test_browse_and_style_have_help_with_an_example() -> None:
    for args in (["browse"], ["browser", "style"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0
        assert "Example: kb " + " ".join(args) in result.stdout


@pytest.mark.neo4j
def test_the_url_of_a_running_local_server_serves_neo4j_browser(
    neo4j_server: Neo4jUnderTest, tmp_path: Path
) -> None:
    if neo4j_server.http_url is None:
        pytest.fail(
            "the test server's Browser address is unknown: set NEO4J_HTTP_URL with NEO4J_URI"
        )
    bolt, http = urlsplit(neo4j_server.settings.uri), urlsplit(neo4j_server.http_url)
    if bolt.hostname not in ("127.0.0.1", "localhost") or http.hostname != bolt.hostname:
        pytest.skip("the test server is not on this machine's loopback address")
    env = {"KB_HOME": str(tmp_path), "KB_BOLT_PORT": str(bolt.port), "KB_HTTP_PORT": str(http.port)}
    data, _ = browse(**env, NEO4J_URI=neo4j_server.settings.uri)
    assert data["local_server"] is True
    assert data["browser_url"] == f"http://127.0.0.1:{http.port}/browser/"
    with urllib.request.urlopen(str(data["url"]), timeout=10) as response:
        assert response.status == 200
        assert "Neo4j Browser" in response.read().decode("utf-8", "replace")
