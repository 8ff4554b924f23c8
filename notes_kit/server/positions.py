"""Positions between notes-kit and LSP: ours are 1-based lines and 1-based columns counted
in code points; LSP's are 0-based lines and 0-based characters counted in the negotiated
encoding's code units (UTF-16 unless the client offered another). An emoji is one code
point, two UTF-16 units and four UTF-8 bytes. Plain functions over a document's lines.
"""

from __future__ import annotations

from collections.abc import Sequence

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of `encoding` `text` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def to_lsp(lines: Sequence[str], line: int, column: int,
           encoding: str = UTF16) -> tuple[int, int]:
    """Our (line, column) as LSP's (line, character), clamped to the document."""
    if not lines:
        return 0, 0
    if line < 1:
        return 0, 0
    if line > len(lines):
        return len(lines) - 1, units(lines[-1], encoding)
    row = lines[line - 1]
    return line - 1, units(row[: max(column, 1) - 1], encoding)


def from_lsp(lines: Sequence[str], line: int, character: int,
             encoding: str = UTF16) -> tuple[int, int]:
    """LSP's (line, character) as our (line, column); a character inside a surrogate pair
    (or a UTF-8 sequence) falls to the start of its code point."""
    if not lines or line < 0:
        return 1, 1
    if line >= len(lines):
        return len(lines), len(lines[-1]) + 1
    row = lines[line]
    counted = 0
    for index, char in enumerate(row):
        width = units(char, encoding)
        if counted + width > character:
            return line + 1, index + 1
        counted += width
    return line + 1, len(row) + 1


def split_lines(text: str) -> list[str]:
    """The document's lines as LSP counts them (`\\n`, `\\r\\n` and `\\r` end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
