"""The text of an input document, whatever kind of file it is: plain text (`decode`), a
Word document (`docx`), a web page (`html`). The kind is told from the file's first bytes
(and a web page also from its name: .html, .htm); the kinds that are not read (PDF, Word
97-2003, RTF, OpenDocument, a spreadsheet, another zip) are refused with one line that
says what to do instead.

A document's paragraphs are returned as text, separated by blank lines, so that what
follows (the one-file article's layout, paragraphs, sentences) is the same for every kind.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from aligner.plumbing.errors import AlignerError

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, PowerPoint 97-2003
_PDF = b"%PDF-"  # within the first 1024 bytes (PDF 1.7, 7.5.2)
_RTF = b"{\\rtf"
_HTML_NAMES = (".html", ".htm", ".xhtml")

SAVE_AS = "open it in Word or LibreOffice and save it as .docx (or as plain text, .txt)"
#: the kinds of file refused, told from the first bytes, and what each message says
REFUSED = {
    "pdf": f"a PDF file, which aligner does not read (a PDF holds lines on pages, not paragraphs); {SAVE_AS}, "
           "or copy its text into a .txt file",
    "ole2": f"a Word 97-2003 document (.doc) or another old Office file, which aligner does not read; {SAVE_AS}",
    "rtf": f"an RTF file, which aligner does not read; {SAVE_AS}",
    "odf": "an OpenDocument file (.odt), which aligner does not read; open it in LibreOffice and save it "
           "as Word (.docx) or as plain text (.txt)",
    "xlsx": "a spreadsheet (.xlsx), not a text to align; to turn a reviewed workbook into a translation "
            "memory, use 'aligner convert'",
    "zip": "a zip archive, not a document aligner reads (plain text, Word .docx, or a web page .html)",
    "damaged zip": "a damaged zip archive (a Word .docx cut short?): its contents cannot be read",
    "tmx": "a translation memory (TMX), not a text to align; 'aligner convert' reads it (to a workbook "
           "or a report, say)",
}


def read_document(path: str, encoding: str | None = None) -> str:
    """The text of the document in file `path` ('-': standard input), paragraphs separated by
    blank lines; see `document_text`."""
    from aligner.readers.decode import STDIN, STDIN_NAME, read_bytes  # capped, as every input

    return document_text(read_bytes(path), STDIN_NAME if path == STDIN else path, encoding)


def document_text(data: bytes, path: str, encoding: str | None = None) -> str:
    """The text of a document with content `data` (`path` names it in errors and tells a web
    page by its extension): a plain text file decoded (`--encoding`, else detected), a Word
    document's or web page's paragraphs. Refused kinds and damaged files are AlignerErrors."""
    from aligner.readers.decode import decode_bytes

    kind = sniff(data, path)
    if kind in REFUSED:
        raise AlignerError(REFUSED[kind], path)
    if kind == "docx":
        from aligner.readers.docx import docx_paragraphs

        return _paragraphs_text(docx_paragraphs(data, path), path)
    if kind == "html":
        from aligner.readers.html import html_paragraphs

        return _paragraphs_text(html_paragraphs(_html_source(data, path, encoding)), path)
    return decode_bytes(data, path, encoding)


def sniff(data: bytes, path: str = "") -> str:
    """The kind of document `data` is: 'docx', 'html', 'text', or a key of REFUSED."""
    head = data[:1024]
    if head.startswith(_ZIP):
        return _zip_kind(data)
    if head.startswith(_OLE2):
        return "ole2"
    if _PDF in head:
        return "pdf"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_RTF):
        return "rtf"
    from aligner.readers.html import looks_like_html
    from aligner.readers.tmx import is_tmx

    if is_tmx(head):
        return "tmx"

    if path.lower().endswith(_HTML_NAMES) or looks_like_html(head.decode("latin-1").removeprefix("\xef\xbb\xbf")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = zf.namelist()
            if "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                return "odf"
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        return "damaged zip"
    from aligner.readers.docx import is_docx

    if is_docx(names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"


def _html_source(data: bytes, path: str, encoding: str | None) -> str:
    """A web page's markup as text: `encoding` when given; else UTF-8 when the bytes are
    UTF-8 (an old <meta> charset often outlives a page's conversion to UTF-8), else the
    charset its <meta> declares when that reads the bytes, else detected as any text."""
    from aligner.readers.decode import decode_bytes, normalise_newlines
    from aligner.readers.html import declared_charset

    declared = None if encoding else declared_charset(data)
    if declared:
        for name in ("utf-8", declared):
            try:
                return normalise_newlines(data.decode(name).removeprefix("\ufeff"))
            except UnicodeDecodeError:
                continue
    return decode_bytes(data, path, encoding)


def _paragraphs_text(paragraphs: list[str], path: str) -> str:
    """Paragraphs as one text, a blank line between them; an error when there are none."""
    from aligner.readers.decode import has_text, normalise_newlines

    text = "\n\n".join(map(normalise_newlines, paragraphs))  # each paragraph: one ending in \r stays one break
    if not has_text(text):
        raise AlignerError("no text in the document (its paragraphs are empty)", path)
    return text
