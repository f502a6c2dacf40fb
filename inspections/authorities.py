"""The canonical list of English local authorities with children's services, and the
matcher that maps the ways letters and people write an authority to one record.

The list (inspections/data/authorities.csv: ONS code, name, region, the children's
trusts that act for the authority, other names it goes by, and the day it ended, for
councils since abolished) is public reference data from the Office for National
Statistics' codes. `manage.py load_authorities` loads it (inspections.services
.authorities_load); `match_authority` reads it to tell that "Middlesbrough Council",
"Middlesbrough local authority" and "middlesbrough" are one authority.
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from inspections.models import LocalAuthority

DATA_FILE = Path(__file__).resolve().parent / "data" / "authorities.csv"

# Words around an authority's name that do not tell authorities apart, longest first.
PREFIXES = (
    "council of the ",
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city and county of ",
    "city of ",
)
SUFFIXES = (
    " children's services",
    " childrens services",
    " children's social care",
    " local authority",
    " unitary authority",
    " metropolitan borough council",
    " metropolitan district council",
    " county borough council",
    " borough council",
    " county council",
    " city council",
    " district council",
    " council",
    " county of",
    " city of",
    " pilot",
)


@dataclass(frozen=True)
class AuthorityRow:
    ons_code: str
    name: str
    region: str
    trusts: tuple[str, ...]
    other_names: tuple[str, ...]
    ended: str

    @property
    def names(self):
        """Every name the authority goes by, its trusts' names last."""
        return (self.name, *self.other_names, *self.trusts)


def normalise(name):
    """An authority's name as a key: case, apostrophes, '&', '.', ',', hyphens and the
    words around it ('council', 'city of', "children's services"...) do not count."""
    text = (name or "").lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    text = re.sub(r"\(pilot\)", " ", text)
    text = re.sub(r"[.,;:()\"]", " ", text)
    text = re.sub(r"\s*-\s*", " ", text)
    text = re.sub(r"\bst\b", "saint", text)  # St Helens, St. Helens, Saint Helens
    text = " ".join(text.split())
    changed = True
    while changed and text:
        changed = False
        for prefix in PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text, changed = text[len(prefix) :], True
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
        text = text.strip()
    return text


def read_rows(path=DATA_FILE):
    """The data file's rows, in its order."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            AuthorityRow(
                ons_code=row["ons_code"].strip(),
                name=row["name"].strip(),
                region=row["region"].strip(),
                trusts=tuple(t.strip() for t in row["trusts"].split(";") if t.strip()),
                other_names=tuple(n.strip() for n in row["other_names"].split(";") if n.strip()),
                ended=row["ended"].strip(),
            )
            for row in csv.DictReader(handle)
        ]


@functools.cache
def _index():
    """{normalised name: ONS code} for every name and trust that names one authority."""
    found = {}
    for row in read_rows():
        for name in row.names:
            found.setdefault(normalise(name), set()).add(row.ons_code)
    # A trust acting for several authorities (Achieving for Children) names none of them.
    return {key: codes.pop() for key, codes in found.items() if len(codes) == 1}


def canonical_code(name):
    """The ONS code of the authority this name stands for, or None."""
    return _index().get(normalise(name))


def match_authority(name, *, queryset=None):
    """The one LocalAuthority record the written name stands for, or None.

    Through the canonical list first (its names, other names and trusts), then by the
    records' own names, compared the same way.
    """
    key = normalise(name)
    if not key:
        return None
    authorities = LocalAuthority.objects.all() if queryset is None else queryset
    code = _index().get(key)
    if code is not None:
        found = authorities.filter(ons_code=code).first()
        if found is not None:
            return found
    candidates = [
        authority
        for authority in authorities.only("pk", "name", "organisation", "ons_code")
        if key in (normalise(authority.name), normalise(authority.organisation))
    ]
    if code is not None:
        # The list knows the authority, but the database has it under another name.
        candidates = [a for a in candidates if a.ons_code in ("", code)] or candidates
    # Records split before the list was loaded: the coded one, else the oldest.
    candidates.sort(key=lambda a: (a.ons_code == "", a.pk))
    return candidates[0] if candidates else None
