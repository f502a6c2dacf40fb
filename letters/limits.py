"""Limits no real letter reaches, so that no letter can tie up the server that prints it.

The longest published letters run to about 7 pages: some 60 items and 25,000
characters. A field longer than its limit is refused by its form (its max_length); a
letter with too many items or characters in all is refused by the service that would
make it so (letters.drafting.services, letters.importing.services), which writes
nothing then.
"""

from django.core.exceptions import ValidationError

# Characters in one field.
PARAGRAPHS = 20_000  # the letter's opening and closing paragraphs, each field
ITEM = 10_000  # an item's text; a section's lead-in, statement; a footnote
# A whole letter.
ITEMS_PER_LETTER = 400
LETTER_CHARACTERS = 250_000

LETTER_FIELDS = ("title", "introduction", "scope_lead_in", "preamble", "closing")
SECTION_FIELDS = ("heading", "heading_footnote", "lead_in", "none_statement")
ITEM_FIELDS = ("text", "cross_reference", "footnote")


class LetterTooLong(ValidationError):
    """The letter would pass a whole-letter limit."""
