"""Inspectors' names as letters write them: one record per person across spellings.

"Neil Penswick HMI", "Neil Penswick, Her Majesty's Inspector", "NEIL PENSWICK" and
"Neil J. Penswick" are one person; "Ofsted Inspector" and "HMI Schools" are nobody.
"""

import re

from inspections.models import Inspector

TITLES_RE = re.compile(
    r"(?:,?\s*\b(?:(?:Her|His) Majesty['’]s Inspectors?|Senior HMI|HMI designate|HMI|"
    r"Ofsted Inspectors?|Social Care Regulatory Inspector|Regional Director)\b\.?)",
    re.IGNORECASE,
)
HONORIFIC_RE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Professor)\.?\s+", re.IGNORECASE)
# Words that make a phrase a job or a body, not a person.
NOT_NAME_WORDS = {
    "ofsted",
    "inspector",
    "inspectors",
    "hmi",
    "schools",
    "school",
    "team",
    "majesty",
    "majesty's",
    "the",
    "and",
    "services",
    "children's",
    "local",
    "authority",
    "council",
    "visit",
}
NAME_WORD_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’.-]*$")


def clean_name(text):
    """The person's name without titles, grades, honorifics and stray punctuation."""
    name = TITLES_RE.sub(" ", text or "")
    name = " ".join(name.replace("’", "'").split()).strip(" ,;:")
    name = HONORIFIC_RE.sub("", name)
    return name


def is_person_name(text):
    """Whether the text, its titles removed, names a person: two words or more, each
    a name's word, none a job's or a body's ('Ofsted Inspector', 'HMI Schools')."""
    words = clean_name(text).split()
    return (
        len(words) >= 2
        and all(NAME_WORD_RE.match(word) for word in words)
        and not any(word.lower().strip(".") in NOT_NAME_WORDS for word in words)
        and words[0][0].isupper()
    )


def name_key(text):
    """A name as a key: case, apostrophes, hyphens and middle initials do not count."""
    words = clean_name(text).lower().replace("'", "").replace("-", " ").split()
    if len(words) > 2:
        words = [words[0], *(w for w in words[1:-1] if len(w.strip(".")) > 1), words[-1]]
    return " ".join(word.strip(".") for word in words)


def match_inspector(name):
    """The Inspector record this written name stands for, or None (the oldest, if
    records were split before)."""
    key = name_key(name)
    if not key:
        return None
    found = [
        inspector
        for inspector in Inspector.objects.order_by("pk").only("pk", "full_name")
        if name_key(inspector.full_name) == key
    ]
    return Inspector.objects.get(pk=found[0].pk) if found else None
