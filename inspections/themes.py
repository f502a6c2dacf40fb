"""The ILACS themes a letter's words name: "Inspectors looked at the local authority's
arrangements for care leavers" is a visit about care leavers.

Each standard theme (FocusArea.is_standard, inspections/migrations/0004 and 0005) is
recognised by the phrases letters use for it. The scope sentence is read up to the
words that only detail the theme (", including ...", ", in particular ..."), so "care
leavers, including the preparation of children in care" is about care leavers alone.
"""

import re

# (theme, phrases), in the themes' order. Phrases are matched on lower-case text with
# plain apostrophes and single spaces.
PHRASES = [
    (
        "Front door",
        [
            r"front door",
            r"contacts? and referrals?",
            r"multi-agency safeguarding hub",
            r"\bmash\b",
        ],
    ),
    (
        "Children in need and child protection",
        [
            r"child(?:ren)? in need\b",
            r"child protection",
            r"help and protection",
            r"children subject to (?:a |child protection )?plans?\b",
        ],
    ),
    (
        "Children in care",
        [
            r"children in care\b",
            r"children looked after",
            r"looked[- ]after children",
            r"children we care for",
        ],
    ),
    ("Care leavers", [r"care leavers?", r"leaving care", r"care[- ]experienced young"]),
    (
        "Permanence",
        [r"permanence", r"\badoption\b", r"special guardianship", r"long[- ]term fostering"],
    ),
    (
        "Extra-familial risk",
        [
            r"extra[- ]familial",
            r"exploitation",
            r"\bgo(?:es|ing)? missing",
            r"missing from (?:home|care)",
            r"contextual safeguarding",
            r"(?:harm|risk) outside (?:the|their) homes?",
        ],
    ),
    (
        "Disabled children",
        [r"disabled children", r"children with (?:a )?disabilit(?:y|ies)"],
    ),
    ("Pandemic arrangements", [r"covid", r"coronavirus", r"\bpandemic\b"]),
]

# Where a scope sentence goes on to detail its theme rather than name another.
DETAIL_RE = re.compile(
    r",?\s+(?:including|in particular|particularly|such as|for example)\b.*$", re.S
)
# "Permanence for children in care" is about permanence.
PERMANENCE_FOR_RE = re.compile(
    r"(permanence(?: planning)?) for (?:children in care|children looked after|"
    r"looked[- ]after children)"
)
PREFACE_RE = re.compile(r"chief inspector.*\b(?:covid|coronavirus|pandemic)", re.S)


def _plain(text):
    text = (text or "").lower().replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def themes_in(text, *, detail=True):
    """The names of the standard themes the text names, in the themes' order.

    detail=False: read a scope sentence only up to where it details its theme."""
    text = _plain(text)
    if not detail:
        text = " ".join(DETAIL_RE.sub("", sentence) for sentence in text.split(". "))
    text = PERMANENCE_FOR_RE.sub(r"\1", text)
    return [
        theme for theme, phrases in PHRASES if any(re.search(phrase, text) for phrase in phrases)
    ]


def letter_themes(*, scope_lead_in=(), focus_areas=(), introduction=()):
    """The themes of a letter: its scope sentence's, its focus areas', and the pandemic
    arrangements when the Chief Inspector's pandemic preface opens it."""
    found = []
    for text in scope_lead_in:
        found += themes_in(text, detail=False)
    for text in focus_areas:
        found += themes_in(text)
    if any(PREFACE_RE.search(_plain(text)) for text in introduction):
        found.append("Pandemic arrangements")
    order = [theme for theme, _ in PHRASES]
    return sorted(set(found), key=order.index)
