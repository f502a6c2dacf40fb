from django.urls import path

import govuk.converters  # noqa: F401  (registers <id:...>)
from letters import deadline_views, views
from letters.drafting import paste_views as paste
from letters.drafting import template_views, visits
from letters.drafting import views as drafting
from letters.factual_accuracy import views as factual_accuracy
from letters.follow_up import views as follow_up
from letters.importing import views as importing
from letters.publication import views as publication
from letters.register import urls as register
from letters.review import views as review

app_name = "letters"

visit = "visits/<id:pk>/"
letter = visit + "letter/"
section = letter + "sections/<id:section_pk>/"
item = letter + "items/<id:item_pk>/"
authority_letter = "authority/letters/<id:pk>/"
follow_up_page = "follow-up/<id:pk>/"
plan = follow_up_page + "plans/<id:upload_pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    # The visit and its facts.
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_create, name="visit-create"),
    path(visit, visits.visit_detail, name="visit-detail"),
    path(visit + "details/", visits.visit_edit, name="visit-edit"),
    path(visit + "recipient/", visits.visit_recipient, name="visit-recipient"),
    path(visit + "team/", visits.visit_team, name="visit-team"),
    path(visit + "team/<id:member_pk>/remove/", visits.visit_team_remove, name="visit-team-remove"),
    path(visit + "team/lead/", visits.visit_team_lead, name="visit-team-lead"),
    path(visit + "focus-areas/", visits.visit_focus_areas, name="visit-focus-areas"),
    # Drafting the letter.
    path(letter, drafting.letter_editor, name="letter-editor"),
    path(letter + "opening/", drafting.letter_opening, name="letter-opening"),
    path(letter + "closing/", drafting.letter_closing, name="letter-closing"),
    path(letter + "import/", importing.letter_import, name="letter-import"),
    path(letter + "template/", template_views.letter_template, name="letter-template"),
    path(letter + "preview/", drafting.letter_preview, name="letter-preview"),
    path(letter + "draft.pdf", drafting.letter_draft_pdf, name="letter-draft-pdf"),
    path(letter + "checks/", drafting.letter_checks, name="letter-checks"),
    path(letter + "sections/new/", drafting.section_add, name="section-add"),
    path(letter + "sections/paste/", paste.section_paste_new, name="section-paste-new"),
    path(section, drafting.section_edit, name="section-edit"),
    path(section + "delete/", drafting.section_delete, name="section-delete"),
    path(section + "move/", drafting.section_move, name="section-move"),
    path(section + "paste/", paste.section_paste, name="section-paste"),
    path(section + "items/new/", drafting.item_add, name="item-add"),
    path(item, drafting.item_edit, name="item-edit"),
    path(item + "delete/", drafting.item_delete, name="item-delete"),
    path(item + "move/", drafting.item_move, name="item-move"),
    # Quality assurance.
    path(letter + "submit/", review.letter_submit, name="letter-submit"),
    path(letter + "history/", review.letter_timeline, name="letter-timeline"),
    path(
        letter + "comments/<id:comment_pk>/resolve/",
        review.comment_resolve,
        name="comment-resolve",
    ),
    path("review/", review.review_queue, name="review-queue"),
    path("review/in-flight/", deadline_views.letters_in_flight, name="letters-in-flight"),
    path("review/<id:pk>/", review.review_letter, name="review-letter"),
    path("review/<id:pk>/comment/", review.review_comment, name="review-comment"),
    path("review/<id:pk>/return/", review.review_return, name="review-return"),
    path("review/<id:pk>/approve/", review.review_approve, name="review-approve"),
    # Publication.
    path("review/<id:pk>/publish/", publication.review_publish, name="review-publish"),
    path(letter + "correct/", publication.letter_correct, name="letter-correct"),
    # The factual-accuracy check, sign-off and the final letter before publication.
    path(
        "review/<id:pk>/factual-accuracy/",
        factual_accuracy.factual_accuracy_send,
        name="factual-accuracy-send",
    ),
    path("review/<id:pk>/sign-off/", factual_accuracy.sign_off, name="sign-off"),
    path(
        letter + "factual-accuracy/",
        factual_accuracy.factual_accuracy_comments,
        name="factual-accuracy-comments",
    ),
    path(
        letter + "factual-accuracy/<id:comment_pk>/",
        factual_accuracy.factual_accuracy_answer,
        name="factual-accuracy-answer",
    ),
    path(authority_letter, factual_accuracy.authority_letter, name="authority-letter"),
    path(
        authority_letter + "comment/",
        factual_accuracy.authority_comment,
        name="authority-comment",
    ),
    path(
        authority_letter + "respond/",
        factual_accuracy.authority_respond,
        name="authority-respond",
    ),
    path(
        authority_letter + "letter.pdf",
        factual_accuracy.authority_letter_pdf,
        name="authority-letter-pdf",
    ),
    path(
        authority_letter + "letter.html",
        factual_accuracy.authority_letter_html,
        name="authority-letter-html",
    ),
    # The priority-action follow-up of a published letter (the authority's action plan).
    path(follow_up_page, follow_up.follow_up, name="follow-up"),
    path(follow_up_page + "upload/", follow_up.follow_up_upload, name="follow-up-upload"),
    path(follow_up_page + "dfe/", follow_up.follow_up_dfe, name="follow-up-dfe"),
    path(plan + "decide/", follow_up.follow_up_decide, name="follow-up-decide"),
    path(plan + "file/", follow_up.follow_up_download, name="follow-up-download"),
    # Deadlines in a calendar app: the feed's page, and the feed (its token is the key).
    path("account/calendar-feed/", deadline_views.calendar_feed_page, name="calendar-feed"),
    path("calendar/<str:token>/deadlines.ics", deadline_views.deadline_feed, name="deadline-feed"),
    path("letters/", publication.published_letters, name="authority-letters"),
    path("letters/<id:version_pk>/", publication.version_html, name="version-html"),
    path("letters/<id:version_pk>/pdf/", publication.version_pdf, name="version-pdf"),
    # The public register and its open data (no sign-in).
    *register.urlpatterns,
]
