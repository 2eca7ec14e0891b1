"""kb verify FILE: compute a kb output again from its provenance and compare."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kb.cli.base import _STATE, app, open_kb
from kb.cli.render import Format, emit_data
from kb.errors import CannotReproduceError, ExitCode

if TYPE_CHECKING:
    from kb.provenance import Provenance

# Commands whose output is the record of a write, not an answer computed from the case.
WRITES = {"import", "add", "link", "end-tie", "reset", "restore", "backup", "init", "server"}
# The parameters that name the file or folder a command writes.
OUTPUTS = ("file", "folder", "out")
# The option that answers as the case stood at a data version (the journal's, issue 20 §4).
KNOWN_AT = "known_at"


@app.command("verify")
def verify(
    file: Annotated[
        Path,
        typer.Argument(help="A kb output: JSON of a command, an export, a picture, a report."),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = Format.table,
) -> None:
    """Compute a kb output again from its provenance and say whether it is reproduced.

    Reads the provenance the output carries (docs/output.md), runs its command again as
    the case stood at its data version, and compares what it says (its provenance time
    aside), and the content fingerprint of the case rebuilt at that version with the one
    stamped. Exit 0: reproduced. Exit 1: the values that differ are listed (the file was
    edited, or stamped wrongly), or the journal does not rebuild the data the file came
    from (another content fingerprint). Exit 10: the output's data version is not today's
    and this kb cannot answer as the case then stood. Then it says whether today's data
    give another answer, and which values changed. An output stamped by an older kb
    carries a hash of the journal, not of the content: it is run again, its fingerprint
    not compared (the report says which kind it is).

    Example: kb verify tables/brokerage-2016.json
    """
    from kb.fingerprint import CONTENT, PREFIX
    from kb.fingerprint import kind as fingerprint_kind
    from kb.journal import head
    from kb.provenance import differences, read_provenance, without_provenance

    recorded = read_provenance(file)
    argv = [str(word) for word in recorded.command.get("argv") or []]
    _check_rerunnable(argv, file)
    with open_kb(schema=False) as base:
        today = head(base).data_version
        since = _journal_since(base, recorded.data_version, today)
    known_at = None
    if recorded.data_version != today:
        if not _takes_known_at(argv):
            raise CannotReproduceError(
                f"{file} was computed at data version {recorded.data_version}; the case is "
                f"at {today} now, and this kb cannot answer as the case stood at an earlier "
                "version (`kb ... --known-at`). Nothing was compared."
            )
        known_at = f"@{recorded.data_version}"
    kind = fingerprint_kind(recorded.fingerprint)
    with tempfile.TemporaryDirectory(prefix="kb-verify-") as work:
        again = _run_again(argv, recorded, Path(work) / "then", known_at)
        found = differences(without_provenance(file), without_provenance(again))
        # The content fingerprint of the case rebuilt at the file's version (the run
        # again's provenance): the journal rebuilds the very data the file came from.
        rebuilt = _fingerprint_of(again)
        changed: list[str] = []
        today_fingerprint = rebuilt
        if known_at is not None:
            now = _run_again(argv, recorded, Path(work) / "now", None)
            today_fingerprint = _fingerprint_of(now)
            changed = differences(without_provenance(again), without_provenance(now))
    compared = kind == CONTENT and rebuilt.startswith(PREFIX)
    report = {
        "file": str(file),
        "command": "kb " + " ".join(argv),
        "data_version": recorded.data_version,
        "today_data_version": today,
        "reproduced": not found,
        "differences": found,
        "fingerprint": recorded.fingerprint,
        "fingerprint_kind": kind,
        # None: not compared (an old fingerprint, a hash of the journal, not of content).
        "data_rebuilt": (rebuilt == recorded.fingerprint) if compared else None,
        "rebuilt_fingerprint": rebuilt,
        "data_unchanged_since": compared and today_fingerprint == recorded.fingerprint,
        "today_differs": bool(changed),
        "today_changes": changed,
        "journal_since": since,
    }
    if fmt is Format.table:
        _tell(report)
    else:
        emit_data(report, fmt)
    if found or report["data_rebuilt"] is False:
        raise typer.Exit(ExitCode.ERROR)


def _fingerprint_of(output: Path) -> str:
    """The fingerprint an output computed again carries ("" when it carries none)."""
    from kb.provenance import NoProvenanceError, read_provenance

    try:
        return read_provenance(output).fingerprint
    except NoProvenanceError:
        return ""


def _journal_since(base: Any, version: int, today: int) -> list[dict[str, Any]] | None:
    """The journal's entries after ``version`` (who, when, why, what command); None when
    this kb's journal cannot list them."""
    from kb import journal

    listed = getattr(journal, "changes", None)  # kb changes (issue 20 §1)
    if listed is None or not 0 <= version < today:
        return None if listed is None else []
    return [
        {
            k: v
            for k, v in entry.as_dict().items()
            if k in ("seq", "at", "analyst", "why", "command")
        }
        for entry in listed(base, since=version + 1)
    ]


# The table shows this many of today's changes; --format json gives every one.
SHOWN_CHANGES = 20


def _tell(report: dict[str, Any]) -> None:
    from kb.fingerprint import CONTENT

    print(f"{report['file']}: kb {report['command'][3:]}")
    print(f"data version {report['data_version']} (today: {report['today_data_version']})")
    if report["reproduced"]:
        print("reproduced")
    else:
        print(f"NOT reproduced: {len(report['differences'])} difference(s), file -> again:")
        for line in report["differences"]:
            print(f"  {line}")
    if report["data_rebuilt"] is False:
        print(
            f"The journal does not rebuild the data the file came from: its fingerprint is "
            f"{report['fingerprint']}, the case rebuilt at data version "
            f"{report['data_version']} has {report['rebuilt_fingerprint'] or 'none'}."
        )
    elif report["data_rebuilt"]:
        print(
            f"The case rebuilt at data version {report['data_version']} has the file's "
            "content fingerprint: the journal rebuilds the data it came from."
        )
    elif report["fingerprint_kind"] != CONTENT:
        print(
            f"The file's fingerprint is of the kind {report['fingerprint_kind']}: not compared "
            "with the content of the case."
        )
    else:
        print("The case changed while it was read again: its fingerprint was not compared.")
    if report["data_version"] == report["today_data_version"]:
        print("Today's data are those of the file: the same answer.")
    elif report["data_unchanged_since"]:
        print(
            f"The data are unchanged since data version {report['data_version']} (the same "
            "content fingerprint): the same answer."
        )
    elif report["today_differs"]:
        changes = report["today_changes"]
        print(f"Today's data give another answer: {len(changes)} change(s):")
        for line in changes[:SHOWN_CHANGES]:
            print(f"  {line}")
        if len(changes) > SHOWN_CHANGES:
            print(f"  … and {len(changes) - SHOWN_CHANGES} more (--format json lists them all)")
    else:
        print("Today's data give the same answer.")
    since = report["journal_since"]
    if since:
        print(f"The journal since data version {report['data_version']}:")
        for entry in since:
            why = f": {entry['why']}" if entry["why"] else ""
            print(f"  @{entry['seq']} {entry['at']} {entry['analyst']} {entry['command']}{why}")


def _check_rerunnable(argv: list[str], file: Path) -> None:
    from kb.cli import command_in

    name = command_in(argv)
    if name is None:
        raise CannotReproduceError(f"the provenance of {file} names no kb command to run again.")
    if name in WRITES or name == "verify":
        raise CannotReproduceError(
            f"{file} records `kb {name}`, which changes the case or reports on it; only an "
            "answer computed from the case (an analysis, an export, a picture, the report) "
            "can be computed again."
        )


def _command_of(argv: list[str]) -> Any:
    """The Click command ``argv`` runs (None when it names none)."""
    import typer.main

    from kb.cli import every_command

    with every_command() as whole:
        command: Any = typer.main.get_command(whole)
    for word in argv:
        if word.startswith("-"):
            continue
        if not hasattr(command, "commands"):  # a command, not a group: its arguments follow
            break
        command = command.commands.get(word)
        if command is None:
            return None
    return command


def _takes_known_at(argv: list[str]) -> bool:
    command = _command_of(argv)
    return command is not None and any(p.name == KNOWN_AT for p in command.params)


def _run_again(argv: list[str], recorded: Provenance, folder: Path, known_at: str | None) -> Path:
    """Run ``argv`` in this process, writing into ``folder``; the path of what it wrote
    (its stdout, for an answer printed as JSON)."""
    from typer.testing import CliRunner

    from kb.cli import every_command

    folder.mkdir()
    args = list(argv)
    parameters = recorded.command.get("parameters") or {}
    to_stdout = True
    for name in OUTPUTS:
        value = parameters.get(name)
        if value is None or str(value) == "-":
            continue
        index = _word_of(args, str(value))
        if index is not None:
            target = folder / Path(str(value)).name
            option, equals, _ = args[index].partition("=")
            args[index] = f"{option}={target}" if equals and option.startswith("-") else str(target)
            to_stdout = False
            written = target
            break
    if known_at is not None:
        end = args.index("--") if "--" in args else len(args)
        args[end:end] = ["--known-at", known_at]
    connection = []
    for option, value in (("--uri", _STATE.uri), ("--user", _STATE.user)):
        if value is not None:
            connection += [option, value]
    if _STATE.database is not None:
        connection += ["--database", _STATE.database]
    with every_command() as whole:
        result = CliRunner().invoke(whole, [*connection, *args])
    if result.exit_code != 0:
        reason = " ".join((result.stderr or result.stdout or "").split())[:300]
        raise CannotReproduceError(
            f"`kb {' '.join(args)}` failed when run again (exit {result.exit_code}): {reason}"
        )
    if to_stdout:
        written = folder / "stdout"
        written.write_bytes(result.stdout_bytes)
    return written


def _word_of(args: list[str], value: str) -> int | None:
    """Where the output's name is among ``args`` (alone, or as ``--out=NAME``)."""
    for index, word in enumerate(args):
        candidate = word.partition("=")[2] if word.startswith("-") and "=" in word else word
        if candidate == value or (candidate and Path(candidate) == Path(value)):
            return index
    return None
