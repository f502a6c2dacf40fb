"""Published letter PDF -> the lines a reader sees, then the importer's blocks.

pypdf reads the text layer. Real letters hide text (a second recipient block clipped
out of view in Stockton's), draw the letterhead last, and put page numbers and
footnotes in the reading order, so lines are kept only when drawn inside the clip,
sorted top to bottom on each page, and footnotes and page numbers are told apart by
their size and place.
"""

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from letters.bullets import GLYPH
from letters.rendering.blocks import Block
from letters.rendering.links import join_split_links, link_markup

# A bullet: a hyphen, an asterisk or a glyph (letters.bullets; Word's symbol-font
# bullets land in the private-use area, U+F06E, U+F0A7, U+F0B7...).
BULLET_RE = re.compile(rf"^(?:[-*]|{GLYPH})\s*(.*)$")
NUMBERED_RE = re.compile(r"^(\d{1,3})\.\s+(.*)$")
PAGE_NUMBER_RE = re.compile(r"^(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$")
# Sign-off, signatory title and cc lines stand alone, however close they sit.
ALONE_RE = re.compile(r"^(?:Yours? sincerely,?|(?:Her|His) Majesty['’]s Inspector|cc\b.*)$", re.I)
SENTENCE_END = (".", ":", "?", "!", ")")
# A section heading some letters print without bold: it stands alone on its line.
PLAIN_HEADING_RE = re.compile(
    r"^(?:Overview|Headline findings|Main findings|Findings|Areas? (?:of|for) strength|"
    r"Areas for (?:priority action|improvement)|Priority actions?|"
    r"What needs to improve\b[^.]{0,80}\??|Evaluation of progress)$",
    re.IGNORECASE,
)
TITLE_START_RE = re.compile(r"^(?:Pilot )?Focused visit\b", re.IGNORECASE)


class PdfTextError(Exception):
    """The file is not a PDF with a text layer that can be read."""


@dataclass
class Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool
    visible: bool
    link: str = ""  # the web address of a link annotation over the run


@dataclass
class Line:
    page: int
    runs: list[Run] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def text(self):
        return " ".join("".join(run.text for run in self.runs).split())

    @property
    def marked_text(self):
        """The text, with linked words written as a link: [the words](address)."""
        parts = []
        for link, runs in itertools.groupby(self.runs, key=lambda run: run.link):
            words = "".join(run.text for run in runs)
            if link and words.strip():
                lead, trail = (
                    words[: len(words) - len(words.lstrip())],
                    words[len(words.rstrip()) :],
                )
                words = f"{lead}{link_markup(' '.join(words.split()), link)}{trail}"
            parts.append(words)
        return " ".join("".join(parts).split())

    def _first(self):
        return next((run for run in self.runs if run.text.strip()), self.runs[0])

    @property
    def x(self):
        return self._first().x

    @property
    def y(self):
        return self._first().y

    @property
    def size(self):
        sized = [run.size for run in self.runs if run.text.strip()]
        return max(sized) if sized else 0

    @property
    def bold(self):
        inked = [
            run
            for run in self.runs
            if run.text.strip() and not BULLET_RE.match(run.text.strip() + " ")
        ]
        return bool(inked) and all(run.bold for run in inked)

    @property
    def visible(self):
        return any(run.visible for run in self.runs if run.text.strip())


class _PageReader:
    """Follows the clip and the text rendering mode while pypdf walks a page."""

    def __init__(self, number):
        self.number = number
        self.clip = None
        self.rect = None
        self.render_mode = 0
        self.saved = []
        self.lines = [Line(number)]

    def before(self, operator, operands, cm, tm):
        if operator == b"q":
            self.saved.append((self.clip, self.render_mode))
        elif operator == b"Q" and self.saved:
            self.clip, self.render_mode = self.saved.pop()
        elif operator == b"re" and len(operands) == 4:
            x, y, w, h = (float(value) for value in operands)
            a, _, _, d, e, f = (float(value) for value in cm)
            x0, x1 = sorted((x * a + e, (x + w) * a + e))
            y0, y1 = sorted((y * d + f, (y + h) * d + f))
            self.rect = (x0, y0, x1, y1)
        elif operator in (b"W", b"W*") and self.rect:
            if self.clip is None:
                self.clip = self.rect
            else:
                c, r = self.clip, self.rect
                self.clip = (max(c[0], r[0]), max(c[1], r[1]), min(c[2], r[2]), min(c[3], r[3]))
        elif operator == b"Tr" and operands:
            self.render_mode = int(operands[0])

    def text(self, text, cm, tm, font, size):
        if text == "\n" or (not self.lines[-1].runs and not text.strip()):
            if self.lines[-1].runs:
                self.lines.append(Line(self.number))
            return
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1
        name = str(font.get("/BaseFont", "")) if font else ""
        clip = self.clip
        # A clip a line falls outside hides it (Stockton's stale recipient block).
        inside = clip is None or (
            clip[0] - 2 <= x <= clip[2] + 2 and clip[1] - 2 <= y <= clip[3] + 2
        )
        self.lines[-1].runs.append(
            Run(
                text=text,
                x=x,
                y=y,
                size=round(size * scale, 1),
                bold="Bold" in name,
                visible=inside and self.render_mode != 3,
            )
        )


def pdf_lines(data):
    """Every visible line of the PDF, page by page, top to bottom."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise PdfTextError(f"not a readable PDF ({error})") from None
    lines = []
    for number, page in enumerate(pages, start=1):
        walker = _PageReader(number)
        try:
            page.extract_text(visitor_operand_before=walker.before, visitor_text=walker.text)
        except Exception as error:  # pypdf raises many kinds on a broken content stream
            raise PdfTextError(f"page {number} cannot be read ({error})") from None
        page_lines = [line for line in walker.lines if line.text and line.visible]
        _attach_links(page, page_lines)
        # Sorted by height: some letters draw the letterhead after the body.
        page_lines.sort(key=lambda line: -round(line.y))
        lines.extend(page_lines)
    return lines


def _attach_links(page, lines):
    """Give each line the web addresses of the link annotations over it, and each run
    that lies wholly under one its address."""
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        uri = (annotation.get("/A") or {}).get("/URI")
        rect = annotation.get("/Rect")
        if annotation.get("/Subtype") != "/Link" or not uri or not rect:
            continue
        x0, x1 = sorted(float(v) for v in rect[::2])
        y0, y1 = sorted(float(v) for v in rect[1::2])
        for line in lines:
            if y0 - 3 <= line.y <= y1 + 3 and line.x <= x1 and str(uri) not in line.links:
                line.links.append(str(uri))
                _link_runs(line, x0, x1, str(uri))


def _link_runs(line, x0, x1, uri):
    """Mark the runs that start and end under the link (a run ends where the next starts;
    the last run of a line is taken to end with the link)."""
    ends = [run.x for run in line.runs[1:]] + [x1]
    for run, end in zip(line.runs, ends, strict=True):
        if x0 - 3 <= run.x < x1 and end <= x1 + 3:
            run.link = run.link or uri


def _mode(values, default):
    counted = Counter(values).most_common(1)
    return counted[0][0] if counted else default


def body_size(lines):
    return _mode([round(line.size) for line in lines], 12)


def split_letterhead(lines):
    """(letterhead lines, the rest): page 1's small print above the first body line."""
    size = body_size(lines)
    first_body = next(
        (i for i, line in enumerate(lines) if line.page == 1 and line.size >= size - 1), 0
    )
    head = [line for line in lines[:first_body] if line.page == 1]
    return head, lines[first_body:]


def letterhead_line(head):
    """The letterhead as one line, address column then contact column."""
    if not head:
        return ""
    left = min(line.x for line in head)
    address = [line.text for line in head if line.x < left + 50]
    contact = [line.text for line in head if line.x >= left + 50]
    if address and address[0] == "Ofsted":  # the strapline, not part of the address
        address = address[1:]
    return " ".join(address + contact)


def reading_lines(data):
    """The letter's lines without its letterhead and page numbers: what its reader reads.

    The renderer's output is read the same way, so the two can be compared.
    """
    _, lines = split_letterhead(pdf_lines(data))
    return [line for line in lines if not PAGE_NUMBER_RE.match(line.text)]


def reading_words(data):
    """The words of reading_lines, lines rejoined as the importer rejoins them.

    Footnotes go last: which page one falls on depends on the typeface, not the letter.
    """
    lines = reading_lines(data)
    size = body_size(lines)
    lines = [line for line in lines if line.size >= size - 1] + [
        line for line in lines if line.size < size - 1
    ]
    text = ""
    for line in lines:
        text = _join(text, line.text) if text else line.text
    # Bullet glyphs are text in Word's PDFs and drawn boxes in the portal's.
    words = text.replace("’", "'").replace("‘", "'").split()
    return [word for word in words if not BULLET_RE.match(word + " ") or len(word) > 1]


def _text_and_calls(line, size):
    """A line's text without its footnote calls (small raised digits), and the calls."""
    calls = []
    parts = []
    for run in line.runs:
        if run.text.strip().isdigit() and run.size < size * 0.8:
            calls.append(int(run.text.strip()))
        else:
            parts.append(run.text)
    return " ".join("".join(parts).split()), calls


def _join(text, more):
    # A line broken after a hyphen keeps the hyphen and joins the word: "longer-term".
    if text.endswith("-") and len(text) > 1 and text[-2].isalnum() and more[:1].isalnum():
        return text + more
    return f"{text} {more}"


def _footnotes(lines, size):
    """Footnote lines (smaller than the body) -> {number: text}; the other lines.

    A footnote only a little smaller than the body (11pt under 12pt) is told apart by
    its place: below every line of the body's size on its page."""
    notes, rest, current, links = {}, [], None, {}
    floor = {}
    for line in lines:
        if line.size >= size - 0.2:
            floor[line.page] = min(floor.get(line.page, line.y), line.y)
    for line in lines:
        at_foot = line.size < size - 0.2 and line.y < floor.get(line.page, float("inf"))
        if line.size >= size - 1 and not at_foot:
            rest.append(line)
            current = None
            continue
        match = re.match(r"^(\d{1,2})\s*(.*)$", line.marked_text)
        if match and (current is None or line.runs[0].size < line.size * 0.8):
            current = int(match[1])
            notes[current] = match[2]
        elif current is not None:
            notes[current] = _join(notes[current], line.marked_text)
        else:
            rest.append(line)
            continue
        links.setdefault(current, []).extend(u for u in line.links if u not in links[current])
    for number, addresses in links.items():
        # A link that goes on from one line to the next is one link.
        notes[number] = join_split_links(notes[number])
        # A link whose words could not be told apart is kept as its address, which the
        # letter prints as a link.
        for address in addresses:
            if address not in notes[number]:
                notes[number] = f"{notes[number]} {address}"
    return notes, rest


def letter_parts(data):
    """A letter PDF -> (header lines, body blocks, what could not be placed).

    The header lines are the letterhead (as one line), the date, the recipient block
    and the salutation, as letters.importing.parse.parse_header reads them; the first block is
    the title.
    """
    lines = pdf_lines(data)
    if not lines:
        raise PdfTextError("the PDF has no text layer (a scan?)")
    size = body_size(lines)
    head, lines = split_letterhead(lines)
    lines = [line for line in lines if not PAGE_NUMBER_RE.match(line.text)]
    notes, lines = _footnotes(lines, size)
    dear = next((i for i, line in enumerate(lines) if line.text.startswith("Dear ")), None)
    start = dear + 1 if dear is not None else 0
    title = next((i for i in range(start, len(lines)) if lines[i].bold), None)
    plain_title = title is None or (
        # A title printed without bold, above the first bold heading.
        not lines[title].text.lower().startswith("focused visit")
        and any(TITLE_START_RE.match(line.text) for line in lines[start:title])
    )
    if plain_title:
        title = next(
            (i for i in range(start, len(lines)) if TITLE_START_RE.match(lines[i].text)), None
        )
    if title is None:
        raise PdfTextError("no title (a bold line after the salutation)")
    header = [letterhead_line(head)] + [line.text for line in lines[:title]]
    blocks, unplaced = body_blocks(lines[title:], size, notes)
    if plain_title and blocks:
        # The title's line alone: what follows it closely is the introduction.
        first, title_text = blocks[0], _text_and_calls(lines[title], size)[0]
        if first.text != title_text and first.text.startswith(title_text):
            rest = first.text[len(title_text) :].strip()
            blocks.insert(1, Block("paragraph", rest))
        first.kind, first.text = "heading", title_text
    return [line for line in header if line], blocks, unplaced


def _pitch(lines):
    gaps = [
        round(a.y - b.y, 0)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and 0 < a.y - b.y < 40
    ]
    return _mode(gaps, 15)


def body_blocks(lines, size, notes):
    # The left margin: the smallest indent that several lines share.
    indents = Counter(round(line.x) for line in lines)
    margin = min((x for x, count in indents.items() if count >= 3), default=72)
    pitch = _pitch(lines)
    short_pages = _pages_left_short(lines)
    blocks, calls, previous = [], {}, None
    for line in lines:
        text, line_calls = _text_and_calls(line, size)
        if not text:
            continue
        indented = line.x > margin + 5
        same_page = previous is not None and previous.page == line.page
        close = same_page and previous.y - line.y <= pitch * 1.12
        current = blocks[-1] if blocks else None
        bullet = BULLET_RE.match(text)
        numbered = NUMBERED_RE.match(text) if indented else None
        if (
            (line.bold or PLAIN_HEADING_RE.match(text))
            and not indented
            and not ALONE_RE.match(text)
        ):
            if current and current.kind == "heading" and close:
                current.text = _join(current.text, text)
            else:
                opens_page = previous is not None and previous.page != line.page
                blocks.append(
                    Block("heading", text, new_page=opens_page and previous.page in short_pages)
                )
        elif bullet and (text[0] != "-" or indented):
            blocks.append(Block("bullet", bullet[1]))
        elif numbered:
            blocks.append(Block("numbered", numbered[2]))
        elif (
            current
            and current.kind != "heading"
            and not ALONE_RE.match(text)
            and not ALONE_RE.match(current.text)
            and _continues(current, line, close, same_page, indented)
        ):
            current.text = _join(current.text, text)
        else:
            blocks.append(Block("paragraph", text))
        for number in line_calls:
            calls[number] = blocks[-1]
        previous = line
    unplaced = []
    for number, note in notes.items():
        if number in calls:
            calls[number].footnote = note
        else:
            unplaced.append(f"footnote {number} has no call")
    unplaced += [f"footnote call {n} has no footnote" for n in calls if n not in notes]
    return blocks, unplaced


# A page whose body ends this far above the fullest page's is one Word's author ended with
# a page break: in the corpus, pages end naturally up to 52 pt short (a widow, a heading
# kept with its paragraph), and those before a manual break 116 pt and more.
SHORT_PAGE_POINTS = 100


def _pages_left_short(lines):
    """The pages, all but the last, whose body ends well above where the fullest one ends."""
    lowest = {}
    for line in lines:
        lowest[line.page] = min(lowest.get(line.page, line.y), line.y)
    if len(lowest) < 2:
        return set()
    foot = min(lowest.values())
    last = max(lowest)
    return {page for page, y in lowest.items() if page != last and y - foot > SHORT_PAGE_POINTS}


def _continues(block, line, close, same_page, indented):
    """Whether a line goes on with the block before it."""
    if close:
        return not (block.kind in ("bullet", "numbered") and not indented)
    if same_page:
        return False
    # Over a page break: a list item goes on in its indent, a sentence left open goes on.
    if block.kind in ("bullet", "numbered"):
        return indented
    return not block.text.endswith(SENTENCE_END) or line.text[:1].islower()
