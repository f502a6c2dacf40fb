"""Open comments: counted and linked at the top of the editor, shown on the item's own
form, and confirmed before a QA manager approves a letter that still has them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from inspections.models import TeamMember, Visit
from letters.models import Letter
from letters.review import services
from tests.factories import inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return inspector_user(username="robin.ashdown"), qa_manager_user(username="hazel.penrose")


@pytest.fixture
def letter(people):
    inspector, qa = people
    letter = letter_led_by(inspector)
    Visit.objects.filter(pk=letter.visit_id).update(qa_manager=qa.inspector)
    services.letter_submit(letter=letter, by=inspector)
    return Letter.objects.get(pk=letter.pk)


def first_item(letter):
    return letter.sections.order_by("position").first().items.order_by("position").first()


def returned_with_comments(letter, qa):
    """Two open comments (one on an item, one on the letter) and a resolved one."""
    item = first_item(letter)
    on_item = services.comment_add(letter=letter, by=qa, text="Which services?", item=item)
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    resolved = services.comment_add(letter=letter, by=qa, text="Done already.", item=item)
    resolved.resolved_at = timezone.now()
    resolved.save()
    services.letter_return(letter=letter, by=qa)
    return item, on_item


def editor(client, letter):
    return client.get(reverse("letters:letter-editor", args=[letter.visit_id])).content.decode()


# The editor and the item's form ------------------------------------------------------


def test_the_editor_counts_the_open_comments_and_links_to_each(client, people, letter):
    inspector, qa = people
    item, _ = returned_with_comments(letter, qa)
    client.force_login(inspector)
    content = editor(client, letter)
    assert "2 open comments" in content
    banner = content.split('id="open-comments"', 1)[1].split("</ul>", 1)[0]
    # In the order the page shows them: the letter's comments, then the items'.
    assert banner.index('href="#comments"') < banner.index(f'href="#item-{item.pk}"')
    assert "Hazel Penrose on the letter: Check the dates." in banner
    assert f"Hazel Penrose on the item ‘{item.text}’: Which services?" in banner
    assert "Done already." not in banner
    # Each link leads somewhere on the page.
    assert f'id="item-{item.pk}"' in content
    assert 'id="comments"' in content


def test_the_editor_says_nothing_of_comments_when_none_are_open(client, people, letter):
    inspector, qa = people
    comment = services.comment_add(letter=letter, by=qa, text="Fine.")
    services.letter_return(letter=letter, by=qa)
    services.comment_resolve(comment=comment, by=inspector)
    client.force_login(inspector)
    content = editor(client, letter)
    assert "open comment" not in content
    assert 'id="open-comments"' not in content


def test_one_open_comment_is_counted_in_the_singular(client, people, letter):
    inspector, qa = people
    services.letter_return(letter=letter, by=qa, comment="Say more.")
    client.force_login(inspector)
    assert "1 open comment<" in editor(client, letter)


def test_comments_show_their_author_by_name_not_username(client, people, letter):
    inspector, qa = people
    returned_with_comments(letter, qa)
    client.force_login(inspector)
    content = editor(client, letter)
    assert "Comment from Hazel Penrose" in content
    assert "hazel.penrose" not in content


def test_the_items_form_shows_its_open_comments_above_the_fields(client, people, letter):
    inspector, qa = people
    item, _ = returned_with_comments(letter, qa)
    client.force_login(inspector)
    url = reverse("letters:item-edit", args=[letter.visit_id, item.pk])
    content = client.get(url).content.decode()
    assert "1 open comment on this item" in content
    assert "Comment from Hazel Penrose" in content
    assert "Which services?" in content
    # Not the letter's comment, nor the resolved one; and above the form's fields.
    assert "Check the dates." not in content
    assert "Done already." not in content
    assert content.index("Which services?") < content.index('name="text"')
    # Resolving is done in the letter, once the item is saved: no button that would
    # leave the form and what was typed in it.
    assert "Mark as resolved" not in content


def test_an_item_without_open_comments_shows_none(client, people, letter):
    inspector, qa = people
    item, _ = returned_with_comments(letter, qa)
    other = letter.sections.order_by("position").last().items.first()
    assert other.pk != item.pk
    client.force_login(inspector)
    url = reverse("letters:item-edit", args=[letter.visit_id, other.pk])
    assert "open comment" not in client.get(url).content.decode()


# Approving with open comments --------------------------------------------------------


def approve(client, letter, **data):
    return client.post(reverse("letters:review-approve", args=[letter.visit_id]), data)


def test_approving_with_open_comments_asks_for_confirmation(client, people, letter):
    _, qa = people
    services.comment_add(letter=letter, by=qa, text="Which services?", item=first_item(letter))
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    client.force_login(qa)  # signing in is an audit event of its own
    events = AuditEvent.objects.count()
    response = approve(client, letter)
    assert response.status_code == 200
    content = response.content.decode()
    assert "There are 2 open comments. Approve anyway?" in content
    assert "Which services?" in content and "Check the dates." in content
    assert '<input type="hidden" name="confirm" value="1">' in content
    assert reverse("letters:review-approve", args=[letter.visit_id]) in content
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW
    assert AuditEvent.objects.count() == events


def test_confirming_approves_the_letter(client, people, letter):
    _, qa = people
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    client.force_login(qa)
    response = approve(client, letter, confirm="1")
    assert response.status_code == 302
    assert response.url == reverse("letters:review-letter", args=[letter.visit_id])
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


def test_one_open_comment_is_asked_about_in_the_singular(client, people, letter):
    _, qa = people
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    client.force_login(qa)
    assert "There is 1 open comment. Approve anyway?" in approve(client, letter).content.decode()


def test_approving_without_open_comments_needs_no_confirmation(client, people, letter):
    inspector, qa = people
    comment = services.comment_add(letter=letter, by=qa, text="Check the dates.")
    services.letter_return(letter=letter, by=qa)
    services.comment_resolve(comment=comment, by=inspector)
    services.letter_submit(letter=letter, by=inspector)
    client.force_login(qa)
    response = approve(client, letter)
    assert response.status_code == 302
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.APPROVED


def test_the_confirmation_is_refused_to_whoever_may_not_approve(client, people, letter):
    """Only a QA manager who may approve sees the question; the others are refused as
    the approval itself refuses them."""
    inspector, qa = people
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    client.force_login(inspector)
    assert approve(client, letter).status_code == 403
    colleague = qa_manager_user(username="other.qa", full_name="Lee Other")
    TeamMember.objects.create(visit=letter.visit, inspector=colleague.inspector, role="inspector")
    client.force_login(colleague)
    assert approve(client, letter).status_code == 403
    assert approve(client, letter, confirm="1").status_code == 403
    assert Letter.objects.get(pk=letter.pk).status == Letter.Status.IN_REVIEW


def test_an_approved_letter_is_not_asked_about_again(client, people, letter):
    _, qa = people
    services.comment_add(letter=letter, by=qa, text="Check the dates.")
    services.letter_approve(letter=letter, by=qa)
    client.force_login(qa)
    assert approve(client, letter).status_code == 403
