"""Factories for the portal's models, with fictional authorities and people."""

import datetime

import factory
from django.contrib.auth import get_user_model

from inspections.models import (
    FocusArea,
    Inspector,
    LocalAuthority,
    Office,
    TeamMember,
    Visit,
    VisitFocusArea,
)
from letters.models import Item, Letter, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    name = factory.Sequence(lambda n: f"Fernshire {n}")
    urn = factory.Sequence(lambda n: f"9{n:05d}")
    director_honorific = "Ms"
    director_name = "Alex Morgan"
    address = "Civic Centre\nHigh Street\nFernford"
    postcode = "FN1 1AA"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    address = "Piccadilly Gate\nStore Street\nManchester M1 2WD"
    textphone = "0161 618 8524"


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    full_name = factory.Sequence(lambda n: f"Inspector Number{n}")
    grade = Inspector.Grade.HMI


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    name = factory.Sequence(lambda n: f"Focus area {n}")
    wording = factory.LazyAttribute(lambda f: f"The quality of {f.name.lower()}.")


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    authority = factory.SubFactory(LocalAuthorityFactory)
    start_date = datetime.date(2024, 3, 5)
    end_date = datetime.date(2024, 3, 6)
    letter_date = datetime.date(2024, 4, 2)
    office = factory.SubFactory(OfficeFactory)
    qa_manager = factory.SubFactory(InspectorFactory, grade=Inspector.Grade.SENIOR_HMI)
    recipient_honorific = "Ms"
    recipient_name = "Alex Morgan"
    recipient_job_title = "Director of Children's Services"
    recipient_address = "Civic Centre\nHigh Street\nFernford"
    recipient_postcode = "FN1 1AA"
    salutation = "Dear Ms Morgan"


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    visit = factory.SubFactory(VisitFactory)
    inspector = factory.SubFactory(InspectorFactory)
    role = TeamMember.Role.INSPECTOR
    position = factory.Sequence(lambda n: n)


class VisitFocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitFocusArea

    visit = factory.SubFactory(VisitFactory)
    focus_area = factory.SubFactory(FocusAreaFactory)
    position = factory.Sequence(lambda n: n)


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    visit = factory.SubFactory(VisitFactory)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    letter = factory.SubFactory(LetterFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Section.Kind.OVERVIEW
    heading = "Overview"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    style = Item.Style.BULLET
    text = factory.Sequence(lambda n: f"Finding number {n} about children's services.")


def complete_letter(letter_template="", **visit_kwargs):
    """A letter with a lead inspector, a team inspector, a focus area and two sections;
    letter_template: the key of the template it started from (letters.drafting.letter_shapes)."""
    visit = VisitFactory(**visit_kwargs)
    TeamMemberFactory(
        visit=visit,
        inspector=InspectorFactory(full_name="Robin Ashdown"),
        role=TeamMember.Role.LEAD,
        position=0,
    )
    TeamMemberFactory(visit=visit, inspector=InspectorFactory(full_name="Sam Whitlow"), position=1)
    VisitFocusAreaFactory(
        visit=visit, focus_area=FocusAreaFactory(wording="The quality of care leavers' plans.")
    )
    letter = LetterFactory(visit=visit, template=letter_template)
    overview = SectionFactory(letter=letter, position=1)
    ItemFactory(section=overview, position=1, text="Leaders know their services well.")
    improvement = SectionFactory(
        letter=letter,
        position=2,
        kind=Section.Kind.IMPROVEMENT,
        heading="Areas for improvement",
    )
    ItemFactory(section=improvement, position=1, text="The timeliness of assessments.")
    return letter


def inspector_user(username="inspector", full_name="Robin Ashdown", **inspector_fields):
    """A user in the Inspectors group, linked to an Inspector record."""

    from accounts import roles

    user = UserFactory(username=username)
    roles.grant(user, roles.INSPECTOR)
    InspectorFactory(full_name=full_name, user=user, **inspector_fields)
    return user


def qa_manager_user(username="qa", full_name="Hazel Penrose"):

    from accounts import roles

    user = UserFactory(username=username)
    roles.grant(user, roles.QA_MANAGER)
    InspectorFactory(full_name=full_name, user=user, grade=Inspector.Grade.SENIOR_HMI)
    return user


def letter_led_by(user, **visit_kwargs):
    """A complete letter whose visit `user` (an inspector_user) leads."""
    letter = complete_letter(**visit_kwargs)
    TeamMember.objects.filter(visit=letter.visit, role=TeamMember.Role.LEAD).update(
        inspector=user.inspector
    )
    return letter


def force_status(letter, status, **fields):
    """Put a letter in a state without its workflow, as a test's starting point. An approved
    letter gets the fingerprint approval records (letters.review.services.letter_approve);
    `fields` are set with it (e.g. fa_deadline, publication_date)."""
    from letters.rendering.compose import letter_queryset
    from letters.rendering.fingerprint import letter_fingerprint

    fingerprint = ""
    # From approval on, the letter carries the fingerprint of what was approved (or, once
    # final, signed off).
    if status in (
        Letter.Status.APPROVED,
        Letter.Status.FACTUAL_ACCURACY,
        Letter.Status.FA_RESPONDED,
        Letter.Status.FINAL,
    ):
        fingerprint = letter_fingerprint(letter_queryset().get(pk=letter.pk))
    Letter.objects.filter(pk=letter.pk).update(
        status=status, approved_fingerprint=fingerprint, **fields
    )
    return Letter.objects.get(pk=letter.pk)
