"""Evidence: full-text search over it, and how well each tie is evidenced.

- `search`: evidence items matching a Lucene query on the ``evidence_text`` index (quotes,
  notes, locations, document titles; accent-insensitive), with what each item supports;
- `tie_coverage`: per tie, its evidence count and distinct kinds, sources and coders
  (`kb.analyses.selection.Coverage`, the measure the ``--min-evidence`` /
  ``--triangulated`` tie selection applies);
- `coverage`: the report of ``kb evidence coverage``: ties (unevidenced first) and
  summaries per tie type and per stage.

A tie is **triangulated** when evidence of two or more of the kinds interview, observation
and document supports it ("other" evidence counts as evidence, not as a kind of its own).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kb.actors import resolve_actor
from kb.analyses.selection import ALL_TIES, Coverage, Selection
from kb.analyses.vocabulary import check_coder, check_period, check_types
from kb.errors import ParameterError, ValidationError
from kb.model import EVIDENCE_KINDS
from kb.periods import Period, between
from kb.results import Records, Result, Rows, flat_records
from kb.store import Reader
from kb.text import strip_accents

SEARCH_LIMIT = 20
# The most items one search lists: more is a dump of the case, which `kb export csv` does.
MAX_SEARCH_LIMIT = 10_000
# Lucene turns each word of a query into one clause and refuses more than 1,024 of them
# (its maxClauseCount); kb refuses such a query first, in its own words.
MAX_SEARCH_TERMS = 1024
_OPERATORS = frozenset({"AND", "OR", "NOT", "&&", "||", "+", "-"})
# Index hits read at first: enough for the usual query, cheap for the server (a few ms).
FIRST_FETCH = 500
FETCH_PER_ITEM = 10


# --- search -----------------------------------------------------------------------------------


class SearchHits(Rows):
    """`search`'s answer (``kb search WORDS``): one record per evidence item, best first
    (id, score, kind, date, quote, note, location, coder, document, document_title), with
    what it supports (``ties``, ``memberships``, ``meetings``, ``positions``) and the
    ``actors`` it mentions, as lists of maps (their ids in the flat records)."""


def search(
    db: Reader,
    text: str | Sequence[str],
    *,
    kinds: str | Sequence[str] | None = None,
    actor: str | None = None,
    coder: str | None = None,
    between_dates: tuple[str, str] | None = None,
    limit: int = SEARCH_LIMIT,
) -> SearchHits:
    """Evidence items matching a full-text query, best first, with what each supports.

    Args:
        db: the knowledge base.
        text: a Lucene query: words, ``"a phrase"``, ``AND`` / ``OR`` / ``NOT``, ``équip*``
            (a list of words is joined by spaces). Accents and case do not matter; at most
            `MAX_SEARCH_TERMS` words.
        kinds: evidence kinds to keep (comma-separated text or a list).
        actor: keep items mentioning this actor or supporting one of its relationships.
        coder: keep items of this coder (case-insensitive).
        between_dates: keep items dated in this period (two partial dates; undated items
            are left out).
        limit: how many items at most (1 to `MAX_SEARCH_LIMIT`).

    Returns:
        a `SearchHits`, one record per item, by score (equal scores by id): id, score, kind,
        date, quote, note,
        location, coder, document, document_title, and ``ties``, ``memberships``,
        ``meetings``, ``positions``, ``actors`` (what it supports or mentions; lists of
        maps). The same items a ranking of every hit would give: the index is read in
        rounds until they are known (`_best`).

    Raises:
        ValidationError: an empty or malformed query, one of only stop words (``la``) or
            of too many words, an unknown kind, a bad date or limit.
        NotFoundError: no actor has the id or name ``actor``.
    """
    if not isinstance(text, str):
        text = " ".join(text)
    if not text or not text.strip():
        raise ValidationError("Give words to search for.")
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ParameterError.sentence(
            "{limit} must be between 1 and {_most:,}, not {_limit:,} (every item: kb export csv).",
            _most=MAX_SEARCH_LIMIT,
            _limit=limit,
        )
    terms = _terms(text)
    query = _index_query(text)
    clauses = len(terms) * (1 if query == text else 2)
    if clauses > MAX_SEARCH_TERMS:
        raise ValidationError(
            f"The search has {len(terms):,} words; full-text search takes at most "
            f"{MAX_SEARCH_TERMS:,} (Lucene's limit; a search with accents counts each word "
            "twice). Search for fewer words."
        )
    period: Period | None = between(*between_dates) if between_dates else None
    params: dict[str, Any] = {
        "query": query,
        "limit": limit,
        "kinds": _kinds(kinds),
        "actor_evidence": None,
        "coder": coder or None,
        "from": period.first if period else None,
        "to": period.last if period else None,
    }
    check_coder(db, coder)
    fetch = max(FIRST_FETCH, FETCH_PER_ITEM * limit)
    if actor:
        about = db.read_one("evidence/of_actor", actor=resolve_actor(db, actor, parameter="actor"))
        if not about["nodes"]:
            return SearchHits()
        params["actor_evidence"] = about["nodes"]
        # Few items about the actor among many: expect to read that many more hits.
        share = len(about["nodes"]) / max(about["evidence"], 1)
        fetch = max(fetch, _enough(limit, share))
    hits = _best(db, fetch, params, shown=text)
    if not hits:
        _check_stop_words(db, terms)
    supports = db.read("evidence/supports", ids=[h["id"] for h in hits]) if hits else []
    keys = {
        "tie": "ties",
        "membership": "memberships",
        "attendance": "meetings",
        "position": "positions",
        "mention": "actors",
    }
    by_item: dict[str, dict[str, list[dict[str, Any]]]] = {
        hit["id"]: {key: [] for key in keys.values()} for hit in hits
    }
    for row in supports:
        item = {k: row[k] for k in ("id", "type", "source", "target", "label")}
        if row["what"] == "mention":
            item = {"id": row["source"], "name": row["label"]}
        by_item[row["evidence"]][keys[row["what"]]].append(item)
    return SearchHits(tuple({"id": hit["id"], **hit, **by_item[hit["id"]]} for hit in hits))


def _best(db: Reader, fetch: int, params: dict[str, Any], *, shown: str) -> list[dict[str, Any]]:
    """The first ``limit`` items by score, then id, that pass the filters.

    Each round reads the index's ``fetch`` best hits. Every item scoring above the last
    hit's score is among them, so once ``limit`` such items pass the filters (or the index
    has no more hits) the answer is exact, ties included; otherwise the next round reads
    more hits: as many as the share of items passing so far says is needed.
    """
    limit = params["limit"]
    floor = None
    while True:
        try:
            page = db.read_one("evidence/search", fetch=fetch, **params)
        except Exception as error:  # the driver's ClientError; kb.analyses does not import it
            if "TooManyClauses" in str(error):
                raise ValidationError(
                    f"The search {_shortened(shown)!r} expands to more than "
                    f"{MAX_SEARCH_TERMS:,} terms (Lucene's limit); search for fewer words "
                    "or wildcards."
                ) from None
            if "ParseException" in str(error) or "parse" in str(error).lower():
                raise ValidationError(
                    f"Cannot read the search {_shortened(shown)!r} as a Lucene "
                    "query. Put a "
                    'phrase in double quotes ("porte frapper"), or escape special characters '
                    "(: ( ) [ ] ^ ~ * ?) with a backslash."
                ) from None
            raise
        if page["hits"] < fetch or fetch >= page["indexed"] or page["above"] >= limit:
            top: list[dict[str, Any]] = page["top"]
            return top
        if page["floor"] in (page["best"], floor):
            # Every hit read, or every hit read since the last round, has the same score (a
            # prefix or wildcard query scores its matches alike): items with equal scores
            # are ordered by id, so that whole group must be read: read every hit.
            fetch = page["indexed"]
        else:
            share = page["kept"] / page["hits"]
            more = max(4 * fetch, _enough(limit, share) if share else 16 * fetch)
            fetch = min(more, page["indexed"])
        floor = page["floor"]


def _enough(limit: int, share: float) -> int:
    """Index hits to read for ``limit`` items when ``share`` of the hits pass the filters."""
    return math.ceil(1.5 * limit / share) if share else 1


def _kinds(kinds: str | Sequence[str] | None) -> list[str] | None:
    if kinds is None:
        return None
    items = kinds.split(",") if isinstance(kinds, str) else list(kinds)
    chosen = [k.strip().lower() for k in items if k.strip()]
    unknown = sorted(set(chosen) - set(EVIDENCE_KINDS))
    if unknown:
        raise ValidationError(
            f"Unknown evidence kind {', '.join(unknown)}; kinds are {', '.join(EVIDENCE_KINDS)}."
        )
    return chosen or None


# --- coverage ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, kw_only=True)
class EvidenceCoverage(Result):
    """`coverage`'s answer (``kb evidence coverage``): one record per tie (``ties``), and
    summaries per tie type, per stage and in total.

    Attributes:
        ties: per tie: tie, type, source, target, start, end, evidence_count, kinds,
            kind_count, sources, coders, triangulated; ties without evidence first, then
            by evidence count.
        by_type: per tie type: the ties, how many have no evidence, one item only, or are
            triangulated, and the mean evidence per tie (`type_records`).
        by_stage: the same per stage, a tie counting in every stage its spell overlaps
            (`stage_records`).
        total: the same over every tie.
    """

    RECORDS = Records(key="ties")

    ties: list[dict[str, Any]]
    by_type: list[dict[str, Any]]
    by_stage: list[dict[str, Any]]
    total: dict[str, Any]

    def type_records(self) -> list[dict[str, Any]]:
        """The summary per tie type, one record per type."""
        return flat_records(self.by_type)

    def stage_records(self) -> list[dict[str, Any]]:
        """The summary per stage, one record per stage."""
        return flat_records(self.by_stage)


def _coverage_rows(db: Reader, selection: Selection) -> list[dict[str, Any]]:
    check_types(db, selection.type_list)
    check_period(db, selection.period, parameter=selection.period_parameter)
    return db.read("evidence/coverage", **selection.params())


def tie_coverage(db: Reader, selection: Selection = ALL_TIES) -> dict[str, Coverage]:
    """Per tie id of the ties ``selection`` keeps, its evidence count and distinct kinds,
    sources and coders.

    A tie selection by evidence (``--min-evidence N``, ``--triangulated``) keeps the ties
    whose coverage `kb.analyses.selection.Selection.selects`.

    Raises:
        ValidationError: a type or period of the selection the case does not have.
    """
    return {
        row["tie"]: Coverage(
            row["evidence"], frozenset(row["kinds"]), row["sources"], row["coders"]
        )
        for row in _coverage_rows(db, selection)
    }


def coverage(db: Reader, selection: Selection = ALL_TIES) -> EvidenceCoverage:
    """The evidence behind every tie ``selection`` keeps (every tie by default), and
    summaries per tie type and per stage.

    Returns:
        an `EvidenceCoverage`: ``ties``, one map per tie (tie, type, source, target, start,
        end, evidence_count, kinds, kind_count, sources, coders, triangulated), ties without
        evidence first, then by evidence count; ``by_type`` and ``by_stage``: per tie type /
        stage, the ties, how many have no evidence, one item only, or are triangulated, and
        the mean evidence per tie (a tie counts in every stage its spell overlaps);
        ``total``: the same over every tie.

    Raises:
        ValidationError: a type or period of the selection the case does not have.
    """
    rows = _coverage_rows(db, selection)
    ties: list[dict[str, Any]] = []
    for row in rows:
        cover = Coverage(row["evidence"], frozenset(row["kinds"]), row["sources"], row["coders"])
        ties.append(
            {
                "tie": row["tie"],
                "type": row["type"],
                "source": row["source"],
                "target": row["target"],
                "start": row["start"],
                "end": row["end"],
                "evidence_count": cover.evidence,
                "kinds": sorted(cover.kinds),
                "kind_count": cover.triangulating_kinds,
                "sources": cover.sources,
                "coders": cover.coders,
                "triangulated": cover.triangulated,
                "_spell": (row["start_first"], row["end_last"]),
            }
        )
    ties.sort(
        key=lambda t: (t["evidence_count"] > 0, t["evidence_count"], t["kind_count"], t["tie"])
    )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for tie in ties:
        by_type.setdefault(tie["type"], []).append(tie)
    stages = db.read("network/stages")
    by_stage = []
    for stage in stages:
        period = Period(stage["id"], stage["first"], stage["last"])
        inside = [t for t in ties if period.overlaps(*t["_spell"])]
        by_stage.append({"stage": stage["id"], "name": stage["name"], **_summary(inside)})
    for tie in ties:
        del tie["_spell"]
    return EvidenceCoverage(
        ties=ties,
        by_type=[{"type": name, **_summary(group)} for name, group in sorted(by_type.items())],
        by_stage=by_stage,
        total=_summary(ties),
    )


def _summary(ties: list[dict[str, Any]]) -> dict[str, Any]:
    count = len(ties)
    return {
        "ties": count,
        "no_evidence": sum(1 for t in ties if t["evidence_count"] == 0),
        "single_item": sum(1 for t in ties if t["evidence_count"] == 1),
        "triangulated": sum(1 for t in ties if t["triangulated"]),
        "mean_evidence": (
            round(sum(t["evidence_count"] for t in ties) / count, 2) if count else 0.0
        ),
    }


def _terms(text: str) -> list[str]:
    """The words of a Lucene query, without its operators, quotes and parentheses."""
    words = text.replace('"', " ").replace("(", " ").replace(")", " ").split()
    return [w for w in words if w not in _OPERATORS]


def _index_query(text: str) -> str:
    """The Lucene query for ``text``: its words without accents, as the index stores them
    (kb.text.search_text), and, when it has accents, also as written (``maïs``, whose
    stripped form ``mais`` is a stop word). Lucene leaves wildcard terms unanalysed, so
    ``équip*`` must reach it as ``equip*`` to match anything."""
    stripped = strip_accents(text)
    return stripped if stripped == text else f"({stripped}) OR ({text})"


def _check_stop_words(db: Reader, terms: list[str]) -> None:
    """Raise ValidationError when every word searched for is one the index leaves out
    (``la``, ``de``): the search found nothing because it searched for nothing."""
    from kb.schema import FULLTEXT_ANALYZER

    row = db.read_optional("evidence/stop_words", analyzer=FULLTEXT_ANALYZER)
    # Compared as the analyzer compares them: a word reaches it as written and, when it
    # has accents, without them (`_index_query`); it is dropped only if both are stop words.
    stop = set(row["words"]) if row else set()
    words = [t.lstrip("+-").lower() for t in terms]
    if words and all(w in stop and strip_accents(w) in stop for w in words):
        raise ValidationError(
            f"Only stop words ({', '.join(dict.fromkeys(words))}): the index leaves out "
            "such common words, so they find nothing. Add a word that carries meaning."
        )


def _shortened(query: str, width: int = 60) -> str:
    return query if len(query) <= width else query[: width - 1] + "…"
