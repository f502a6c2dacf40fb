"""The public register: published letters only, searched, filtered and paginated."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from inspections.models import Region
from letters.models import Letter
from letters.publication.services import store_version
from letters.register.models import RegisterEntry
from tests.factories import LocalAuthorityFactory, complete_letter, force_status
from tests.letters.register.conftest import publish, theme

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text search"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback")

REGISTER = reverse("letters:register")
NOT_PUBLISHED = [s for s in Letter.Status.values if s != Letter.Status.PUBLISHED]


def titles(response):
    return [entry.title for entry in response.context["entries"]]


def option(options, label):
    return next(o for o in options if o.label == label)


def test_anyone_reads_the_register_without_signing_in(client, make_letter):
    """The register answers someone not signed in, and lists the published letter."""
    letter = make_letter(authority=LocalAuthorityFactory(name="Fernshire"))
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert titles(response) == [letter.versions.get().title]
    assert "Focused visit to Fernshire" in response.content.decode()


@pytest.mark.parametrize("status", NOT_PUBLISHED)
def test_a_letter_not_yet_published_is_not_in_the_register(client, make_letter, status):
    """Drafts, letters in their factual-accuracy check and final letters under embargo are
    not listed, and their pages and data are not found."""
    hidden = make_letter(status=status, items=["Embargoed finding words."])
    response = client.get(REGISTER, {"q": "Embargoed"})
    assert response.context["page"].paginator.count == 0
    assert client.get(REGISTER).context["page"].paginator.count == 0
    for name in ("letters:register-letter", "letters:register-letter-json"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
    assert "Embargoed" not in client.get(reverse("letters:register-csv")).getvalue().decode()


def test_asking_for_a_letter_not_yet_published_is_an_audited_refusal(client, make_letter):
    """The register's page of a letter under embargo is not found, and the attempt is
    recorded."""
    from audit.models import AuditEvent

    hidden = make_letter(status=Letter.Status.FINAL)
    response = client.get(reverse("letters:register-letter", args=[hidden.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="access.refused")
    assert event.target_id == hidden.pk and event.actor is None


def test_a_correction_being_drafted_never_shows(client, make_letter):
    """Once a published letter is being corrected, the register still shows the published
    version's words, not the draft's."""
    letter = make_letter(items=["The published words."])
    force_status(letter, Letter.Status.DRAFT)
    item = letter.sections.get(position=1).items.get(text="The published words.")
    item.text = "The draft's new words."
    item.save()
    page = client.get(reverse("letters:register-letter", args=[letter.pk])).content.decode()
    assert "The published words." in page
    assert "draft&#x27;s new words" not in page and "draft's new words" not in page


def test_a_published_correction_replaces_the_earlier_version(client, make_letter):
    """The register lists each letter once, at its latest version."""
    letter = make_letter(items=["First words."])
    item = letter.sections.get(position=1).items.get(text="First words.")
    item.text = "Corrected words."
    item.save()
    publish(letter, on=datetime.date(2024, 6, 1))
    response = client.get(REGISTER)
    assert [e.number for e in response.context["entries"]] == [2]
    assert RegisterEntry.objects.filter(letter=letter).count() == 2
    page = client.get(reverse("letters:register-letter", args=[letter.pk])).content.decode()
    assert "Corrected words." in page and "First words." not in page


def test_the_newest_publication_comes_first(client, make_letter):
    """Without a search, the newest publication leads."""
    old = make_letter(start=datetime.date(2021, 1, 5))
    new = make_letter(start=datetime.date(2023, 1, 5))
    response = client.get(REGISTER)
    assert [e.letter_id for e in response.context["entries"]] == [new.pk, old.pk]


def test_filter_by_authority_with_counts(client, make_letter):
    """Choosing an authority lists its letters; each authority is offered with its count."""
    fern = LocalAuthorityFactory(name="Fernshire")
    make_letter(authority=fern)
    make_letter(authority=fern, start=datetime.date(2022, 5, 1))
    make_letter(authority=LocalAuthorityFactory(name="Dunmore"))
    response = client.get(REGISTER, {"authority": fern.pk})
    assert response.context["page"].paginator.count == 2
    authorities = response.context["facets"]["authorities"]
    assert [(o.label, o.count) for o in authorities] == [("Dunmore", 1), ("Fernshire", 2)]
    assert option(authorities, "Fernshire").selected
    assert "Fernshire (2)" in response.content.decode()


def test_filter_by_region_with_counts(client, make_letter):
    """Choosing a region lists the letters of its authorities; regions show their counts."""
    make_letter(authority=LocalAuthorityFactory(region=Region.LONDON))
    make_letter(authority=LocalAuthorityFactory(region=Region.NORTH_EAST))
    make_letter(authority=LocalAuthorityFactory(region=Region.NORTH_EAST))
    response = client.get(REGISTER, {"region": Region.NORTH_EAST})
    assert response.context["page"].paginator.count == 2
    regions = response.context["facets"]["regions"]
    assert [(o.label, o.count) for o in regions] == [("North East", 2), ("London", 1)]
    assert "London (1)" in response.content.decode()


def test_filter_by_theme_with_counts(client, make_letter):
    """Ticking a theme lists the letters of visits that looked at it; every standard theme
    is offered with its count, and a focus area that is no theme is not."""
    make_letter(themes=["Care leavers"])
    make_letter(themes=["Care leavers", "Front door"])
    make_letter(themes=["Front door"])
    response = client.get(REGISTER, {"theme": theme("Care leavers").pk})
    assert response.context["page"].paginator.count == 2
    themes = response.context["facets"]["themes"]
    assert option(themes, "Care leavers").count == 2
    assert option(themes, "Front door").count == 2
    assert option(themes, "Disabled children").count == 0
    assert option(themes, "Care leavers").selected
    assert all(o.label.startswith("Focus area") is False for o in themes)
    assert "Care leavers (2)" in response.content.decode()


def test_two_themes_list_letters_with_either(client, make_letter):
    """Ticking two themes lists the letters that have either."""
    make_letter(themes=["Care leavers"])
    make_letter(themes=["Front door"])
    make_letter(themes=["Permanence"])
    ids = [theme("Care leavers").pk, theme("Front door").pk]
    assert client.get(REGISTER, {"theme": ids}).context["page"].paginator.count == 2


def test_filter_by_year_with_counts(client, make_letter):
    """Choosing a year lists the visits of that year; years are offered newest first."""
    make_letter(start=datetime.date(2019, 5, 1))
    make_letter(start=datetime.date(2023, 5, 1))
    make_letter(start=datetime.date(2023, 9, 1))
    response = client.get(REGISTER, {"year": "2023"})
    assert response.context["page"].paginator.count == 2
    years = response.context["facets"]["years"]
    assert [(o.label, o.count) for o in years] == [("2023", 2), ("2019", 1)]


def test_filter_by_priority_actions_with_count(client, make_letter):
    """Ticking priority actions lists only letters that have them; its count shows."""
    make_letter(priority=["Act now on the front door."])
    make_letter()
    response = client.get(REGISTER, {"priority": "yes"})
    assert response.context["page"].paginator.count == 1
    assert response.context["facets"]["priority"].count == 1
    assert "Has areas for priority action (1)" in response.content.decode()


def test_each_facet_counts_with_the_other_filters(client, make_letter):
    """A facet's counts follow the other filters, not its own."""
    fern = LocalAuthorityFactory(name="Fernshire")
    make_letter(authority=fern, start=datetime.date(2020, 5, 1))
    make_letter(authority=fern, start=datetime.date(2023, 5, 1))
    make_letter(authority=LocalAuthorityFactory(name="Dunmore"), start=datetime.date(2023, 6, 1))
    facets = client.get(REGISTER, {"authority": fern.pk, "year": "2023"}).context["facets"]
    assert [(o.label, o.count) for o in facets["years"]] == [("2023", 1), ("2020", 1)]
    assert [(o.label, o.count) for o in facets["authorities"]] == [
        ("Dunmore", 1),
        ("Fernshire", 1),
    ]


def test_nonsense_filters_are_ignored(client, make_letter):
    """Filters that mean nothing are dropped, not an error."""
    make_letter()
    response = client.get(
        REGISTER, {"authority": "x", "region": "mars", "theme": "'", "year": "99999", "page": "z"}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_the_register_is_paginated_keeping_the_filters(client, make_letter):
    """Twenty letters a page; the GOV.UK pagination's links keep the search and filters."""
    fern = LocalAuthorityFactory(name="Fernshire")
    for day in range(1, 23):
        make_letter(authority=fern, start=datetime.date(2023, 1, day))
    response = client.get(REGISTER, {"authority": fern.pk})
    assert len(response.context["entries"]) == 20
    page = response.content.decode()
    assert 'class="govuk-pagination"' in page
    assert f'href="?authority={fern.pk}&amp;page=2"' in page
    second = client.get(REGISTER, {"authority": fern.pk, "page": 2})
    assert len(second.context["entries"]) == 2


@sqlite_only
def test_search_on_sqlite_matches_words_anywhere_and_marks_them(client, make_letter):
    """SQLite's fallback: every word must occur; the title and a passage mark them."""
    make_letter(items=["Care leavers have good pathway plans."])
    make_letter(items=["Leavers are visited."])
    response = client.get(REGISTER, {"q": "pathway leavers"})
    assert response.context["page"].paginator.count == 1
    page = response.content.decode()
    assert "<mark>pathway</mark>" in page
    assert "<mark>leavers</mark>" in page


@sqlite_only
def test_the_fallback_marks_text_escaped(client, make_letter):
    """The passage's text is escaped: only the highlighting is markup."""
    make_letter(items=["A <script>alert(1)</script> pathway."])
    page = client.get(REGISTER, {"q": "pathway"}).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


@postgresql_only
def test_search_ranks_the_best_match_first(client, make_letter):
    """On PostgreSQL a letter whose title names the words outranks one that says them once
    in its body, whatever their dates."""
    by_name = make_letter(
        authority=LocalAuthorityFactory(name="Tarnbridge"), start=datetime.date(2019, 1, 1)
    )
    make_letter(items=["Staff from Tarnbridge visited."], start=datetime.date(2024, 1, 1))
    make_letter(items=["Nothing to see."])
    response = client.get(REGISTER, {"q": "Tarnbridge"})
    assert response.context["page"].paginator.count == 2
    assert response.context["entries"][0].letter_id == by_name.pk
    assert response.context["ranked"]


@postgresql_only
def test_search_stems_words_and_highlights_them(client, make_letter):
    """On PostgreSQL "assessment" finds "assessments", and the passage marks the match."""
    make_letter(items=["Assessments are thorough and analytical."])
    response = client.get(REGISTER, {"q": "assessment"})
    assert response.context["page"].paginator.count == 1
    assert "<mark>Assessments</mark>" in response.content.decode()


@postgresql_only
def test_search_uses_the_gin_index():
    """The entries' search vectors have their GIN index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'register_entry_search'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search)" in definition


def test_the_letter_page_links_its_versions_and_the_authoritys_other_letters(client, make_letter):
    """A letter's page links its PDF, HTML and JSON, and the same authority's earlier and
    later letters (not another authority's)."""
    fern = LocalAuthorityFactory(name="Fernshire", ons_code="E06000099", region=Region.LONDON)
    earlier = make_letter(authority=fern, start=datetime.date(2019, 2, 1))
    letter = make_letter(authority=fern, start=datetime.date(2021, 2, 1), themes=["Care leavers"])
    later = make_letter(authority=fern, start=datetime.date(2023, 2, 1))
    other = make_letter(start=datetime.date(2022, 2, 1))
    version = letter.versions.get()
    response = client.get(reverse("letters:register-letter", args=[letter.pk]))
    assert response.status_code == 200
    assert response.context["earlier"][0].letter_id == earlier.pk
    assert response.context["later"][0].letter_id == later.pk
    page = response.content.decode()
    for url in (
        reverse("letters:version-pdf", args=[version.pk]),
        reverse("letters:version-html", args=[version.pk]),
        reverse("letters:register-letter-json", args=[letter.pk]),
        reverse("letters:register-letter", args=[earlier.pk]),
        reverse("letters:register-letter", args=[later.pk]),
    ):
        assert f'href="{url}"' in page
    assert reverse("letters:register-letter", args=[other.pk]) + '"' not in page
    assert "E06000099" in page and "London" in page and "Care leavers" in page


def test_anyone_downloads_the_published_pdf_and_it_is_audited(client, make_letter):
    """The PDF of a published letter is everyone's; the download is still recorded."""
    from audit.models import AuditEvent

    version = make_letter().versions.get()
    response = client.get(reverse("letters:version-pdf", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="version.download")
    assert event.actor is None and event.detail["version"] == 1


def test_the_html_version_leads_someone_not_signed_in_back_to_the_register(client, make_letter):
    """The HTML version's link back goes to the register's page of the letter."""
    letter = force_status(complete_letter(), Letter.Status.PUBLISHED)
    html = "<html><head><title>A letter</title></head><body><h1>A letter</h1></body></html>"
    version = store_version(letter, by=None, html=html, pdf=b"%PDF-1.7", stored=[])
    page = client.get(reverse("letters:version-html", args=[version.pk])).content.decode()
    assert reverse("letters:register-letter", args=[letter.pk]) in page
    assert "Back to the register" in page


@postgresql_only
def test_the_search_vector_stays_in_the_entrys_row():
    """The search vector is stored MAIN, so a search does not read it back from TOAST."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'letters_registerentry'::regclass AND attname = 'search'"
        )
        (storage,) = cursor.fetchone()
    assert storage == "m"


def test_a_search_with_filters_reads_a_bounded_number_of_queries(
    client, make_letter, django_assert_max_num_queries
):
    """Counts, filters, page and highlights take the same few queries however many match."""
    fern = LocalAuthorityFactory(name="Fernshire", region=Region.NORTH_WEST)
    for day in range(1, 4):
        make_letter(authority=fern, start=datetime.date(2023, 3, day), themes=["Care leavers"])
    query = {"q": "Fernshire", "authority": fern.pk, "region": Region.NORTH_WEST, "year": "2023"}
    with django_assert_max_num_queries(7):
        response = client.get(REGISTER, query | {"priority": "yes", "theme": "1"})
    assert response.status_code == 200
