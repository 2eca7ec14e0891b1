"""Validate an RO-Crate with roc-validator at its `required` level; print the issues as JSON.

Run by tests/integration/test_publish.py with the interpreter of its own environment
(``.venv/crate-check``, made by ``make install``): roc-validator pins rich below 14, and kb
needs rich 15 (its help loads no traceback or attrs support), so the two cannot share one.

Tests run without the internet, and the validator resolves the crate's ``@context`` URL
through its own HTTP cache (requests_cache), which it reads offline. The cache is given the
RO-Crate JSON-LD context that the `rocrate` package ships (RO-Crate 1.3's, whose terms
include every 1.1 term kb uses), stored under the URL the crate names.

Usage: python crate_check.py CRATE_FOLDER CACHE_FOLDER CONTEXT_URL
"""

from __future__ import annotations

import io
import json
import sys
import warnings
from importlib.resources import files
from pathlib import Path

import requests
import urllib3
from requests_cache import CachedSession
from rocrate_validator import models, services


def offline_context_cache(folder: Path, context_url: str) -> Path:
    """An HTTP cache holding the RO-Crate context under ``context_url``."""
    cache = folder / "roc-validator-cache"
    body = (files("rocrate") / "data" / "ro-crate.jsonld").read_bytes()
    headers = {"Content-Type": "application/ld+json"}
    response = requests.Response()
    response.status_code, response.url, response.encoding = 200, context_url, "utf-8"
    response._content = body
    response.headers.update(headers)
    response.raw = urllib3.HTTPResponse(
        body=io.BytesIO(body),
        status=200,
        headers=headers,
        preload_content=False,
        request_url=context_url,
    )
    response.request = requests.Request("GET", context_url).prepare()
    CachedSession(str(cache), backend="sqlite", expire_after=-1).cache.save_response(response)
    return cache


def main() -> None:
    crate, cache_folder, context_url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    settings = services.ValidationSettings(
        rocrate_uri=crate,
        requirement_severity=models.Severity.REQUIRED,
        profile_identifier="ro-crate-1.1",
        cache_path=offline_context_cache(cache_folder, context_url),
        offline=True,
    )
    with warnings.catch_warnings():  # rdflib's own deprecations, inside the validator
        warnings.simplefilter("ignore", DeprecationWarning)
        result = services.validate(settings)
    issues = [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]
    print(json.dumps({"passed": result.passed(), "issues": issues}))


if __name__ == "__main__":
    main()
