"""The page layout a letter prints in: the house style of Ofsted's Word template when it
was written, so that a reprint breaks its lines and pages where the original did.

Measured from the published letters (../shared/corpus, ../shared/seed): all print Tahoma
12 pt on A4, but margins, spacing, bullet indents and page numbers changed over the
years. static/letters/letter.css has one named page and one set of spacings per layout.

- "2018" (and the 2017 pilot): 2.5 cm side margins, paragraphs at exactly 15 pt with
  12 pt after, no page numbers;
- "2019": 1 inch margins, single spacing, an empty line between paragraphs, no numbers;
- "2020": as 2019, with 5-6 pt between paragraphs and items (the COVID-era letters);
- "2021" (from mid-2021, the headline-findings letters): 2.5 cm margins, single spacing
  with 12 pt after, bullets at the margin, the page number at the foot from page 2;
- "2025": as 2021, with bullets indented and the National Framework footnote.
"""

import datetime

# The first day of each layout; a letter takes the last one on or before its date.
LAYOUTS = [
    ("2018", datetime.date.min),
    ("2019", datetime.date(2019, 1, 1)),
    ("2020", datetime.date(2020, 1, 1)),
    ("2021", datetime.date(2021, 7, 1)),  # the headline-findings letters ("mid-2021")
    ("2025", datetime.date(2025, 1, 1)),
]
CURRENT = LAYOUTS[-1][0]


def layout_for(on_date):
    """The layout of a letter dated `on_date` (the current one for an undated letter)."""
    if on_date is None:
        return CURRENT
    return [name for name, begins in LAYOUTS if begins <= on_date][-1]
