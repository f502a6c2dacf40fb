"""Bullet glyphs: the marks a list item starts with in Word, Google Docs, an e-mail or a
PDF, which a letter's own items never begin with (the letter prints its own bullets).

One list for every reader of text: the importers (letters.importing.parse and
letters.importing.pdf_text) and the splitter of pasted text (letters.drafting.paste).
"""

import re

# Symbol bullets as they arrive in text: round, hollow, square, small, triangular,
# the middle dot of Word's plain-text export, Google Docs' black circle, arrows.
SYMBOLS = "•◦▪■◼●○·‣∙⁃◆◇❖➢➤►▸"
# Word's symbol-font bullets land in Unicode's private-use area: Symbol's bullet
# (U+F0B7), Wingdings' square (U+F0A7) and arrow (U+F0D8) are bullets wherever they are.
WORD_SYMBOLS = "\uf0b7\uf0a7\uf0d8"
# Any other private-use character is a bullet only when white space follows it.
PRIVATE_USE = "\ue000-\uf8ff"

# One glyph, as a regular expression's class (the whole private-use area included).
GLYPH = f"[{SYMBOLS}{PRIVATE_USE}]"

# The glyphs at the start of a text, and the white space after them.
LEADING_RE = re.compile(
    rf"^(?:\s*(?:[{SYMBOLS}{WORD_SYMBOLS}]|[{PRIVATE_USE}](?=\s|$)))+\s*",
)


def starts_with_glyph(text):
    """Whether the text begins with a bullet glyph (after any white space)."""
    return LEADING_RE.match(text) is not None


def strip_glyphs(text):
    """The text without the bullet glyphs it starts with, nor the white space after."""
    return LEADING_RE.sub("", text, count=1)
