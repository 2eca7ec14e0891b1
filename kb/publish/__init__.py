"""``kb publish``: the case as a deposit-ready RO-Crate 1.1 package (docs/ethics.md,
Publishing a package).

- `record.read_case_record`: the case record (title, creators, publisher, ...) checked
  before anything is written; every missing or malformed field listed;
- `package.publish`: the package written into a staging folder and renamed into place;
- `crate.crate_metadata`: the ``ro-crate-metadata.json`` document;
- `readme.readme_text`: the package's README.
"""

from kb.publish.package import PublishResult, publish
from kb.publish.record import CaseRecord, Creator, read_case_record

__all__ = ["CaseRecord", "Creator", "PublishResult", "publish", "read_case_record"]
