"""Write docs/tutorial.md by running its commands against a Neo4j and pasting the output.

The tutorial's output is real: rebuild it after changing a command. The commands run
verbatim, in order, with bash, in a fresh temporary copy of the checkout (the files git
tracks, as a fresh clone has them; no ``out/``), with the venv's ``kb`` first on the PATH:
what the page shows is what a reader who follows it from a fresh clone types and sees.
``--check`` rebuilds it in memory and fails, with a diff, when docs/tutorial.md differs (a
test runs it). What belongs to the machine it runs on (kb's home folder, ports, the
server's pid, the temporary folder) is written as on a default installation, so the page
never shows the builder's machine.

    KB_HOME=/tmp/kb-tutorial KB_BOLT_PORT=27687 KB_HTTP_PORT=27474 kb server start
    KB_HOME=/tmp/kb-tutorial python tools/build_tutorial.py [--check]   # empties that database!
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.settings import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, ServerSettings

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 40
# The commands the tutorial shows failing, and their exit code; every other one succeeds.
EXIT_CODES = {"kb import examples/bad-case": 5}

# (prose before the command, command, lines of output to keep)
STEPS: list[tuple[str, str, int]] = [
    (
        "## 1. Start Neo4j\n\nkb runs a local Neo4j 5.26 Community from its Maven Central "
        "jars (or Docker). The first start downloads the jars (about 140 MB, once) and "
        "returns when the server answers (here it was already running):",
        "kb server start",
        6,
    ),
    ("Where it runs and where it keeps its files:", "kb server status", 20),
    ("Check the connection and the schema:", "kb status", 20),
    (
        "## 2. Import the example case\n\n`examples/quebec-wg/` is a fictional working group "
        "in Québec after Bill 10 (see its README). Validate it first; nothing is written:",
        "kb import examples/quebec-wg --dry-run",
        25,
    ),
    ("Then import it:", "kb import examples/quebec-wg", 25),
    ("Importing the same data again changes nothing:", "kb import examples/quebec-wg", 25),
    (
        "Bad input is refused as a whole, with every problem located (here a French-locale "
        "file with a day that does not exist and an actor nobody defined):",
        "kb import examples/bad-case",
        12,
    ),
    (
        "A table as it stands today, saved as a paper's table would be. Like every kb "
        "output it says where it came from: the data version it was computed at, the "
        "case's fingerprint and the command (docs/record.md). The files this tutorial "
        "writes go into `out/` (git ignores it):",
        "mkdir -p out && kb evidence coverage --format json > out/coverage.json",
        0,
    ),
    (
        "## 3. Add a piece of new evidence\n\nAn interview done this week supports an "
        "existing tie. Record it, then link it:",
        "kb add evidence --id ev-new --kind interview --date 2019-02-11 --location 00:31:10 "
        '--coder "Julie Lavallée" '
        '--quote "Depuis le comité conjoint, on sait enfin qui appeler au CIUSSS."',
        5,
    ),
    (
        "The ties between two actors, with the evidence behind each:",
        "kb why p-kdiallo p-lsimard",
        30,
    ),
    (
        "Link the new interview to the first of those ties, saying why (`--why` goes with "
        "every change into the journal, docs/record.md):",
        'kb link ev-new --tie t-099 --why "the 2019-02-11 interview confirms the tie"',
        5,
    ),
    (
        "Every change is an entry of the journal: its number (the data version), when, who "
        "(`--analyst`, else $KB_ANALYST, else the OS user), the command and why:",
        "kb changes",
        12,
    ),
    ("The story of one record, with the values before and after:", "kb history t-099", 12),
    (
        "Years later, check the table saved before the change: kb re-runs its command as "
        "the case stood at the table's data version, then says whether today's data give "
        "another answer, and which entries of the journal changed it:",
        "kb verify out/coverage.json",
        30,
    ),
    ("An actor's story in time order:", "kb timeline p-pleclerc", 30),
    (
        "## 3b. Coded interviews from a QDA program\n\nMost evidence is coded in a "
        "qualitative-analysis program (NVivo, ATLAS.ti, MAXQDA, QualCoder). Give the coders "
        "kb's codebook (actors by sector, tie types) as a REFI-QDA `.qdc` they import "
        "(docs/qda.md):",
        "kb export qdc out/kb-codebook.qdc",
        4,
    ),
    (
        "They code their transcripts with it and export the project as `.qdpx`. The example "
        "ships one (three French interviews and field notes); validate it, then import it: "
        "every coded passage naming an actor becomes an evidence item with its exact quote, "
        "linked to the ties it names; a tie kb lacks goes to a review file:",
        "kb import examples/quebec-wg/qda/entretiens.qdpx --dry-run",
        20,
    ),
    (
        "",
        "kb import examples/quebec-wg/qda/entretiens.qdpx --proposed out/proposed-ties.csv",
        25,
    ),
    (
        "Find evidence by its words; accents, elisions and plurals do not matter:",
        "kb search equipe --kind interview --limit 3",
        20,
    ),
    (
        "## 4. Run the analyses\n\n### Brokerage\n\nGould & Fernandez roles by sector, with "
        "sna's expected values and z-scores (docs/analyses.md):",
        "kb brokerage --group-by sector --top 8",
        40,
    ),
    (
        "The same, on the day before Bill 10 took effect:",
        "kb brokerage --group-by sector --at 2015-03-31 --top 5",
        30,
    ),
    ("### Centrality and structural holes", "kb centrality --top 8", 20),
    (
        "### Ties broken by the reform",
        "kb reforms broken-ties --reform bill-10 --window 15m -f csv",
        12,
    ),
    (
        "### Brokerage kept, lost and gained across the reform",
        "kb reforms brokerage-change --reform bill-10",
        16,
    ),
    (
        "### Did the reform break ties? Tie survival\n\nThe ties active on the eve of Bill 10, "
        "followed until they end or observation ends; exposed ties touch an organization the "
        "reform affected. Kaplan-Meier, log-rank, Cox (docs/analyses.md):",
        "kb reforms survival --reform bill-10",
        45,
    ),
    ("The survival curves:", "kb plot survival --reform bill-10 --out out/survival.png", 3),
    (
        "### More than chance? A permutation test\n\nThe brokerage roles against the same "
        "network with the sectors shuffled over the actors (seeded, reproducible):",
        "kb brokerage --group-by sector --permutations 1000 --seed 1 --top 3",
        14,
    ),
    (
        "### On well-evidenced ties only\n\nHow many evidence items, of which kinds, support "
        "each tie? A tie is triangulated when two or more of interview, observation and "
        "document support it (here the representation ties; without `--types`, every tie):",
        "kb evidence coverage --types REPRESENTATION",
        30,
    ),
    (
        "Every analysis that selects ties takes `--min-evidence N` and `--triangulated`. Does "
        "the brokerage hold on the triangulated ties alone? (`kb report` compares the main "
        "results on both selections in its section Robustness.)",
        "kb brokerage --group-by sector --triangulated --top 5",
        26,
    ),
    ("### Evolution through the stages", "kb evolution --by stage --group-by sector", 12),
    (
        "### Legitimacy paths\n\nWhich public actors a community organizer reaches, and how:",
        "kb legitimacy --from community --to public --source p-kdiallo",
        25,
    ),
    (
        "Time-respecting paths only use ties in the order they existed:",
        "kb paths p-kdiallo ciusss-cn --between 2015 2018 --time-respecting --evidence",
        20,
    ),
    ("### Consensus on problems", "kb consensus --by stage", 20),
    (
        "### Any canned query\n\nEvery query kb runs is a documented file in `kb/cypher/`:",
        "kb query list -f csv",
        12,
    ),
    (
        "## 5. Open Neo4j Browser\n\nPrint the URL with the connect form filled in, and a "
        "stylesheet to load into the Browser:",
        "kb browse",
        10,
    ),
    ("", "kb browser style --out out/kb.grass", 6),
    (
        "A query ready to paste into the Browser:",
        "kb query show brokerage/pairs_of_broker --browser -p broker=p-lsimard -p group_by=sector",
        14,
    ),
    (
        "## 6. Export to Gephi and R\n\nGEXF 1.3 with spells (Gephi's timeline), GraphML for "
        "igraph, and CSV in the import format:",
        "kb export gexf out/case.gexf",
        6,
    ),
    ("", "kb export graphml out/case.graphml", 6),
    ("", "kb export csv out/case-csv", 6),
    (
        "## 7. Pictures and the report",
        "kb plot evolution --by year --out out/evolution.png",
        6,
    ),
    ("", "kb plot network --stage mobilization --out out/mobilization.svg", 6),
    ("One self-contained HTML page for the case:", "kb report --out out/report.html", 6),
    (
        "The case over time in one offline page (docs/view.md): open `out/case.html` in a "
        "browser, move the slider over the dates, click a tie for its quotes, an actor for "
        "its timeline. The report above embeds the same page; `make demo` writes it too.",
        "kb view --out out/case.html",
        4,
    ),
]

INTRO = """# Tutorial: the example case end to end

This walks through kb on the example case: start Neo4j, import, add new evidence, run each
analysis, open Neo4j Browser, export to Gephi, draw pictures and make the report. Every
output below is real, produced by `tools/build_tutorial.py`, which runs the commands
verbatim and in order in a fresh copy of the repository (long outputs are cut, marked `…`).
From a fresh clone: `make install` makes the `.venv`; activate it (`source
.venv/bin/activate`) and type the commands below in the clone's folder, on an empty
database (`make demo` would import the example first, so the import below would change
nothing).
"""


def fresh_copy() -> Path:
    """A temporary copy of the checkout as a fresh clone holds it: the files git tracks
    (as they are in the working tree) and the new ones it does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    copy = Path(tempfile.mkdtemp(prefix="kb-tutorial-")) / "kb"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is listed but absent
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def run(command: str, folder: Path) -> str:
    """``command`` as a reader types it: bash, in ``folder``, the venv's kb on the PATH."""
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        capture_output=True,
        text=True,
        # the journal's analyst as a reader's own user name would show (not the builder's)
        env={**os.environ, "COLUMNS": "110", "PATH": path, "KB_ANALYST": ANALYST},
        check=False,
    )
    output = (done.stdout + done.stderr).rstrip()
    if done.returncode != EXIT_CODES.get(command, 0):
        raise SystemExit(f"{command} exited with {done.returncode}:\n{output}")
    return output


def _swap(text: str, old: str, new: str) -> str:
    """``old`` replaced by ``new``, keeping table columns aligned where spaces follow."""

    def fitted(match: re.Match[str]) -> str:
        room = len(match.group(0))
        if room == len(old):  # no spaces follow (a path, a URL): nothing to keep aligned
            return new
        return new.ljust(room) if len(new) <= room else new

    return re.sub(re.escape(old) + r" *", fitted, text)


ANALYST = "researcher"
SHOWN_DAY = "2026-03-02"  # the day the journal's entries show, whatever day the build runs
SHOWN_TIME = "10:15:00"
SHOWN_FINGERPRINT = "0123456789abcdef0123456789abcdef"
SHOWN_CONTENT_FINGERPRINT = "sha256:" + "0123456789abcdef" * 4
_BUILD_DAYS = {dt.datetime.now(dt.UTC).date().isoformat()}  # and any day the build reaches


def _recorded_time(output: str) -> str:
    """When the journal recorded a change (the build's clock) shown as one fixed moment, and
    the fingerprint that hashes it as one fixed value: the page does not change with the
    day it is built. A table wraps a time under its day, in the same column."""
    _BUILD_DAYS.add(dt.datetime.now(dt.UTC).date().isoformat())
    days = "|".join(sorted(_BUILD_DAYS))
    output = re.sub(
        rf"(?:{days})([T ])\d\d:\d\d:\d\d(\.\d+)?Z?", rf"{SHOWN_DAY}\g<1>{SHOWN_TIME}", output
    )
    lines = output.splitlines()
    for i in range(1, len(lines)):
        for day in re.finditer(days, lines[i - 1]):
            column = day.start()
            if re.match(r"\d\d:\d\d:\d\d\b", lines[i][column : column + 8]):
                lines[i] = lines[i][:column] + SHOWN_TIME + lines[i][column + 8 :]
    output = "\n".join(lines)
    output = re.sub(days, SHOWN_DAY, output)
    # The content fingerprint (sha256:...) hashes what the build wrote, a withdrawal's
    # date and time included: one fixed value too.
    output = re.sub(
        r"(fingerprint\W+)sha256:[0-9a-f]{64}", rf"\g<1>{SHOWN_CONTENT_FINGERPRINT}", output
    )
    return re.sub(r"(fingerprint\W+)[0-9a-f]{32}", rf"\g<1>{SHOWN_FINGERPRINT}", output)


def machine_independent(output: str) -> str:
    """The output as on a default installation: home folder, ports and pid; the journal's
    clock as one fixed moment."""
    output = _recorded_time(output)
    server = ServerSettings.from_env()
    output = _swap(output, str(server.home), "~/.local/share/kb")
    output = re.sub(
        r"(pid\s+│?\s*)(\d+ *)",
        # keep a table's column width; in a sentence ("pid 20043).") no padding
        lambda m: m.group(1) + ("4242".ljust(len(m.group(2))) if m.group(2)[-1] == " " else "4242"),
        output,
    )
    for port, default in (
        (server.bolt_port, DEFAULT_BOLT_PORT),
        (server.http_port, DEFAULT_HTTP_PORT),
    ):
        if port != default:
            output = _swap(output, str(port), str(default))
    return output


def check_server() -> None:
    """Stop unless the local server that ``kb server start`` names is running: the tutorial
    shows it starting, and the builder must never start one (nor one on the default ports)."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("kb")), "server", "status", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if not done.stdout or not json.loads(done.stdout)["running"]:
        raise SystemExit(
            "The local server KB_HOME / KB_BOLT_PORT / KB_HTTP_PORT name is not running; "
            "start it first (see this script's docstring)."
        )


def forget_the_journal() -> None:
    """Empty the journal too (`kb reset` keeps it): a reader's first start has none, and the
    page must not show the builder's (or the test suite's) earlier changes."""
    import kb

    with kb.connect() as base:
        base.driver.execute_query(
            "MATCH (n) WHERE n:KbJournal OR n:KbJournalChunk OR n:KbJournalTouch "
            "OR (n:KbMeta AND n.key = 'journal') DETACH DELETE n",
            database_=base.database,
        )


def build(copy: Path) -> str:
    """The tutorial's text, running every command in ``copy`` (empties the database first,
    as a reader's first start has it)."""
    subprocess.run([str(Path(sys.executable).with_name("kb")), "reset", "--yes"], check=True)
    forget_the_journal()
    parts = [INTRO]
    for prose, command, keep in STEPS:
        # Longest paths first: kb's home may sit inside the checkout (.kb-test in CI) and
        # the copy's folder may hold kb's home's name (/tmp/kb-tutorial).
        output = run(command, copy).replace(str(copy) + "/", "").replace(str(copy), ".")
        output = machine_independent(output).replace(str(ROOT) + "/", "")
        lines = output.splitlines()
        if len(lines) > keep:
            lines = [*lines[:keep], "…"]
        if prose:
            parts.append(prose + "\n")
        parts.append("```console\n" + "\n".join([f"$ {command}", *lines]) + "\n```\n")
    parts.append(
        "![The network's evolution by year](img/evolution.png)\n\n"
        "![The network in the mobilization stage](img/mobilization.svg)\n\n"
        "![Survival of ties after Bill 10](img/survival.png)\n"
    )
    parts.append(
        "Open `out/report.html` in a browser; load `out/case.gexf` in Gephi (File → Open, "
        "then Window → Timeline); in R: `igraph::read_graph('out/case.graphml', "
        "format = 'graphml')`. Stop Neo4j with `kb server stop`.\n"
    )
    return "\n".join(parts)


def _comparable(text: str) -> list[str]:
    # Runs of spaces and the length of a table's rule do not matter (a value one character
    # longer, such as the builder's home folder before it is swapped, widens a column).
    return [re.sub("─+", "─", " ".join(line.split())) for line in text.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/tutorial.md differs")
    args = parser.parse_args()
    check_server()
    copy = fresh_copy()
    text = build(copy)
    target = ROOT / "docs" / "tutorial.md"
    if args.check:
        shutil.rmtree(copy.parent)
        diff = list(
            difflib.unified_diff(
                _comparable(target.read_text()),
                _comparable(text),
                "docs/tutorial.md",
                "rebuilt",
                lineterm="",
            )
        )
        if diff:
            print("\n".join(diff[:80]))
            sys.exit("docs/tutorial.md is stale: python tools/build_tutorial.py")
        print("docs/tutorial.md is current.")
        return
    target.write_text(text)
    images = ROOT / "docs" / "img"
    images.mkdir(exist_ok=True)
    for name in ("evolution.png", "mobilization.svg", "survival.png"):
        (images / name).write_bytes((copy / "out" / name).read_bytes())
    print(f"wrote docs/tutorial.md; the reader's folder is {copy}")


if __name__ == "__main__":
    main()
