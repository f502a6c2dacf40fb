"""The block: one heading, paragraph, bullet or numbered paragraph of a letter's body.

Both readers build these (findings.importer from text, findings.pdf_text from a PDF),
so one builder turns either into a letter.
"""

from dataclasses import dataclass


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "bullet" or "numbered"
    text: str
    footnote: str = ""
