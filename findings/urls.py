from django.urls import path

from findings import views, views_published, views_review

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

urlpatterns += [
    path(letter + "submit/", views_review.letter_submit, name="letter-submit"),
    path(letter + "correct/", views_review.letter_correct, name="letter-correct"),
    path(letter + "history/", views_review.letter_timeline, name="letter-timeline"),
    path(
        letter + "comments/<int:comment_pk>/resolve/",
        views_review.comment_resolve,
        name="comment-resolve",
    ),
    path("review/", views_review.review_queue, name="review-queue"),
    path("review/<int:pk>/", views_review.review_letter, name="review-letter"),
    path("review/<int:pk>/comment/", views_review.review_comment, name="review-comment"),
    path("review/<int:pk>/return/", views_review.review_return, name="review-return"),
    path("review/<int:pk>/approve/", views_review.review_approve, name="review-approve"),
    path("review/<int:pk>/publish/", views_review.review_publish, name="review-publish"),
    path("letters/", views_published.published_letters, name="authority-letters"),
    path("letters/<int:version_pk>/", views_published.version_html, name="version-html"),
    path("letters/<int:version_pk>/pdf/", views_published.version_pdf, name="version-pdf"),
]
