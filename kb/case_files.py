"""Writing files that hold case data: private, complete or absent, never through a symlink.

Every file kb writes with the case's data in it (exports, the report, plots, the QDA review
file, waves, backups' companions) goes through `case_file` or `write_case_file`:

- missing parent folders are created (readable by the user only, like ``$KB_HOME``);
- the file is written under a temporary name in its folder, synced, then renamed over the
  target: a reader, a crash or a full disk never leaves half a file, and a symlink planted
  at the target is replaced, not followed (its target is never written);
- the file is readable and writable by the user only (mode 0600), whatever the umask, so
  interview quotes are not readable by every local user. Set ``KB_FILE_MODE`` (octal, e.g.
  ``0640`` to share with the group) to choose another mode; kb never makes a file
  executable nor writable by others.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kb.errors import KBError, SettingsError

DEFAULT_MODE = 0o600
MODE_VARIABLE = "KB_FILE_MODE"
TEMPORARY_SUFFIX = ".kb-tmp"
# Bits kb never sets on a case file, whatever KB_FILE_MODE asks: execute, and write by others.
_NEVER = 0o111 | 0o002 | 0o7000


def file_mode() -> int:
    """The mode of the case files kb writes: ``$KB_FILE_MODE`` (octal) or 0600.

    Raises:
        SettingsError: the variable is not an octal mode.
    """
    wanted = os.environ.get(MODE_VARIABLE, "").strip()
    if not wanted:
        return DEFAULT_MODE
    try:
        mode = int(wanted, 8)
    except ValueError:
        raise SettingsError(
            f"{MODE_VARIABLE}={wanted!r} is not an octal file mode such as 0600 or 0640."
        ) from None
    if not 0 <= mode <= 0o777 or mode & _NEVER or not mode & 0o600 == 0o600:
        raise SettingsError(
            f"{MODE_VARIABLE}={wanted!r}: give a mode that lets you read and write the file and "
            "nobody else write or execute it, such as 0600 or 0640."
        )
    return mode


def case_folder(path: str | Path) -> Path:
    """Create the folder ``path`` and its missing parents (new ones 0700); return it.

    Raises:
        KBError: it cannot be created (a file of that name, no permission).
    """
    folder = Path(path)
    # mkdir(parents=True) gives the mode to the last folder only: create each one.
    missing = [f for f in (folder, *folder.parents) if not f.exists()]
    try:
        for each in reversed(missing):
            each.mkdir(exist_ok=True, mode=0o700)
    except OSError as e:
        raise KBError(f"Cannot write {folder}: {e.strerror or e}.") from e
    if not folder.is_dir():
        raise KBError(f"Cannot write {folder}: it is not a folder.")
    return folder


@contextmanager
def case_file(
    path: str | Path, *, binary: bool = False, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """A stream whose content becomes the file ``path`` when the block ends without error.

    The file appears whole, with `file_mode`, by rename (see the module docstring); if the
    block raises, nothing is left behind and an existing file is unchanged.

    Raises:
        KBError: the file cannot be written (no permission, disk full, a folder of that name).
    """
    target = Path(path)
    mode = file_mode()
    folder = case_folder(target.parent if str(target.parent) else ".")
    if target.is_dir() and not target.is_symlink():
        raise KBError(f"Cannot write {target}: it is a folder.")
    try:
        # mkstemp creates a new file (O_EXCL: never an existing file or a symlink's target).
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name[:80]}.", suffix=TEMPORARY_SUFFIX, dir=folder
        )
    except OSError as e:
        raise KBError(f"Cannot write {target}: {e.strerror or e}.") from e
    try:
        os.fchmod(handle, mode)
        with (
            os.fdopen(handle, "wb")
            if binary
            else os.fdopen(handle, "w", encoding=encoding, newline=newline)
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as e:
        raise KBError(f"Cannot write {target}: {e.strerror or e}.") from e
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_case_file(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` as a case file (see `case_file`); return the path.

    Raises:
        KBError: the file cannot be written.
    """
    if isinstance(data, bytes):
        with case_file(path, binary=True) as out:
            out.write(data)
    else:
        with case_file(path, encoding=encoding, newline="") as text:
            text.write(data)
    return Path(path)
