"""A withdrawal purges the participant from the journal, in its own transaction.

The journal keeps values before and after of what changed (kb.journal): after a withdrawal
they would still hold the participant's name, words and attributes. `JournalPurge` is
handed to the withdrawal's journal entry; `kb.graph.KnowledgeBase` runs it in the
withdrawal's write transaction, before the entry is appended. It

- drops every earlier change and before-image of their records (the actor, their ties, the
  evidence they are the informant of) and their index keys (`kb history`, `kb changes --id`);
- replaces their id by the anonymous id (``anonymise``) or ``[withdrawn participant]``
  (``erase``), and masks their name, aliases and initials (kb.masking), in every value,
  id list, command and reason the journal still holds; a command that changed one of their
  records keeps only its name (``kb add person [arguments purged]``): its arguments were
  their values;
- marks each chunk and entry it changed ``purged for a withdrawal on DATE`` and chains the
  entries' hashes again from the first it changed (the head gets a new fingerprint), so
  that the journal stays whole and its check passes;
- records the withdrawal itself without their data: the policy, the date, the masked reason
  and the anonymous id, never their id, name or values (docs/record.md, docs/ethics.md).

The case as known before the withdrawal cannot be rebuilt faithfully from a purged journal:
`kb.journal.undo` refuses versions before it (``--known-at``) with that reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kb.journal import entry_hash

# The op of the withdrawal's own journal change (kb.journal.undo refuses to go past it).
WITHDRAWN_OP = "withdrawn"


@dataclass
class JournalPurge:
    """What to purge: the actor's id, what replaces it, the ids of their records and the
    masker of their names."""

    ident: str
    replacement: str  # the anonymous id, or the erased label
    records: frozenset[str]
    masker: Any
    policy: str
    why: str  # already masked

    # The entries whose commands changed one of their records (their arguments go).
    own: set[int] = field(default_factory=set)

    def text(self, value: str) -> str:
        """``value`` with their id replaced and their names masked."""
        return str(self.masker.mask(value.replace(self.ident, self.replacement)))

    def deep(self, value: Any) -> Any:
        """Any JSON-like value with every string purged."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.deep(v) for v in value]
        if isinstance(value, dict):
            return {k: self.deep(v) for k, v in value.items()}
        return value

    def theirs(self, change: dict[str, Any]) -> bool:
        """Whether a journal change or before-image is of one of their records."""
        ends = (change.get("id"), change.get("start"), change.get("end"))
        return any(isinstance(e, str) and (e in self.records or self.ident in e) for e in ends)

    def __call__(self, tx: Any, rows: list[dict[str, Any]], run: Any) -> list[dict[str, Any]]:
        """Purge the journal inside the withdrawal's transaction ``tx`` (``rows``: what the
        withdrawal query returned); the withdrawal's own journal change."""
        when = rows[0]["date"] if rows else None
        day = when.date() if isinstance(when, datetime) else when
        note = f"purged for a withdrawal on {day.isoformat() if isinstance(day, date) else day}"
        run(tx, "journal/lock_head", {})
        chunks = self._chunks(tx, run)
        if chunks:
            run(tx, "journal/purge_set_chunks", {"rows": list(chunks.values()), "note": note})
        run(tx, "journal/purge_touches", {"ids": sorted(self.records), "id": self.ident})
        seqs = {int(key.split(":")[1]) for key in chunks}
        entries = self._rechain(tx, run, seqs)
        if entries:
            run(tx, "journal/purge_set_entries", {"rows": entries, "note": note})
            top = run(tx, "journal/lock_head", {})[0]
            run(tx, "journal/set_head", {"seq": top["seq"], "fingerprint": entries[-1]["hash"]})
        return [
            {
                "id": self.replacement if self.policy == "anonymise" else "",
                "kind": "actor",
                "op": WITHDRAWN_OP,
                "policy": self.policy,
                "date": str(when),
                "why": self.why,
                "purged": {"chunks": len(chunks), "entries": sum(e["purged"] for e in entries)},
            }
        ]

    def _chunks(self, tx: Any, run: Any) -> dict[str, dict[str, Any]]:
        """The chunks holding their data, purged (by key)."""
        purged = {}
        for chunk in run(tx, "journal/purge_chunks", {}):
            changes = json.loads(chunk["changes"] or "[]")
            images = json.loads(chunk["images"] or "[]")
            new_changes = [self.deep(c) for c in changes if not self.theirs(c)]
            if len(new_changes) < len(changes):
                # A command that changed their record holds its values in its arguments.
                self.own.add(int(chunk["key"].split(":")[1]))
            # A restore's image of the case it replaced goes whole: --known-at never shows a
            # version before a withdrawal, and the image's links do not name their ends.
            new_images = [
                self.deep(i) for i in images if not self.theirs(i) and i.get("op") != "image"
            ]
            ids = [self.text(i) for i in chunk["ids"] if i not in self.records]
            ids = [i for i in ids if i != self.replacement or self.policy == "anonymise"]
            if new_changes != changes or new_images != images or ids != chunk["ids"]:
                purged[chunk["key"]] = {
                    "key": chunk["key"],
                    "changes": json.dumps(new_changes, ensure_ascii=False, sort_keys=True),
                    "ids": ids,
                    "images": json.dumps(new_images, sort_keys=True),
                }
        return purged

    def _rechain(self, tx: Any, run: Any, seqs: set[int]) -> list[dict[str, Any]]:
        """The entries from the first one purged on, with their command and reason masked
        and their hashes chained again."""
        out: list[dict[str, Any]] = []
        prev: str | None = None
        for entry in run(tx, "journal/purge_entries", {}):
            was = (entry["command"] or "", entry["why"] or "")
            command, why = self.text(was[0]), self.text(was[1])
            if entry["seq"] in self.own:
                command = _without_arguments(command)
            purged = entry["seq"] in seqs or (command, why) != was
            if prev is None and not purged:
                continue
            if prev is None:
                prev = str(entry["prev"] or "")
            digest = entry_hash(prev, entry["seq"], entry["at"], entry["analyst"], command, why)
            out.append(
                {
                    "seq": entry["seq"],
                    "command": command,
                    "why": why,
                    "prev": prev,
                    "hash": digest,
                    "purged": purged,
                }
            )
            prev = digest
        return out


def _without_arguments(command: str) -> str:
    """``kb add person --id X --prop k=v`` as ``kb add person [arguments purged]``: the
    command's words up to its first option or value."""
    words = []
    for word in command.split():
        if word.startswith("-") or not word.replace("-", "").isalpha() or word != word.lower():
            break
        words.append(word)
    return " ".join([*words, "[arguments purged]"])
