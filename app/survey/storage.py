"""Evidence files on disk: checked by content, stored under server-chosen names.

Files live in UPLOAD_FOLDER, outside anything the web server serves, under a random key; the name
the user gave is kept only as data. The type is decided from the bytes, never from the name or the
browser's word, against an allow-list.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

import filetype  # type: ignore[import-untyped]

CHUNK = 64 * 1024

#: What evidence may be: MIME type -> the extension it is served with.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
    "text/csv": "csv",
}


class UploadRejectedError(ValueError):
    """A file we do not keep; `reason` is one of: empty, too_large, type."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str
    content_type: str


def store_upload(stream: BinaryIO, folder: Path, max_size: int, filename: str = "") -> StoredFile:
    """Copy `stream` into `folder` if its content is allowed; nothing is left behind otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False) as tmp:
        tmp_path = Path(tmp.name)
        try:
            size, digest = _copy_limited(stream, tmp, max_size)
        except UploadRejectedError:
            tmp_path.unlink(missing_ok=True)
            raise
    try:
        content_type = detect_type(tmp_path, filename)
    except UploadRejectedError:
        tmp_path.unlink(missing_ok=True)
        raise
    key = secrets.token_hex(16)
    target = path_for(folder, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(tmp_path, target)
    return StoredFile(key=key, size=size, sha256=digest, content_type=content_type)


def _copy_limited(stream: BinaryIO, out: IO[bytes], max_size: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_size:
            raise UploadRejectedError("too_large")
        digest.update(chunk)
        out.write(chunk)
    if size == 0:
        raise UploadRejectedError("empty")
    return size, digest.hexdigest()


def detect_type(path: Path, filename: str = "") -> str:
    """The allowed MIME type the content really is, or UploadRejectedError("type")."""
    kind = filetype.guess(str(path))
    if kind is not None:
        mime = _refine_zip(path, kind.mime)
        if mime in ALLOWED_TYPES:
            return mime
        raise UploadRejectedError("type")
    if _is_text(path):
        return "text/csv" if filename.lower().endswith(".csv") else "text/plain"
    raise UploadRejectedError("type")


def _refine_zip(path: Path, mime: str) -> str:
    """An office document is a ZIP; make sure it really is one and not any archive."""
    if mime in ALLOWED_TYPES and ("openxmlformats" in mime or "opendocument" in mime):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "application/octet-stream"
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            return "application/zip"
    return mime


def _is_text(path: Path) -> bool:
    data = path.read_bytes()[: 1024 * 1024]
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 1 MiB mark is still text.
        return exc.start >= len(data) - 3
    return True


def path_for(folder: Path, key: str) -> Path:
    """Keys are hex we made; anything else is refused rather than joined into a path."""
    if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
        raise ValueError(f"not a storage key: {key!r}")
    return folder / key[:2] / key


def delete_file(folder: Path, key: str) -> None:
    path_for(folder, key).unlink(missing_ok=True)
