"""Rendered scorecard PDFs on disk: `<INSTANCE_PATH>/cache/scorecards/<submission id>/`.

A file's name is its key: the submission's revision, the language, the template version and a
short digest of the rest of what the PDF shows (the status, hence the watermark, and the peers
behind the benchmarks). Any change gives a new name, so an entry is never stale, only unused;
storing a newer one removes the older files of that submission. Files are written to a
temporary name and renamed into place, so several processes can render the same scorecard at
once and a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

logger = logging.getLogger(__name__)

_NAME = re.compile(
    r"^(?P<revision>\d+)_(?P<lang>[a-z]{2})_(?P<version>[\w.-]+)_(?P<state>\w+)\.pdf$"
)


@dataclass(frozen=True, slots=True)
class CacheKey:
    submission_id: int
    revision: int
    lang: str
    template_version: str
    state: str  # a digest of the status and the benchmark peers

    @property
    def filename(self) -> str:
        return f"{self.revision}_{self.lang}_{self.template_version}_{self.state}.pdf"


def cache_folder() -> Path:
    return Path(current_app.instance_path) / "cache" / "scorecards"


def path_for(key: CacheKey) -> Path:
    return cache_folder() / str(key.submission_id) / key.filename


def lookup(key: CacheKey) -> Path | None:
    """The cached file for `key`, if there is one."""
    path = path_for(key)
    return path if path.is_file() else None


def store(key: CacheKey, pdf: bytes) -> Path:
    """Write `pdf` under `key` atomically, then remove the submission's outdated files."""
    path = path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rendering-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    prune(key)
    return path


def prune(key: CacheKey) -> int:
    """Remove the files of `key`'s submission that a newer render has replaced: older revisions,
    and the same revision under another template version or state. Other languages of the same
    render stay; a newer revision stored meanwhile by another process stays too."""
    removed = 0
    for path in (cache_folder() / str(key.submission_id)).glob("*.pdf"):
        match = _NAME.match(path.name)
        if match is None:
            continue
        revision = int(match["revision"])
        same_render = (match["version"], match["state"]) == (key.template_version, key.state)
        if revision < key.revision or (revision == key.revision and not same_render):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
    if removed:
        logger.info("Removed %s outdated scorecards of submission %s", removed, key.submission_id)
    return removed
