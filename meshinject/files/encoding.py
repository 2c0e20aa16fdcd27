"""Text encoding at the edge: UTF-8 only (located errors), a BOM and CRLF kept as found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from meshinject.errors import InputError, Location

if TYPE_CHECKING:
    from meshinject.files.source import Source

BOM = "\ufeff"


@dataclass(frozen=True)
class Encoding:
    """How a file's text was stored: a UTF-8 byte order mark first, CRLF line ends (every line)."""

    bom: bool
    crlf: bool
    # Every line ends in a bare CR (old Mac style; YAML reads CR as a line break): the text
    # is edited with LF and written back with CR, like CRLF (R9).
    cr: bool = False


def decode(data: bytes, path: str) -> tuple[str, bool, bool]:
    """Text with LF line ends, whether it had a BOM, whether it used CRLF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); Kubernetes manifests must be UTF-8",
            Location(path, line, column),
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, bom, crlf


def encode(text: str, *, bom: bool, crlf: bool, cr: bool = False) -> str:
    """`text` (LF line ends) back as it was stored: CRLF (or CR-only) line ends and a BOM
    when it had them."""
    if crlf:
        text = text.replace("\n", "\r\n")
    elif cr:
        text = text.replace("\n", "\r")
    return (BOM + text) if bom else text


def check_encoding(source: Source) -> Encoding:
    """Pass 0: UTF-8 validity (located error), BOM, and whether every line ends in CRLF."""
    line = 1
    lf = crlf = cr = 0
    bom = False
    first = True
    for block in source.blocks():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = exc.start - (block.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(
                f"not valid UTF-8 (byte 0x{block[exc.start]:02x}); "
                "Kubernetes manifests must be UTF-8",
                Location(source.path, line + block.count(b"\n", 0, exc.start), column),
            ) from None
        if first:
            bom = block.startswith(BOM.encode("utf-8"))
            first = False
        line += block.count(b"\n")
        lf += block.count(b"\n")
        crlf += block.count(b"\r\n")
        cr += block.count(b"\r")
    return Encoding(bom=bom, crlf=crlf > 0 and lf == crlf, cr=lf == 0 and cr > 0)
