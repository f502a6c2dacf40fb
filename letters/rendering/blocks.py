"""The block: one heading, paragraph, bullet or numbered paragraph of a letter's body.

Both readers build these (letters.importing.parse from text, letters.importing.pdf_text from a PDF),
so one builder turns either into a letter.
"""

from dataclasses import dataclass


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullet" or "numbered"
    text: str
    footnote: str = ""
    # A heading that opens a page after one left short: Word's page break before it.
    new_page: bool = False
