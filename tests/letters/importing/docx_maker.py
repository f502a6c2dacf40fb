"""Word documents made with python-docx, as an inspector's draft would be: for the tests
and the benchmark (bench/journey.py uploads the seed letter made here).

docx_from_markdown(text) turns letter text written like the seed (`##` headings, `-` or
`■` bullets, `1.` numbered paragraphs, `**bold**`) into a .docx: the title and headings
in Word's heading styles, bullets in "List Bullet", numbered paragraphs in "List Number",
the letterhead and recipient one paragraph a line, and a paragraph the seed breaks across
a page (its second part starts in lower case) one paragraph again.
"""

import io
import re
from pathlib import Path

from docx import Document


def seed_path():
    """The seed letter's text (../shared, or LETTERS_SHARED_DIR)."""
    from tests.conftest import shared_dir

    return shared_dir() / "seed/isle-of-wight-focused-visit-2017.md"


HEADING_RE = re.compile(r"^#{1,6}\s+(.*)$")
BULLET_RE = re.compile(r"^\s*(?:[-*]|■)\s+(.*)$")
NUMBERED_RE = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


def seed_docx(seed=None):
    """The seed letter (or the letter text at `seed`) as a Word document: its bytes."""
    return docx_from_markdown(Path(seed or seed_path()).read_text(encoding="utf-8"))


def write_seed_docx(target, seed=None):
    """Write the seed letter's Word document to `target` (a path); returns the path."""
    target = Path(target)
    target.write_bytes(seed_docx(seed))
    return target


def docx_from_markdown(text):
    """Letter text written like the seed -> the bytes of a .docx."""
    document = Document()
    paragraphs = []  # [kind, text]
    titled = False
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if paragraphs and paragraphs[-1][0] != "break":
                paragraphs.append(["break", ""])
            continue
        if match := HEADING_RE.match(line):
            paragraphs.append(["heading" if titled else "title", match[1]])
            titled = True
        elif match := BULLET_RE.match(line):
            paragraphs.append(["bullet", match[1]])
        elif match := NUMBERED_RE.match(line):
            paragraphs.append(["numbered", match[1]])
        elif titled and line[0].islower() and len(paragraphs) > 1:
            # The rest of a paragraph the seed breaks across a page.
            previous = next(p for p in reversed(paragraphs) if p[0] != "break")
            previous[1] = f"{previous[1]} {line}"
        elif titled and paragraphs and paragraphs[-1][0] in ("paragraph", "bullet", "numbered"):
            paragraphs[-1][1] = f"{paragraphs[-1][1]} {line}"
        else:
            paragraphs.append(["paragraph", line])
    for kind, words in paragraphs:
        if kind == "break":
            continue
        if kind == "title":
            document.add_heading(BOLD_RE.sub(r"\1", words), level=1)
        elif kind == "heading":
            document.add_heading(BOLD_RE.sub(r"\1", words), level=2)
        else:
            style = {"bullet": "List Bullet", "numbered": "List Number"}.get(kind)
            add_runs(document.add_paragraph(style=style), words)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_runs(paragraph, words):
    """The words as runs, `**bold**` parts in bold."""
    at = 0
    for match in BOLD_RE.finditer(words):
        if match.start() > at:
            paragraph.add_run(words[at : match.start()])
        paragraph.add_run(match[1]).bold = True
        at = match.end()
    if at < len(words):
        paragraph.add_run(words[at:])
