"""The case record kb publish reads: creators with ORCID iDs, licences, and the refusal that
lists every missing or malformed field."""

from __future__ import annotations

import pytest

from kb.errors import ValidationError
from kb.publish.crate import Making, PackageFile, crate_metadata
from kb.publish.record import Creator, case_record, parse_creators, parse_licence, parse_orcid

COMPLETE = {
    "id": "wg",
    "name": "WG",
    "title": "A working group",
    "description": "What it holds.",
    "creators": "Josiah Carberry <https://orcid.org/0000-0002-1825-0097> (Brown); Ann Lee",
    "publisher": "Repository",
    "publication_year": "2026",
    "licence": "CC-BY-4.0",
    "keywords": "networks; ; Québec ",
}


def test_orcid_is_checked_by_its_check_character() -> None:
    assert parse_orcid("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert parse_orcid(" https://orcid.org/0000-0002-1694-233X") == (
        "https://orcid.org/0000-0002-1694-233X"
    )
    with pytest.raises(ValueError, match="check character"):
        parse_orcid("0000-0002-1825-0098")
    with pytest.raises(ValueError, match="not an ORCID"):
        parse_orcid("0000-0002-1825")


def test_creators_are_name_orcid_affiliation() -> None:
    assert parse_creators(COMPLETE["creators"]) == (
        Creator("Josiah Carberry", "https://orcid.org/0000-0002-1825-0097", "Brown"),
        Creator("Ann Lee"),
    )
    assert parse_creators("Ann Lee (Université Laval)") == (
        Creator("Ann Lee", None, "Université Laval"),
    )
    with pytest.raises(ValueError, match="not written"):
        parse_creators("Ann (Lee) <0000-0002-1825-0097>")


def test_licence_is_an_spdx_id_or_a_url() -> None:
    assert parse_licence("CC-BY-4.0") == ("https://spdx.org/licenses/CC-BY-4.0", "CC-BY-4.0")
    assert parse_licence("https://example.org/terms") == ("https://example.org/terms", None)
    with pytest.raises(ValueError, match="neither"):
        parse_licence("CC BY 4.0")


def test_a_complete_record() -> None:
    record = case_record(COMPLETE)
    assert record.title == "A working group"
    assert record.keywords == ("networks", "Québec")
    assert record.resource_type == "Dataset"
    assert record.licence == "https://spdx.org/licenses/CC-BY-4.0"


def test_every_missing_or_malformed_field_is_listed() -> None:
    with pytest.raises(ValidationError) as caught:
        case_record({"id": "wg", "name": "WG", "publication_year": "26", "resource_type": "x"})
    text = str(caught.value)
    for missing in ("title", "description", "creators", "publisher", "licence"):
        assert f"{missing} is missing" in text
    assert "publication_year: '26' is not a year" in text
    assert "resource_type: 'x' is not a DataCite resourceTypeGeneral" in text
    with pytest.raises(ValidationError, match="no case record"):
        case_record(None)
    with pytest.raises(ValidationError, match="check character"):
        case_record({**COMPLETE, "creators": "Ann <0000-0002-1825-0098>"})


def test_crate_lists_files_in_folders_with_checksums() -> None:
    files = [
        PackageFile("data/ties.csv", "text/csv", "ties", 10, "a" * 64),
        PackageFile("report.html", "text/html", "report", 20, "b" * 64),
    ]
    making = Making("0.1.0", "kb publish out", 7, "f" * 16, "2026-12-07T22:00:00+00:00")
    graph = {e["@id"]: e for e in crate_metadata(case_record(COMPLETE), files, making)["@graph"]}
    root = graph["./"]
    assert root["hasPart"] == [{"@id": "data/"}, {"@id": "report.html"}]
    assert graph["data/"]["hasPart"] == [{"@id": "data/ties.csv"}]
    assert graph["data/ties.csv"]["sha256"] == "a" * 64
    assert graph["data/ties.csv"]["contentSize"] == "10"
    assert root["author"][0] == {"@id": "https://orcid.org/0000-0002-1825-0097"}
    assert graph["https://orcid.org/0000-0002-1825-0097"]["affiliation"] == {
        "@id": "#affiliation-1"
    }
    assert root["datePublished"] == "2026" and root["version"] == "7"
    assert graph["#publish"]["description"].startswith("Made by `kb publish out` with kb 0.1.0")
