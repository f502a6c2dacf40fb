"""The page that starts a letter again from another template (letters.drafting.letter_shapes),
while the letter has no items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from inspections.services import StaleEdit
from letters.drafting import letter_shapes
from letters.drafting import services as drafting
from letters.drafting.forms import LetterTemplateForm
from letters.drafting.support import keeps_typed_text, load_visit
from letters.drafting.views import editor_url


def template_name(key):
    shape = letter_shapes.SHAPES.get(key)
    return shape.name if shape else "None (the letter was not started from a template)"


@keeps_typed_text
def letter_template(request, pk):
    visit = load_visit(request, pk, edit=True)
    letter = visit.letter
    has_items = any(section.items.all() for section in letter.sections.all())
    form = LetterTemplateForm(request.POST or None, instance=letter)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            drafting.letter_use_template(
                letter=letter,
                by=request.user,
                based_on=form.cleaned_data["revision"],
                template=form.cleaned_data["template"],
            )
        except StaleEdit as stale:
            conflict = [("Template", template_name(stale.current.template))]
            data = request.POST.copy()
            data["revision"] = stale.current.revision
            form = LetterTemplateForm(data, instance=stale.current)
            form.is_valid()
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            name = letter_shapes.SHAPES[form.cleaned_data["template"]].name
            messages.success(request, f"The letter starts from the template ‘{name}’")
            return redirect(editor_url(visit))
    return render(
        request,
        "letters/drafting/template.html",
        {
            "visit": visit,
            "letter": letter,
            "form": form,
            "conflict": conflict,
            "has_items": has_items,
            "current": letter_shapes.shape_of(letter),
            "for_visit": letter_shapes.shape_for_visit(visit),
        },
    )
