from django.urls import path

from findings import views

letter = "visits/<int:pk>/letter/"
section = letter + "sections/<int:section_pk>/"
item = letter + "items/<int:item_pk>/"

urlpatterns = [
    path(letter, views.letter_editor, name="letter-editor"),
    path(letter + "opening/", views.letter_opening, name="letter-opening"),
    path(letter + "closing/", views.letter_closing, name="letter-closing"),
    path(letter + "preview/", views.letter_preview, name="letter-preview"),
    path(letter + "draft.pdf", views.letter_draft_pdf, name="letter-draft-pdf"),
    path(letter + "checks/", views.letter_checks, name="letter-checks"),
    path(letter + "sections/new/", views.section_add, name="section-add"),
    path(section, views.section_edit, name="section-edit"),
    path(section + "delete/", views.section_delete, name="section-delete"),
    path(section + "move/", views.section_move, name="section-move"),
    path(section + "items/new/", views.item_add, name="item-add"),
    path(item, views.item_edit, name="item-edit"),
    path(item + "delete/", views.item_delete, name="item-delete"),
    path(item + "move/", views.item_move, name="item-move"),
]
