"""ZIP containers (DOCX, OFD) opened with caps on what they expand to."""

from __future__ import annotations

import io
import zipfile

from . import messages as m

MAX_UNZIPPED = 200 * 1024 * 1024  # all members together; a real plan's DOCX expands to a few MB
MAX_MEMBER = 100 * 1024 * 1024
MAX_RATIO = 200  # XML compresses ~10-30x; a zip bomb compresses thousands of times
RATIO_FLOOR = 1024 * 1024  # members smaller than this are never a bomb, whatever their ratio
MAX_MEMBERS = 10_000


def open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """The archive, after checking every member's declared size and ratio.

    zipfile stops reading a member at its declared size, so checking the declared sizes
    bounds what any later read can expand to.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise m.unreadable(m.DAMAGED, name, detail=f"ZIP: {exc}") from exc
    if len(infos) > MAX_MEMBERS:
        raise m.unreadable(m.ZIP_BOMB, name, 413, detail=f"{len(infos)} members")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise m.unreadable(m.ENCRYPTED, name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise m.unreadable(
                m.ZIP_BOMB, name, 413, detail=f"{info.filename}: {info.file_size // 2**20} MB, ×{ratio:.0f}"
            )
        if total > MAX_UNZIPPED:
            raise m.unreadable(m.ZIP_BOMB, name, 413, detail=f"> {MAX_UNZIPPED // 2**20} MB")
    return zf


def read_member(name: str, zf: zipfile.ZipFile, member: str) -> bytes:
    """One member's bytes; a damaged member (bad CRC, truncated) is a damaged file."""
    try:
        return zf.read(member)
    except KeyError as exc:
        raise m.unreadable(m.DAMAGED, name, detail=f"missing {member}") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise m.unreadable(m.DAMAGED, name, detail=f"{member}: {exc}") from exc


def members(zf: zipfile.ZipFile) -> set[str]:
    return set(zf.namelist())
