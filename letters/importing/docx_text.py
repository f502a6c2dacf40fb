"""A Word document (.docx) -> the letter's text, in the markdown-style lines that
letters.importing.parse reads (`## ` a heading, `- ` a bullet, `1. ` a numbered
paragraph, a blank line between paragraphs), and what could not be placed.

python-docx reads the file; the checks that it is a plain, bounded Word document come
first (letters.importing.admission.admitted_docx). A paragraph is:
- a heading if its style is a heading or the title, or if it is short and all bold, or
  if it names the focused visit (the letter's title, however it is styled);
- a bullet or numbered paragraph if Word numbers it (its own numbering or its style's:
  the numbering format says which) or its style is a list style;
- a paragraph otherwise, each manual line break starting a new one (a signature block).
Tables, pictures, text boxes and footnotes are left out and named in the report.
"""

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from letters.importing.admission import UNREADABLE_MESSAGE, admitted_docx
from letters.importing.parse import TITLE_RE, LetterImportError, clean

# Longest bold paragraph read as a heading, in words; a heading ends no sentence.
HEADING_WORDS = 15


# What python-docx raises on a damaged or strange document.
UNREADABLE = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    etree.LxmlError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    NotImplementedError,
    EOFError,
    OSError,
)


def read_letter(data):
    """The text of a Word document's letter, and what was left out (a list of words).

    Raises LetterImportError, in a sentence for the user, if the file is not a Word
    document, is too large, or cannot be read."""
    admitted_docx(data)
    try:
        return letter_text(data)
    except UNREADABLE:
        raise LetterImportError(UNREADABLE_MESSAGE) from None


def letter_text(data):
    """The document's text as letter lines, and what was left out (a list of words)."""
    document = Document(io.BytesIO(data))
    numbering = Numbering(document)
    lines = []
    left_out = {"tables": 0, "pictures or text boxes": 0, "footnotes": 0}
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            left_out["tables"] += 1
            continue
        element = block._p
        if element.xpath(".//w:drawing | .//w:pict | .//w:object"):
            left_out["pictures or text boxes"] += 1
        left_out["footnotes"] += len(element.xpath(".//w:footnoteReference"))
        text = block.text.replace("\t", " ")
        if not text.strip():
            continue
        kind = paragraph_kind(block, numbering)
        number = number + 1 if kind == "numbered" else 0
        parts = [part for part in text.split("\n") if part.strip()]
        if kind == "heading":
            lines += [f"## {clean(' '.join(parts))}", ""]
        elif kind in ("bullet", "numbered"):
            marker = "-" if kind == "bullet" else f"{number}."
            lines += [f"{marker} {parts[0].strip()}", *(p.strip() for p in parts[1:]), ""]
        else:
            for part in parts:
                lines += [part.strip(), ""]
    return "\n".join(lines).strip() + "\n", [
        f"{count} {what if count > 1 else singular(what)}"
        for what, count in left_out.items()
        if count
    ]


def singular(what):
    return {"tables": "table", "pictures or text boxes": "picture or text box"}.get(
        what, what.removesuffix("s")
    )


def paragraph_kind(paragraph, numbering):
    styles = style_chain(paragraph.style)
    names = [(style.name or "").lower() for style in styles]
    if any(name.startswith("heading") or name == "title" for name in names):
        return "heading"
    numbered = numbering.kind(paragraph._p.pPr, styles)
    if numbered is not None:
        return numbered
    if any(name.startswith("list number") for name in names):
        return "numbered"
    if any(name.startswith(("list bullet", "list paragraph")) for name in names):
        return "bullet"
    text = clean(paragraph.text)
    if TITLE_RE.match(text) or (is_all_bold(paragraph, styles) and is_short(text)):
        return "heading"
    return "paragraph"


def style_chain(style):
    """The paragraph's style and those it is based on, nearest first."""
    chain = []
    while style is not None and style not in chain and len(chain) < 20:
        chain.append(style)
        style = style.base_style
    return chain


def is_short(text):
    return 0 < len(text.split()) <= HEADING_WORDS and text[-1] not in ".,;:"


def is_all_bold(paragraph, styles):
    style_bold = next((s.font.bold for s in styles if s.font.bold is not None), False)
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(
        run.bold or (run.bold is None and (char_bold(run) or style_bold)) for run in runs
    )


def char_bold(run):
    style = run.style
    return bool(style is not None and style.font.bold)


class Numbering:
    """Which paragraphs Word numbers, and whether as bullets or numbers."""

    def __init__(self, document):
        try:
            self.element = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.element = None

    def kind(self, ppr, styles):
        """'bullet', 'numbered', or None: the paragraph's numbering, or its style's."""
        found = num_pr(ppr)
        for style in styles:
            if found is not None:
                break
            found = num_pr(style.element.pPr)
        if found is None:
            return None
        num_id, level = found
        if num_id == "0":  # numbering switched off
            return None
        return "bullet" if self.format(num_id, level) == "bullet" else "numbered"

    def format(self, num_id, level):
        if self.element is None:
            return "bullet"
        for num in self.element.findall(qn("w:num")):
            if num.get(qn("w:numId")) != num_id:
                continue
            abstract = num.find(qn("w:abstractNumId"))
            abstract_id = abstract.get(qn("w:val")) if abstract is not None else None
            for candidate in self.element.findall(qn("w:abstractNum")):
                if candidate.get(qn("w:abstractNumId")) != abstract_id:
                    continue
                for lvl in candidate.findall(qn("w:lvl")):
                    if lvl.get(qn("w:ilvl"), "0") == level:
                        fmt = lvl.find(qn("w:numFmt"))
                        return fmt.get(qn("w:val")) if fmt is not None else "decimal"
        return "bullet"


def num_pr(ppr):
    """(numId, ilvl) of a paragraph's or style's numbering properties, or None."""
    if ppr is None:
        return None
    element = ppr.find(qn("w:numPr"))
    if element is None:
        return None
    num_id = element.find(qn("w:numId"))
    level = element.find(qn("w:ilvl"))
    if num_id is None:
        return None
    return num_id.get(qn("w:val")), level.get(qn("w:val")) if level is not None else "0"
