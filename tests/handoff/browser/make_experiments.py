"""Write experiments.txt: the texts FINDINGS.md pastes into Neo4j Browser, from kb's own output.

Run from the repository root with NEO4J_* pointing at a database holding examples/quebec-wg:

    .venv/bin/python -m tests.handoff.browser.make_experiments
    .venv/bin/python -m tests.handoff.browser.browser tests/handoff/browser/experiments.txt \\
        --browser-url http://127.0.0.1:$KB_HTTP_PORT/browser/ \\
        --bolt bolt://127.0.0.1:$KB_BOLT_PORT --password-file .kb-test/password

(The test suite empties that database: import the example again before running them.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kb import queries
from kb.exports.browser import browser_paste as browser_block

HERE = Path(__file__).resolve().parent
KB = Path(sys.executable).with_name("kb")


def kb_show(*args: str) -> str:
    """What ``kb query show ... --browser`` prints today."""
    command = [str(KB), "query", "show", *args, "--browser"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip("\n")


def recommended(name: str, assignments: list[str]) -> list[str]:
    """The two parts of the recommended text: the parameter part and the query part."""
    query = queries.get(name)
    text = browser_block(queries.parse_assignments(query, assignments), query.body)
    head, _, rest = text.strip("\n").partition("\n\n")
    return [head, rest, text.strip("\n")]


def main() -> None:
    shortest = queries.get("paths/shortest").body.strip()
    blocks: list[tuple[str, str]] = []
    pair = ["-p", "from=p-kdiallo", "-p", "to=ciusss-cn"]
    blocks.append(
        (
            "E1 kb's current output, max_hops=6, pasted whole",
            kb_show("paths/shortest", *pair, "-p", "max_hops=6"),
        )
    )
    blocks.append(
        (
            "E2 kb's current output, max_hops unset (null), pasted whole",
            kb_show("paths/shortest", *pair),
        )
    )
    cases = [
        ("paths/shortest", ["from=p-kdiallo", "to=ciusss-cn", "max_hops=6"]),
        (
            "paths/shortest",
            [
                "from=p-kdiallo",
                "to=ciusss-cn",
                "max_hops=6",
                "at_first=2016-01-01",
                "at_last=2016-12-31",
            ],
        ),
        ("evidence/why", ["a=p-lsimard", "b=p-kdiallo"]),
    ]
    for number, (name, assignments) in enumerate(cases, start=3):
        first, second, _ = recommended(name, assignments)
        blocks.append((f"E{number}a recommended, {name} {' '.join(assignments)}: part 1", first))
        blocks.append((f"E{number}b then part 2", second))
    whole = recommended("evidence/why", ["a=p-lsimard", "b=p-kdiallo"])[2]
    blocks += [
        ("E6 recommended text, both parts pasted at once", whole),
        (
            "E7a one :params map line (no dates)",
            ':params {from: "p-kdiallo", to: "ciusss-cn", types: null, at_first: null,'
            " at_last: null, max_hops: 6}",
        ),
        ("E7b then the query", shortest),
        (
            "E7c types of :params values",
            "RETURN valueType($max_hops) AS max_hops, valueType($from) AS from",
        ),
        (
            "E8a :params map with dates as strings",
            ':params {from: "p-kdiallo", to: "ciusss-cn", types: null, at_first: "2016-01-01",'
            ' at_last: "2016-12-31", max_hops: 6}',
        ),
        ("E8b then the query: no rows, no error", shortest),
        ("E9a :params integer", ":params {n: 6}"),
        ("E9b used where Cypher needs an INTEGER", "UNWIND range(1, 10) AS i RETURN i LIMIT $n"),
        ("E9c :params replaces every parameter ($from was set by E8a)", "RETURN $from AS from"),
        (
            "E10 a :params line and the query, each ended by ';', pasted whole",
            ':params {from: "p-kdiallo", to: "ciusss-cn", types: null, at_first: null,'
            f" at_last: null, max_hops: 6}};\n\n{shortest};",
        ),
        ("E11a single :param commands, run one by one", ":param at => date('2016-01-01')"),
        ("E11b", ":param n => 6"),
        (
            "E11c :param adds to the parameters ($from was set by E10)",
            "RETURN valueType($at) AS at, valueType($n) AS n, $from AS from_kept",
        ),
        (
            "E12a multi-line :param (explicit form)",
            ':param [{from, to, max_hops}] => {\n  RETURN "p-lsimard" AS from, "ciusss-cn" AS to,'
            "\n         5 AS max_hops\n}",
        ),
        (
            "E12b",
            "RETURN $from AS from, $to AS to, $max_hops AS max_hops, valueType($max_hops) AS t",
        ),
        (
            "E13a awkward strings in the :param form",
            ':param [{a, b, c, d, e, f}] => { RETURN "x; y" AS a, "br}ace {" AS b,'
            ' "q\\"uo\'te \\\\ back" AS c, "é ü 😀" AS d, "arrow => here" AS e,'
            ' ["ADVICE", "FUNDING"] AS f }',
        ),
        ("E13b", "RETURN $a AS a, $b AS b, $c AS c, $d AS d, $e AS e, $f AS f"),
        ("E14 the Browser's settings", ":config"),
    ]
    text = "".join(f"---- {title}\n{block}\n" for title, block in blocks)
    (HERE / "experiments.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
