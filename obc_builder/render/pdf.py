"""A contract as PDF: its Word file converted by LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs with a private, throw-away LibreOffice profile (``-env:UserInstallation``), so conversions in
parallel (batch workers, two commands at once, a desktop LibreOffice left open) never collide. LibreOffice stamps
each PDF with the time and a random id; those are replaced, byte for byte, by the contract's date and a digest of
the file, so identical inputs still give identical bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ObcError

TIMEOUT = 300  # seconds: a first start of LibreOffice on a slow machine takes a while; a 30-page contract, seconds
_MAC_APP = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
INSTALL_HINT = (
    "--format pdf needs LibreOffice, and no soffice or libreoffice command is on the PATH; install it "
    "(Debian or Ubuntu: sudo apt-get install libreoffice-writer; Fedora: sudo dnf install libreoffice-writer; "
    "macOS: brew install --cask libreoffice; Windows: https://www.libreoffice.org/download/ and add its program "
    "folder to the PATH), or leave pdf out of --format"
)


class MissingLibreOffice(ObcError):
    """PDF was asked for, but LibreOffice is not installed (exit 2: nothing can be converted until it is)."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class ConversionFailed(ObcError):
    """LibreOffice ran but made no PDF."""


def find_soffice() -> str | None:
    """LibreOffice's command: ``soffice`` or ``libreoffice`` on the PATH, else the macOS application's."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or (str(_MAC_APP) if _MAC_APP.is_file() and os.access(_MAC_APP, os.X_OK) else None)


def require_soffice() -> str:
    """LibreOffice's command, or :class:`MissingLibreOffice` saying how to install it."""
    found = find_soffice()
    if found is None:
        raise MissingLibreOffice()
    return found


def docx_to_pdf(word: bytes, stamp: str | None = None, name: str = "contract") -> bytes:
    """The PDF of a Word file; ``stamp`` (``2025-09-01T00:00:00Z``) is the date the PDF says it was made."""
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="obc-builder-pdf-") as folder:
        work = Path(folder)
        source = work / f"{name}.docx"
        source.write_bytes(word)
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "pdf"), str(source)]
        environment = {**os.environ, "TZ": "UTC"}  # the date LibreOffice writes is then UTC ("Z"), as replaced below
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=environment,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"{name}.pdf: LibreOffice did not finish within {TIMEOUT} seconds") from None
        result = work / "pdf" / f"{name}.pdf"
        if done.returncode != 0 or not result.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise ConversionFailed(f"{name}.pdf: LibreOffice could not convert the contract (exit {done.returncode}"
                                   f"{': ' + detail[-1] if detail else ''})")
        return reproducible(result.read_bytes(), stamp)


def reproducible(pdf: bytes, stamp: str | None) -> bytes:
    """The PDF with LibreOffice's clock time and random ids replaced by fixed ones of the same length (so every
    offset in the file stays right): the date is ``stamp``'s, the ids a digest of the rest of the file."""
    digits = re.sub(r"\D", "", stamp or "")[:14].ljust(14, "0") if stamp else "19800101000000"
    pdf = re.sub(rb"(/(?:CreationDate|ModDate)\(D:)\d{14}", lambda m: m.group(1) + digits.encode(), pdf)
    ids = re.compile(rb"(/ID \[ ?<)[0-9A-Fa-f]{32}(>\s*<)[0-9A-Fa-f]{32}(> ?\])|(/DocChecksum /)[0-9A-Fa-f]{32}")
    digest = hashlib.md5(ids.sub(b"", pdf), usedforsecurity=False).hexdigest().upper().encode()

    def fixed(match: re.Match[bytes]) -> bytes:
        if match.group(4):
            return match.group(4) + digest
        return match.group(1) + digest + match.group(2) + digest + match.group(3)

    return ids.sub(fixed, pdf)
