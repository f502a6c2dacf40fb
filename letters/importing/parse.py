"""Letter text or a published letter PDF -> a visit with its letter, sections and items.

Reads letters written like the seed (plain text with markdown-style `##` headings and
`-` or `■` bullets), and letters as Ofsted published them (letters.importing.pdf_text reads the
PDF into the same header lines and blocks). Parsing builds a ParsedLetter and touches
no data; letters.importing.services saves it.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from inspections import people
from inspections.models import Inspector, TeamMember
from letters.bullets import GLYPH, strip_glyphs
from letters.drafting import paste
from letters.importing import pdf_text
from letters.models import Item, Section
from letters.rendering.blocks import Block

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(rf"^(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
# Where a one-line address breaks: before a house number, after a building or street word.
ADDRESS_BREAK_RE = re.compile(
    r"\s(?=\d)|\b((?:House|Gate|Street|Road|Way|Avenue|Square|Place|Lane|Court|Kingsway))\s"
)
HONORIFIC_RE = re.compile(r"^(Mr|Mrs|Ms|Miss|Mx|Dr|Professor|Cllr)\.?\s+(.+)$")
JOB_TITLE_RE = re.compile(
    r"\b(Director|Officer|Executive|Head|Manager|Chief|Interim|Corporate|Commissioner|"
    r"Assistant|Deputy|Strategic|Lead Member)\b"
)
ORGANISATION_RE = re.compile(r"\b(Council|Borough|Authority|Trust)\b")
BUILDING_RE = re.compile(r"\b(Hall|House|Offices?|Centre|Building|Buildings|Street|Road)\b")
DELIVERY_RE = re.compile(r"^(Send|Sent) (via|by) ", re.IGNORECASE)
# A bullet: a hyphen, an asterisk or a glyph (letters.bullets), then white space.
BULLET_RE = re.compile(rf"^\s*(?:[-*]|{GLYPH})\s+(.*)$")
NUMBERED_RE = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
HEADING_RE = re.compile(r"^#{1,6}\s+(.*)$")
TITLE_RE = re.compile(
    r"^Focused visit (?:of|to) (?:the )?(.+?) [Cc]hildren['’]s [Ss]ervices(\s*\(pilot\))?\s*\.?$"
)
# Titles in other shapes: naming a children's trust ("Focused visit to Birmingham
# Children's Trust", "... Slough Children First"), or no authority at all.
OTHER_TITLE_RE = re.compile(
    r"^(?:(?:Pilot )?[Ff]ocused visit)(?: (?:of|to) (?:the )?(.*?))?(\s*\(pilot\))?\s*\.?$"
)
INTRO_AUTHORITY_RE = re.compile(
    r"focused visit (?:of|to) (?:the )?([A-Z].+?) children['’]s services", re.IGNORECASE
)
# A date line whose year has a digit too many or too few: "14 March 20205".
MISTYPED_DATE_RE = re.compile(rf"^\d{{1,2}}\s+(?:{MONTHS})\s+(?:\d{{3}}|\d{{5}})$")
CONTACT_RE = re.compile(r"@|\bwww\.|\bT\s+0\d|\bTextphone\b")
NO_AUTHORITY_RE = re.compile(
    r"^(?:the )?(?:local authority(?:['’]s)?|[Cc]hildren['’]s [Ss]ervices|)\s*"
    r"(?:[Cc]hildren['’]s [Ss]ervices)?$"
)
SIGN_OFF_RE = re.compile(r"^Yours? sincerely,?$", re.IGNORECASE)
SIGNATORY_TITLE_RE = re.compile(r"^(Her|His) Majesty['’]s Inspector$")
CC_RE = re.compile(r"^cc\b", re.IGNORECASE)
CROSS_REFERENCE_RE = re.compile(
    r"\s*(\((?:outcome|enabler|principle)s?\s[^()]*national framework\))\s*$", re.IGNORECASE
)
SCOPE_RE = re.compile(
    r"^(On this (?:focused )?visit,? inspectors|Inspectors (?:looked|examined) (?:at )?the "
    r"local authority|This visit looked at|This focused visit (?:looked|focused)|"
    r"The focus of this visit)"
)
CLOSING_RE = re.compile(
    r"^(Ofsted will take the findings|I am copying this letter|Ofsted has identified areas "
    r"for priority action|We have notified the (?:Department|DfE))"
)
NONE_STATEMENT_RE = re.compile(r"\bno (?:areas for )?priority actions?\b", re.IGNORECASE)


class LetterImportError(Exception):
    """The file is not a letter this importer can read."""


@dataclass
class ParsedOffice:
    address_lines: list[str]
    telephone: str = ""
    textphone: str = ""
    email: str = ""
    web_address: str = ""


@dataclass
class ParsedItem:
    style: str
    text: str
    cross_reference: str = ""
    footnote: str = ""


@dataclass
class ParsedSection:
    heading: str
    kind: str
    heading_footnote: str = ""
    page_break_before: bool = False
    lead_in: list[str] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    none_statement: list[str] = field(default_factory=list)


@dataclass
class ParsedMember:
    name: str
    role: str
    grade: str = Inspector.Grade.HMI


@dataclass
class ParsedLetter:
    title: str = ""
    authority_name: str = ""
    pilot: bool = False
    office: ParsedOffice | None = None
    letter_date: datetime.date | None = None
    recipient: dict = field(default_factory=dict)
    salutation: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    team: list[ParsedMember] = field(default_factory=list)
    qa_manager: ParsedMember | None = None
    introduction: list[str] = field(default_factory=list)
    scope_lead_in: list[str] = field(default_factory=list)
    focus_areas: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    sign_off: str = ""
    signatory: str = ""
    signatory_note: str = ""
    signatory_title: str = ""
    cc_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    letter_date_written: str = ""  # a date line whose year is mistyped


# Reading -------------------------------------------------------------------------


def read_bytes(path):
    path = Path(path)
    if not path.is_file():
        raise LetterImportError(f"{path}: no such file")
    try:
        return path.read_bytes()
    except OSError as error:
        raise LetterImportError(f"{path}: cannot be read ({error.strerror})") from None


def read_text(path, data=None):
    data = read_bytes(path) if data is None else data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LetterImportError(f"{path}: not a text file (it is not UTF-8)") from None


def clean(text):
    """Drop markdown emphasis and squeeze white space."""
    return " ".join(text.replace("**", "").replace("__", "").split())


def blocks_of(lines):
    """Markdown-style lines -> headings, paragraphs, bullets and numbered paragraphs.

    A paragraph that starts in lower case continues the block before it: the seed,
    like the PDFs it comes from, breaks sentences across pages.
    """
    blocks = []
    current = None
    for raw in lines:
        line = raw.strip()
        if not line:
            current = None
            continue
        if match := HEADING_RE.match(line):
            blocks.append(Block("heading", clean(match[1])))
            current = None
        elif match := BULLET_RE.match(line):
            current = Block("bullet", clean(match[1]))
            blocks.append(current)
        elif match := NUMBERED_RE.match(line):
            current = Block("numbered", clean(match[2]))
            blocks.append(current)
        elif current is not None:
            current.text = clean(f"{current.text} {line}")
        elif blocks and blocks[-1].kind != "heading" and line[0].islower():
            current = blocks[-1]
            current.text = clean(f"{current.text} {line}")
        else:
            current = Block("paragraph", clean(line))
            blocks.append(current)
    return blocks


def parse_date(text):
    match = DATE_RE.match(text.strip())
    if not match:
        return None
    try:
        return datetime.datetime.strptime(" ".join(match.groups()), "%d %B %Y").date()
    except ValueError:  # 31 February: a line shaped like a date that is none
        return None


def parse_office(line):
    text = clean(line)
    telephone = re.search(r"\bT\s+(0[\d ]*\d)", text)
    textphone = re.search(r"Textphone\s+(0[\d ]*\d)", text)
    email = re.search(r"[\w.+-]+@[\w.-]+\.\w+", text)
    web = re.search(r"www\.[\w./-]+", text)
    address = text[: telephone.start()].strip() if telephone else ""
    return ParsedOffice(
        address_lines=split_address(address),
        telephone=telephone[1].strip() if telephone else "",
        textphone=textphone[1].strip() if textphone else "",
        email=email[0] if email else "",
        web_address=web[0] if web else "",
    )


def split_address(address):
    """'Aviation House 125 Kingsway London WC2B 6SE' -> its likely lines."""
    postcode = re.search(r"\s([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$", address)
    tail = ""
    if postcode:
        head = address[: postcode.start()].split()
        tail = " ".join([*head[-1:], postcode[1]])
        address = " ".join(head[:-1])
    marked = ADDRESS_BREAK_RE.sub(lambda m: f"{m[1]}\n" if m[1] else "\n", address)
    lines = [part.strip() for part in marked.split("\n") if part.strip()]
    return [*lines, tail] if tail else lines


def parse_recipient(lines):
    lines = [clean(line) for line in lines if clean(line)]
    recipient = {
        "honorific": "",
        "name": "",
        "job_title": [],
        "organisation": "",
        "address": [],
        "postcode": "",
        "delivery_line": "",
    }
    if lines and DELIVERY_RE.match(lines[-1]):
        recipient["delivery_line"] = lines.pop()
    if lines and POSTCODE_RE.match(lines[-1]):
        recipient["postcode"] = lines.pop()
    if not lines:
        return recipient
    name = lines.pop(0)
    if match := HONORIFIC_RE.match(name):
        recipient["honorific"], name = match[1], match[2]
    recipient["name"] = name
    while lines and JOB_TITLE_RE.search(lines[0]) and not BUILDING_RE.search(lines[0]):
        recipient["job_title"].append(lines.pop(0))
    if lines and ORGANISATION_RE.search(lines[0]) and not BUILDING_RE.search(lines[0]):
        recipient["organisation"] = lines.pop(0)
    recipient["address"] = lines
    return recipient


def parse_visit_dates(text, year_hint):
    """The visit's first and last days from the introduction ("on 15 and 16 May 2018",
    "on the 15th and 16th of May 2018")."""
    text = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", text)
    text = re.sub(rf"\b(\d{{1,2}})\s+of\s+({MONTHS})\b", r"\1 \2", text)
    month = rf"({MONTHS})"
    ranged = re.search(
        rf"(\d{{1,2}})(?:\s+{month})?(?:\s+(\d{{4}}))?\s*(?:and|to|until|–|-)\s*"
        rf"(\d{{1,2}})\s+{month}(?:\s+(\d{{4}}))?",
        text,
    )
    if ranged:
        d1, m1, y1, d2, m2, y2 = ranged.groups()
        end_year = int(y2) if y2 else year_hint
        end = _date(d2, m2, end_year)
        start = _date(d1, m1 or m2, int(y1) if y1 else end_year)
        if start and end and start > end:
            start = _date(d1, m1 or m2, end_year - 1)
        return start, end
    single = re.search(rf"(\d{{1,2}})\s+{month}(?:\s+(\d{{4}}))?", text)
    if single:
        d, m, y = single.groups()
        return _date(d, m, int(y) if y else year_hint), None
    return None, None


def _date(day, month, year):
    if year is None:
        return None
    try:
        return datetime.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:
        return None


# Where the introduction names the team: "The inspectors were ...", "His Majesty's
# Inspectors (HMI) X and Y undertook the visit", "The visit was carried out by ...",
# "conducted by X and Y, two of Her Majesty's Inspectors", "Inspectors for the visit were".
TEAM_RE = re.compile(
    r"(?:\(HMI\)|inspectors (?:for (?:this|the) (?:focused )?visit )?were|"
    r"(?:carried out|conducted|undertaken|completed) by)\s+"
    r"(.+?)(?:\s+undertook|(?<!\s[A-Z])\.(?:\s|$)|$)",
    re.IGNORECASE,
)
# A grade written after a name, in the same phrase ("X HMI designate") or as the next
# one ("X, HMI designate, and Y"): (pattern, role or None to keep, grade).
TITLE_GRADES = [
    (r"HMI designate", TeamMember.Role.HMI_DESIGNATE, Inspector.Grade.HMI_DESIGNATE),
    (r"Senior HMI", None, Inspector.Grade.SENIOR_HMI),
    (r"Ofsted Inspectors?", None, Inspector.Grade.OFSTED_INSPECTOR),
]
COUNT_RE = re.compile(r"^(?:both|all|(?:two|three|four|five|six) of)\s+", re.I)


def parse_team(text, warnings=None):
    """Inspectors and the QA manager named in the introduction.

    A phrase that names nobody ("Ofsted Inspector", "HMI Schools") is no inspector:
    it goes in `warnings`, if given."""
    text = text.replace("’", "'")
    warnings = [] if warnings is None else warnings
    team = []
    for names in TEAM_RE.finditer(text):
        team = team_of(names[1], warnings)
        if team:
            break
    qa_manager = None
    if qa := re.search(r"quality assurance manager was ([^,.]+?)(?:,\s*(Senior HMI))?\.", text):
        qa_manager = ParsedMember(name=qa[1].strip(), role="qa", grade=Inspector.Grade.SENIOR_HMI)
    return team, qa_manager


def team_of(phrase, warnings):
    team = []
    for token in re.split(r",\s*|;\s*|\s+and\s+", phrase):
        token = COUNT_RE.sub("", token.strip(" ,").removeprefix("and ").strip())
        if not token:
            continue
        role, grade = TeamMember.Role.INSPECTOR, Inspector.Grade.HMI
        for pattern, title_role, title_grade in TITLE_GRADES:
            if re.fullmatch(pattern, token, re.I):
                if team:  # the grade of the name before it
                    team[-1].grade = title_grade
                    team[-1].role = title_role or team[-1].role
                else:
                    warnings.append(f"not an inspector's name: {token!r}")
                break
            if re.search(rf"\s{pattern}$", token, re.I):
                role, grade = title_role or role, title_grade
        else:
            name = people.clean_name(token)
            if not name or not name[0].isupper():
                continue  # "HMI", "Her Majesty's Inspectors", "remote means"
            if people.is_person_name(name):
                team.append(ParsedMember(name=name, role=role, grade=grade))
            else:
                warnings.append(f"not an inspector's name: {token!r}")
    return team


def section_kind(heading):
    text = heading.lower()
    if "priority" in text:
        return Section.Kind.PRIORITY_ACTIONS
    if "improve" in text:
        return Section.Kind.IMPROVEMENT
    if "strength" in text:
        return Section.Kind.STRENGTHS
    if "overview" in text or "headline" in text:
        return Section.Kind.OVERVIEW
    if "finding" in text:
        return Section.Kind.FINDINGS
    return Section.Kind.OTHER


def item_of(block):
    style = {"bullet": Item.Style.BULLET, "numbered": Item.Style.NUMBERED}.get(
        block.kind, Item.Style.PARAGRAPH
    )
    text, cross_reference = block.text, ""
    if match := CROSS_REFERENCE_RE.search(text):
        text, cross_reference = text[: match.start()].rstrip(), match[1]
    return ParsedItem(
        style=style, text=text, cross_reference=cross_reference, footnote=block.footnote
    )


def parse_letter_text(text, *, source="letter", lenient=False):
    """Letter text -> a ParsedLetter.

    lenient: the text of a visit's letter, pasted or read from a Word document
    (letters.importing.into_visit). The visit has the facts a letter's head gives, so
    the letterhead, salutation, title and visit dates may be missing (each is noted in
    the warnings); and text copied from Word, which has no `##` headings and one line a
    paragraph, has its headings and bullets found (marked_plain_text).
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if lenient and not any(HEADING_RE.match(line.strip()) for line in lines):
        lines = marked_plain_text(lines)
    title_at = next((i for i, line in enumerate(lines) if HEADING_RE.match(line.strip())), None)
    if title_at is None:
        if lenient:
            raise LetterImportError(
                f"{source}: no headings found: give the title and each section a heading"
            )
        raise LetterImportError(f"{source}: no title heading ('## Focused visit ...') found")
    if lenient and not TITLE_RE.match(clean(HEADING_RE.match(lines[title_at].strip())[1])):
        # No title: the head of the letter, if any, ends at its salutation.
        salutation_at = next(
            (i for i, line in enumerate(lines[:title_at]) if clean(line).startswith("Dear ")),
            None,
        )
        title_at = 0 if salutation_at is None else salutation_at + 1
    return parse_letter_parts(
        lines[:title_at], blocks_of(lines[title_at:]), source=source, lenient=lenient
    )


def marked_plain_text(lines):
    """Text copied from Word as markdown-style lines: each line a paragraph; the line
    that names the focused visit, and each short line standing alone after it, a
    heading; a line that starts with a bullet or number (as pasted sections read them,
    letters.drafting.paste) a bullet or numbered paragraph. Marking stops at the
    sign-off, whose name and title are no headings."""
    lines = [paste.normalise(line).strip() for line in lines]
    title_at = next((i for i, line in enumerate(lines) if TITLE_RE.match(clean(line))), None)
    marked = []
    for at, line in enumerate(lines):
        if SIGN_OFF_RE.match(clean(line)):
            title_at = len(lines)  # nothing after the sign-off is a heading
        if not line:
            continue
        if marker := paste.MARKER_RE.match(line):
            rest = strip_glyphs(line[marker.end() :])
            line = f"{'1.' if marker['number'] else '-'} {rest}" if rest else ""
        elif at == title_at or (title_at is not None and at > title_at and is_heading(line)):
            line = f"## {line}"
        marked += [line, ""]
    return marked


def is_heading(line):
    """A short line that ends no sentence and is none of the letter's other short lines."""
    text = clean(line)
    return (
        len(text.split()) <= 12
        and len(text) <= 120
        and text[0].isupper()
        and text[-1] not in ".,;:!"
        and not SIGN_OFF_RE.match(text)
        and not SIGNATORY_TITLE_RE.match(text)
        and not CC_RE.match(text)
        and not text.startswith("Dear ")
        and parse_date(text) is None
    )


def parse_letter_pdf(data, *, source="letter"):
    try:
        header, blocks, unplaced = pdf_text.letter_parts(data)
    except pdf_text.PdfTextError as error:
        raise LetterImportError(f"{source}: {error}") from None
    letter = parse_letter_parts(header, blocks, source=source)
    letter.warnings[:0] = unplaced
    return letter


def parse_letter_parts(header, blocks, *, source="letter", lenient=False):
    """Header lines (letterhead to salutation) and body blocks (title first) -> a letter.

    lenient: a missing salutation, title or visit date is a warning, not a refusal."""
    letter = ParsedLetter()
    parse_header(header, letter, source, lenient=lenient)
    if not blocks:
        raise LetterImportError(f"{source}: no title after the salutation")
    title = blocks[0].text if blocks[0].kind == "heading" else ""
    match = TITLE_RE.match(title)
    other = None if match else OTHER_TITLE_RE.match(title)
    if match:
        blocks.pop(0)
        letter.title, letter.authority_name, letter.pilot = title, match[1], bool(match[2])
    elif other:
        blocks.pop(0)
        letter.title, letter.pilot = title, bool(other[2]) or title.startswith("Pilot")
        letter.authority_name = "" if NO_AUTHORITY_RE.match(other[1] or "") else other[1]
    elif lenient:
        letter.warnings.append("no title")
    else:
        raise LetterImportError(f"{source}: the title is not a focused-visit title: {title!r}")
    parse_body(blocks, letter)
    opening = [*letter.introduction, *letter.scope_lead_in, *letter.preamble]
    if letter.title and not letter.authority_name:
        named = INTRO_AUTHORITY_RE.search(" ".join(opening))
        letter.authority_name = named[1] if named else ""
        letter.warnings.append(
            "the title names no local authority: taken from "
            + ("the introduction" if named else "the recipient")
        )
    year_hint = letter.letter_date.year if letter.letter_date else None
    intro = " ".join(letter.introduction)
    # A pandemic-era letter opens with the Chief Inspector's preface: the visit's dates
    # and team are in a later paragraph.
    dated = next((p for p in [intro, *opening] if parse_visit_dates(p, year_hint)[0]), intro)
    letter.start_date, letter.end_date = parse_visit_dates(dated, year_hint)
    repair_letter_date(letter)
    if letter.start_date is None:
        if not lenient and letter.letter_date is None:
            raise LetterImportError(f"{source}: the introduction gives no visit date")
        letter.warnings.append("no visit dates in the introduction")
        if not lenient:
            letter.start_date = letter.letter_date
            letter.warnings[-1] += ": the letter's date stands for the visit's"
    for text in [intro, *(p for p in opening if p not in letter.introduction)]:
        letter.team, letter.qa_manager = parse_team(text, letter.warnings)
        if letter.team:
            break
    if letter.qa_manager is None:
        letter.qa_manager = parse_team(" ".join(opening))[1]
    choose_lead(letter)
    return letter


def repair_letter_date(letter):
    """A letter date whose year is mistyped ("14 March 20205"): the year, one digit
    fewer or more, nearest after the visit; noted in the warnings."""
    written = letter.letter_date_written
    if not written or letter.letter_date is not None:
        return
    day, month, year = written.split()
    candidates = {year[:i] + year[i + 1 :] for i in range(len(year))} | {
        year[:i] + d + year[i:] for i in range(len(year) + 1) for d in "0123456789"
    }
    after = letter.end_date or letter.start_date
    dates = [
        date
        for candidate in candidates
        if len(candidate) == 4
        and (date := _date(day, month, int(candidate)))
        and (after is None or 0 <= (date - after).days <= 366)
    ]
    if after is not None and dates:
        letter.letter_date = min(dates)
        letter.warnings.append(
            f"the letter date {written!r} was read as {letter.letter_date:%-d %B %Y}"
        )
    else:
        letter.warnings.append(f"the letter date {written!r} cannot be read")


def parse_header(lines, letter, source, *, lenient=False):
    header = [clean(line) for line in lines if clean(line)]
    salutation_at = next((i for i, line in enumerate(header) if line.startswith("Dear ")), None)
    if salutation_at is None:
        if not lenient:
            raise LetterImportError(f"{source}: no salutation ('Dear ...') before the title")
        letter.warnings.append("no salutation")
        salutation_at = len(header)
    else:
        letter.salutation = header[salutation_at]
    head = header[:salutation_at]
    # The letterhead: up to its last contact line (address, telephone, e-mail and web
    # address), whether it was read as one line or as several.
    contact = [i for i, line in enumerate(head[:10]) if CONTACT_RE.search(line)]
    dates = [i for i, line in enumerate(head) if parse_date(line) or MISTYPED_DATE_RE.match(line)]
    letterhead_end = 0
    if contact and (not dates or contact[0] < dates[0]):
        letterhead_end = max(i for i in contact if not dates or i < dates[0]) + 1
        lines_ = head[:letterhead_end]
        if lines_[0] == "Ofsted":  # the strapline, not the address
            lines_ = lines_[1:]
        letter.office = parse_office(" ".join(lines_))
    below = head[letterhead_end:]
    above = []
    if dates:
        date_line = head[dates[0]]
        letter.letter_date = parse_date(date_line)
        if letter.letter_date is None:
            letter.letter_date_written = date_line
        above = head[letterhead_end : dates[0]]
        below = head[dates[0] + 1 :]
    # A recipient block above the date, none below it.
    letter.recipient = parse_recipient(below or above)
    if letter.office is None:
        letter.warnings.append("no letterhead")
    if letter.letter_date is None and not letter.letter_date_written:
        letter.warnings.append("no letter date")


def looks_like_section_heading(block):
    """A paragraph that is a section heading printed without bold: short, standing
    alone, ending no sentence, and naming a section ("Overview", "What needs to
    improve ...?")."""
    return (
        block.kind == "paragraph"
        and is_heading(block.text.rstrip("?"))
        and (section_kind(block.text) != Section.Kind.OTHER or block.text.endswith("?"))
    )


def parse_body(blocks, letter):
    for block in blocks:
        if looks_like_section_heading(block):
            block.kind = "heading"
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), len(blocks))
    split_opening(blocks[:first_heading], letter)
    section = None
    closing = False
    for block in blocks[first_heading:]:
        if closing or (block.kind == "paragraph" and CLOSING_RE.match(block.text)):
            closing = True
            if not place_sign_off(block, letter):
                letter.closing.append(block.text)
            continue
        if block.kind == "heading":
            section = ParsedSection(
                heading=block.text,
                kind=section_kind(block.text),
                heading_footnote=block.footnote,
                page_break_before=block.new_page,
            )
            letter.sections.append(section)
        elif place_sign_off(block, letter):
            closing = True
        elif (
            block.kind == "paragraph"
            and not section.items
            and section.kind == Section.Kind.PRIORITY_ACTIONS
            and NONE_STATEMENT_RE.search(block.text)
        ):
            section.none_statement.append(block.text)
        elif block.kind == "paragraph" and not section.items and block.text.endswith(":"):
            section.lead_in.append(block.text)
        else:
            section.items.append(item_of(block))


def place_sign_off(block, letter):
    """Sign-off, signatory, title and cc lines; True if the block was one of them."""
    text = block.text
    if SIGN_OFF_RE.match(text):
        letter.sign_off = text
    elif SIGNATORY_TITLE_RE.match(text):
        letter.signatory_title = text
    elif CC_RE.match(text) and (letter.sign_off or letter.signatory):
        letter.cc_lines.append(text)
    elif letter.signatory and people.name_key(text) == people.name_key(letter.signatory):
        pass  # the signature printed twice (a typed name under a signed one)
    elif letter.sign_off and not letter.signatory:
        name, _, note = text.partition(" (")
        letter.signatory = name.strip()
        letter.signatory_note = f"({note}" if note else ""
    else:
        return False
    return True


def split_opening(blocks, letter):
    """Introduction, scope (lead-in and focus areas) and preamble, before the sections."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    bullets_at = next((i for i, b in enumerate(blocks) if b.kind == "bullet"), None)
    if bullets_at is not None and bullets_at > 0:
        lead_at = bullets_at - 1
        letter.introduction = [b.text for b in blocks[:lead_at]]
        letter.scope_lead_in = [blocks[lead_at].text]
        rest = blocks[bullets_at:]
        letter.focus_areas = [b.text for b in rest if b.kind == "bullet"]
        letter.preamble = [b.text for b in rest if b.kind != "bullet"]
        return
    scope_at = next((i for i, p in enumerate(paragraphs) if SCOPE_RE.match(p.text)), None)
    if scope_at is None or scope_at == 0:
        scope_at = None
        letter.introduction = [p.text for p in paragraphs[:1]]
        letter.preamble = [p.text for p in paragraphs[1:]]
        return
    letter.introduction = [p.text for p in paragraphs[:scope_at]]
    letter.scope_lead_in = [paragraphs[scope_at].text]
    letter.preamble = [p.text for p in paragraphs[scope_at + 1 :]]


def choose_lead(letter):
    """The signatory leads; without one, the first inspector named."""
    if not letter.team:
        letter.warnings.append("no inspectors found in the introduction")
        return
    signatory = people.name_key(letter.signatory)
    lead = next((m for m in letter.team if people.name_key(m.name) == signatory), None)
    if lead is None:
        if letter.signatory:
            lead = ParsedMember(name=letter.signatory, role=TeamMember.Role.LEAD)
            letter.team.insert(0, lead)
            letter.warnings.append("the signatory is not named in the introduction")
        else:
            lead = letter.team[0]
            letter.warnings.append("no signatory")
    lead.role = TeamMember.Role.LEAD
