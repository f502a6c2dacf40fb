"""Links on words, in a footnote's text: [the words](https://address).

Published letters link the words of a footnote ("the Children's Social Care: National
Framework") rather than print the address. Only this form is read, and only for http
and https addresses; every other character prints as it is typed, and a bare web
address still becomes a link.
"""

import re

from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe

FOOTNOTE_HELP = (
    "Printed at the foot of the page. A web address becomes a link; to link words "
    "instead, write [the words](https://the-address)"
)
LINK_RE = re.compile(r"\[([^\[\]]+)\]\((https?://[^\s()<>\"]+)\)")
# Two links to one address, side by side: the halves of a link broken across lines.
SPLIT_LINK_RE = re.compile(r"\]\((https?://[^\s()<>\"]+)\) \[([^\[\]]+)\]\(\1\)")


def link_markup(words, address):
    return f"[{words}]({address})"


def join_split_links(text):
    """'[a](u) [b](u)' -> '[a b](u)'."""
    while True:
        joined = SPLIT_LINK_RE.sub(r" \2](\1)", text)
        if joined == text:
            return text
        text = joined


def plain_text(text):
    """The words as printed: each link's words without its address."""
    return LINK_RE.sub(r"\1", text)


def linked_html(text):
    """The text as HTML: links on words, bare web addresses linked, the rest escaped."""
    parts, at = [], 0
    for match in LINK_RE.finditer(text):
        parts.append(urlize(text[at : match.start()], autoescape=True))
        parts.append(format_html('<a href="{}">{}</a>', match[2], match[1]))
        at = match.end()
    parts.append(urlize(text[at:], autoescape=True))
    return mark_safe("".join(parts))  # every part is escaped: urlize and format_html
