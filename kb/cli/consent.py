"""kb withdraw: a participant leaves the study (docs/ethics.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from kb.cli.base import FormatOption, app, open_kb
from kb.cli.render import Format, emit_mapping, message


@app.command()
def withdraw(
    actor: Annotated[str, typer.Argument(help="The actor's id or name.")],
    policy: Annotated[
        str,
        typer.Option(
            "--policy",
            help="erase: remove them, their ties and their words; anonymise: keep an "
            "anonymous node for the structure others reported, remove their words and "
            "attributes.",
        ),
    ],
    why: Annotated[
        str, typer.Option("--why", help="The reason, kept with the date (do not name them).")
    ],
    fmt: FormatOption = Format.table,
) -> None:
    """Withdraw a participant: nothing of theirs can be found afterwards.

    Their name and initials are masked in what others said. Backups made before stay as
    they are: kb backup list shows which still hold their data.

    Example: kb withdraw p-lsimard --policy anonymise --why "asked on 2026-12-01"
    """
    with open_kb() as base:
        result = base.withdraw(actor, policy=policy, why=why)
    if fmt is not Format.table:
        emit_mapping(result.as_dict(), fmt)
        return
    kept = f" as {result.anonymous_id}" if result.anonymous_id else ""
    message(
        f"Withdrawn ({result.policy}){kept} on {result.withdrawn_at:%Y-%m-%d}: "
        f"{result.evidence_removed} evidence items removed, {result.relationships} "
        f"relationships {'kept' if result.anonymous_id else 'removed'}, "
        f"{result.texts_masked} texts of others masked."
    )
    message(
        "Backups made before still hold their data: kb backup list; delete those you no "
        "longer need.",
        style="yellow",
    )
