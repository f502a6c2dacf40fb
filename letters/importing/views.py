"""Bringing a whole letter's text into a visit: upload a Word document or paste the text,
check where everything goes, then save.

The pages keep nothing between requests. The preview carries the text in its form (the
Word document's text, once read, is text like any pasted), and saving posts it again,
to be parsed again and saved (letters.importing.into_visit): whatever is posted is only
text the user could have pasted. The forms also carry the letter's revision and state as
the page first showed them ("previewed", with a fingerprint of the text the preview
showed): a save whose text is not the one previewed shows the new preview instead, and a
save after someone else changed the letter shows what happened and keeps the text.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from inspections.services import StaleEdit
from letters.drafting.support import keeps_typed_text, load_visit
from letters.drafting.views import editor_url
from letters.importing import into_visit
from letters.importing.forms import LetterTextForm, LetterUploadForm

UPLOAD = "upload"
SAVE = "save"


def text_fingerprint(text):
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()[:32]


def plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


@keeps_typed_text
def letter_import(request, pk):
    """The two ways in (upload, paste), the preview of either, and the save."""
    visit = load_visit(request, pk, edit=True)
    letter = visit.letter
    state = into_visit.letter_state(letter)
    start = {"revision": letter.revision, "previewed": f".{state}"}
    upload_form = LetterUploadForm(initial=start)
    text_form = LetterTextForm(initial=start)
    context = {"visit": visit, "letter": letter, "conflict": None, "changed": False}
    parsed, left_out = None, []
    if request.method == "POST" and UPLOAD in request.POST:
        upload_form = LetterUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            parsed, left_out = upload_form.parsed, upload_form.left_out
            seen = upload_form.cleaned_data["previewed"].partition(".")[2]
            text_form = LetterTextForm(
                initial={
                    "text": upload_form.text,
                    "revision": upload_form.cleaned_data["revision"],
                    "previewed": f"{text_fingerprint(upload_form.text)}.{seen}",
                }
            )
            context["uploaded"] = upload_form.cleaned_data["document"].name
    elif request.method == "POST":
        text_form = LetterTextForm(request.POST)
        if text_form.is_valid():
            parsed = text_form.parsed
            data = text_form.cleaned_data
            shown, _, seen = data["previewed"].partition(".")
            fingerprint = text_fingerprint(data["text"])
            if SAVE in request.POST and shown == fingerprint:
                try:
                    placed = into_visit.letter_replace_from_import(
                        letter=letter,
                        by=request.user,
                        parsed=parsed,
                        based_on=data["revision"],
                        seen=seen or None,
                        take_visit_facts=data["take_visit_facts"],
                        source="text",
                    )
                except StaleEdit as stale:
                    context["conflict"] = stale.current
                    text_form = rebound(request, text_form, stale.current, fingerprint)
                except ValidationError as refused:
                    # A whole-letter limit, or a part too long for its field: nothing saved.
                    text_form.add_error("text", refused)
                    parsed = None
                else:
                    return saved(request, visit, placed)
            else:
                context["changed"] = SAVE in request.POST
                text_form = rebound(request, text_form, None, fingerprint)
    if parsed is not None:
        context |= {
            "placement": into_visit.placement(visit, parsed, left_out=left_out),
            "current_sections": len(letter.sections.all()),
            "current_items": sum(len(s.items.all()) for s in letter.sections.all()),
        }
    context |= {"upload_form": upload_form, "text_form": text_form}
    return render(request, "letters/importing/letter_import.html", context)


def rebound(request, form, current, fingerprint):
    """The text form again, its previewed field naming this text; after a conflict, the
    letter as it is now (so that saving again replaces it knowingly)."""
    data = request.POST.copy()
    seen = data.get("previewed", "").partition(".")[2]
    if current is not None:
        data["revision"] = current.revision
        seen = into_visit.letter_state(current)
    data["previewed"] = f"{fingerprint}.{seen}"
    rebound_form = LetterTextForm(data)
    rebound_form.is_valid()
    return rebound_form


def saved(request, visit, placed):
    note = (
        f"The letter now has the text you brought in: {plural(len(placed.sections), 'section')} "
        f"with {plural(placed.items, 'item')}"
    )
    messages.success(request, note)
    if placed.report:
        messages.info(request, f"Not placed: {'; '.join(placed.report)}.")
    return redirect(editor_url(visit, "opening"))
