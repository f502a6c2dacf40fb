"""Text pasted from Word, Google Docs, an e-mail or markdown -> the items it makes.

Pure functions on strings: nothing here reads or writes the database. A line that
starts with a bullet (letters.bullets, or `-`, `*`, `+`, a dash, or Word's `o` for a
second-level bullet) starts a bullet item; a number or letter (`1.`, `1)`, `(1)`,
`a)`, `(a)`) a numbered paragraph; any other line after a blank one, a paragraph.
A line that starts with no marker continues the item before it (a soft line break),
joined with a space. The markers never reach the items: the letter prints its own.
"""

import re
from dataclasses import dataclass

from letters.bullets import PRIVATE_USE, SYMBOLS, WORD_SYMBOLS, strip_glyphs

# The styles of letters.models.Item.Style, by value (this module touches no model).
BULLET = "bullet"
PARAGRAPH = "paragraph"
NUMBERED = "numbered"

# Characters that break a line, whatever sent them: Windows and old Mac line ends,
# Word's manual line break (vertical tab), form feed, Unicode's line separators.
# Invisible characters copied along with the text go: zero-width spaces and joiners,
# the word joiner, byte-order mark, soft hyphen, direction marks.
CLEANING = str.maketrans(
    {"\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
    | dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f")
)
# Any other space (a tab, a non-breaking space, a thin one...) is a space.
SPACE_RE = re.compile(r"[^\S\n]")
# Control characters that are not white space print nothing.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")

# What starts an item. Symbol bullets need nothing after them (`•Text`); the others need
# white space or the end of the line, so that `-5 degrees`, `*emphasis*` and `o'clock`
# stay text. A marker alone on its line starts an item whose text is on the next line.
MARKER_RE = re.compile(
    rf"""^(?:
        (?P<symbol>[{SYMBOLS}{WORD_SYMBOLS}])
      | (?P<bullet>[-*+–—o]|[{PRIVATE_USE}])(?=\s|$)
      | (?P<number>\d{{1,3}}[.)]|\(\d{{1,3}}\)|\(?[A-Za-z]\)|\(?[ivx]{{2,5}}\))(?=\s|$)
    )\s*""",
    re.VERBOSE,
)
# A horizontal rule (markdown's ---, ***, ___; an e-mail's ====): no words, no item.
RULE_RE = re.compile(r"^([-*_=])(?:\s*\1){2,}$")


@dataclass(frozen=True)
class PastedItem:
    text: str
    style: str  # an Item.Style value: "bullet", "paragraph" or "numbered"


def normalise(text):
    """One kind of line break and of space; no invisible characters, tabs or controls."""
    text = text.replace("\r\n", "\n").translate(CLEANING)
    return CONTROL_RE.sub("", SPACE_RE.sub(" ", text))


def split_pasted(text):
    """The items the pasted text makes, in order: [PastedItem(text, style), ...]."""
    items = []  # [style, [the item's lines]]
    current = None
    for raw in normalise(text).split("\n"):
        line = raw.strip()
        if not line:
            # A blank line ends the item; a marker alone before it still waits for text.
            if current is not None and current[1]:
                current = None
            continue
        if RULE_RE.match(line):
            current = None
            continue
        if marker := MARKER_RE.match(line):
            current = [NUMBERED if marker["number"] else BULLET, []]
            items.append(current)
            line = strip_glyphs(line[marker.end() :])  # "• • text", "1. • text"
            if line:
                current[1].append(line)
        elif current is None:
            current = [PARAGRAPH, [line]]
            items.append(current)
        else:
            current[1].append(line)
    made = []
    for style, lines in items:
        item_text = strip_glyphs(" ".join(" ".join(lines).split()))
        if item_text:
            made.append(PastedItem(text=item_text, style=style))
    return made
