"""What a letter said when submitted, and what changed between two submissions.

A snapshot is plain JSON (kept on each Submission). The diff matches sections and
items by their ids, so a moved or reworded item reads as changed, not as removed
and added again, and reports word-level changes for the QA manager to read.
"""

import difflib
from dataclasses import dataclass, field

OPENING_FIELDS = {
    "title": "Title",
    "introduction": "Introduction",
    "scope_lead_in": "Lead-in to the focus areas",
    "preamble": "Paragraphs before the findings",
}
CLOSING_FIELDS = {
    "closing": "Closing paragraphs",
    "sign_off": "Sign-off",
    "signatory_note": "After the signatory's name",
    "signatory_title": "Signatory's title",
}
SECTION_FIELDS = {
    "heading": "Heading",
    "lead_in": "Lead-in",
    "none_statement": "Statement when there are no items",
    "heading_footnote": "Footnote to the heading",
}
ITEM_FIELDS = ("text", "style", "cross_reference", "footnote")


def snapshot(letter):
    """The letter's words as JSON-ready data."""
    return {
        "opening": {name: getattr(letter, name) for name in OPENING_FIELDS},
        "closing": {name: getattr(letter, name) for name in CLOSING_FIELDS},
        "sections": [
            {
                "id": section.pk,
                **{name: getattr(section, name) for name in SECTION_FIELDS},
                "items": [
                    {"id": item.pk, **{name: getattr(item, name) for name in ITEM_FIELDS}}
                    for item in section.items.all()
                ],
            }
            for section in letter.sections.all()
        ],
    }


@dataclass
class TextChange:
    label: str
    segments: list  # (kind, text): kind is "same", "added" or "removed"


@dataclass
class ItemChange:
    kind: str  # "added", "removed", "changed" or "moved"
    segments: list


@dataclass
class SectionChange:
    heading: str
    kind: str  # "added", "removed" or "changed"
    fields: list = field(default_factory=list)
    items: list = field(default_factory=list)


@dataclass
class LetterDiff:
    opening: list
    sections: list
    closing: list

    @property
    def is_empty(self):
        return not (self.opening or self.sections or self.closing)


def words(old, new):
    """Word-level differences between two texts, as segments."""
    old_words, new_words = (old or "").split(), (new or "").split()
    segments = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            segments.append(("added", " ".join(new_words[b1:b2])))
    return segments


def field_changes(old, new, labels):
    return [
        TextChange(label, words(old.get(name, ""), new.get(name, "")))
        for name, label in labels.items()
        if (old.get(name) or "") != (new.get(name) or "")
    ]


def item_text(item):
    return " ".join(part for part in (item["text"], item.get("cross_reference", "")) if part)


def compare(old, new):
    """What changed from snapshot `old` to snapshot `new`."""
    old_sections = {s["id"]: s for s in old["sections"]}
    new_ids = {s["id"] for s in new["sections"]}
    sections = []
    for section in new["sections"]:
        before = old_sections.get(section["id"])
        if before is None:
            added = [ItemChange("added", [("added", item_text(i))]) for i in section["items"]]
            sections.append(SectionChange(section["heading"], "added", items=added))
            continue
        change = SectionChange(
            section["heading"], "changed", fields=field_changes(before, section, SECTION_FIELDS)
        )
        change.items = item_changes(before["items"], section["items"])
        if change.fields or change.items:
            sections.append(change)
    for section in old["sections"]:
        if section["id"] not in new_ids:
            removed = [ItemChange("removed", [("removed", item_text(i))]) for i in section["items"]]
            sections.append(SectionChange(section["heading"], "removed", items=removed))
    return LetterDiff(
        opening=field_changes(old["opening"], new["opening"], OPENING_FIELDS),
        sections=sections,
        closing=field_changes(old["closing"], new["closing"], CLOSING_FIELDS),
    )


def item_changes(old_items, new_items):
    old_by_id = {i["id"]: (n, i) for n, i in enumerate(old_items)}
    new_ids = {i["id"] for i in new_items}
    old_order = [i["id"] for i in old_items if i["id"] in new_ids]
    new_order = [i["id"] for i in new_items if i["id"] in old_by_id]
    changes = []
    for item in new_items:
        if item["id"] not in old_by_id:
            changes.append(ItemChange("added", [("added", item_text(item))]))
            continue
        _, before = old_by_id[item["id"]]
        if any(before.get(name) != item.get(name) for name in ITEM_FIELDS):
            changes.append(ItemChange("changed", words(item_text(before), item_text(item))))
        elif old_order.index(item["id"]) != new_order.index(item["id"]):
            changes.append(ItemChange("moved", [("same", item_text(item))]))
    for item in old_items:
        if item["id"] not in new_ids:
            changes.append(ItemChange("removed", [("removed", item_text(item))]))
    return changes
