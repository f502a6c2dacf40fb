"""Who may do what with a letter: the one place access rules live.

The states a move starts from are declared once, on the transitions of
letters.models.Letter; each transition names its rule from this module (`permission=`),
and the `can_*` questions below ask the transition itself (django-fsm-2's
has_transition_perm), so a state list is never written twice. Views ask these before
acting, services ask them again under the row lock, and letters.selectors applies the
same rules to querysets, so a list never shows what its page would refuse.

The rules read prefetched data (letters.rendering.compose.letter_queryset).
"""

from django_fsm import can_proceed, has_transition_perm

from accounts.roles import is_administrator, is_qa_manager
from inspections import calendar
from inspections.access import authority_of, inspector_of, is_inspector, is_on_team, was_involved
from letters import clock

__all__ = ["authority_of", "inspector_of", "is_administrator", "is_inspector", "is_qa_manager"]


# The rules the transitions name: (letter, user) -> bool, whatever the letter's state.


def is_drafter(letter, user):
    """On the visit's team now."""
    return is_on_team(user, letter.visit)


def is_independent_reviewer(letter, user):
    """Four eyes, on the record: a QA manager who has never been on the visit's team,
    nor written, changed or submitted any part of its letter."""
    return is_qa_manager(user) and not was_involved(user, letter.visit)


def may_correct(letter, user):
    return is_on_team(user, letter.visit) or is_qa_manager(user)


def is_of_letters_authority(letter, user):
    """A user of the local authority the letter is addressed to."""
    authority = authority_of(user) if user is not None and user.is_authenticated else None
    return authority is not None and authority.pk == letter.visit.authority_id


def publication_day_has_come(letter):
    """A condition, not a rule: a letter with a publication date (signed off as final) is
    published on that day, or on the first working day after it if a pause covers it
    (letters.publication.schedule.effective_publication_date); without one, at once."""
    if letter.publication_date is None or letter.status != letter.Status.FINAL:
        return True
    day = calendar.next_working_day(letter.publication_date, authority=letter.visit.authority_id)
    return day <= clock.today()


def factual_accuracy_closed(letter):
    """A condition: the authority has responded, or its window ended without a response
    (the day after its deadline has come)."""
    if letter.status != letter.Status.FACTUAL_ACCURACY:
        return True
    return letter.fa_deadline is not None and letter.fa_deadline < clock.today()


def may_import(letter, user):
    """The importer runs as a command (no user) or for an administrator."""
    return user is None or is_administrator(user)


# The questions views and services ask.


def can_create_visit(user):
    return is_inspector(user)


def can_view_draft(user, letter):
    """Team members, QA managers and administrators read drafts; nobody else."""
    return is_on_team(user, letter.visit) or is_qa_manager(user) or is_administrator(user)


def can_draft(user, letter):
    """The portal's drafting pages: the team, while the letter may still be submitted, and
    while it answers the authority's factual-accuracy comments."""
    return has_transition_perm(letter.submit, user) or has_transition_perm(
        letter.answer_factual_accuracy, user
    )


def can_edit_letter(user, letter):
    """The team changes the letter while it may still be submitted or while it answers the
    authority's factual-accuracy comments; an administrator may too, in the admin (and is
    then involved in it: the four-eyes rule)."""
    editable = can_proceed(letter.submit, check_conditions=False) or can_proceed(
        letter.answer_factual_accuracy, check_conditions=False
    )
    return editable and (is_drafter(letter, user) or is_administrator(user))


def can_change_visit(user, visit):
    """A visit's facts and team change with its letter (or freely, before it has one)."""
    letter = getattr(visit, "letter", None)
    if letter is None:
        return is_on_team(user, visit) or is_administrator(user)
    return can_edit_letter(user, letter)


def can_submit(user, letter):
    return has_transition_perm(letter.submit, user)


def can_review(user, letter):
    """Comment on, return or approve a letter in QA review."""
    return has_transition_perm(letter.approve, user)


def can_publish(user, letter):
    return has_transition_perm(letter.publish, user)


def can_send_for_factual_accuracy(user, letter):
    return has_transition_perm(letter.send_for_factual_accuracy, user)


def can_read_as_authority(user, letter):
    """A user of the letter's own authority reads it from the factual-accuracy check until
    it is published (Letter.SHARED_WITH_AUTHORITY); never a draft, nor another's."""
    return letter.status in letter.SHARED_WITH_AUTHORITY and is_of_letters_authority(letter, user)


def can_read_published(user, version):
    """A published version is everyone's, signed in or not: Ofsted publishes its letters
    (the public register, letters.register). Only what the version froze is public: the
    letter's drafts, its factual-accuracy check and a final letter under embargo stay as
    the rules above say (can_view_draft, can_read_as_authority)."""
    return True


def can_comment_on_factual_accuracy(user, letter):
    """The authority's users comment until one of them submits the response."""
    return has_transition_perm(letter.respond_to_factual_accuracy, user)


can_respond_to_factual_accuracy = can_comment_on_factual_accuracy


def can_answer_factual_accuracy(user, letter):
    return has_transition_perm(letter.answer_factual_accuracy, user)


def can_read_factual_accuracy(user, letter):
    """The authority's comments and their answers: whoever reads the draft."""
    return can_view_draft(user, letter)


def can_sign_off(user, letter):
    return has_transition_perm(letter.sign_off_final, user)


def can_start_correction(user, letter):
    return has_transition_perm(letter.start_correction, user)


def can_resolve_comments(user, letter):
    return is_on_team(user, letter.visit)


def can_read_timeline(user, letter):
    return is_qa_manager(user) or is_administrator(user)


def is_independent(user, letter):
    """Whether the user could ever review this letter (whatever its state)."""
    return is_independent_reviewer(letter, user)


# The priority-action follow-up (letters.follow_up): its page, the authority's uploads,
# and the team's or a QA manager's record of the Department for Education's date and
# decision on each plan. A follow-up is read with its letter (follow_up.letter).


def can_read_follow_up(user, letter):
    """Whoever reads the letter's draft (the team, QA managers, administrators), and the
    users of the letter's own authority; nobody else."""
    return can_view_draft(user, letter) or is_of_letters_authority(letter, user)


def can_upload_action_plan(user, follow_up):
    """The users of the letter's own authority, until its action plan is accepted."""
    return follow_up.state != follow_up.State.ACCEPTED and is_of_letters_authority(
        follow_up.letter, user
    )


def can_manage_follow_up(user, letter):
    """The visit's team or a QA manager records the day the Department for Education was
    told, and accepts or returns each plan."""
    return is_on_team(user, letter.visit) or is_qa_manager(user)
