"""The register's charts: visits by theme and year, working days to the letter, the share
with areas for priority action, and an authority's own history; published letters only."""

import datetime

import pytest
from django.urls import reverse

from letters.models import Letter
from letters.register import charts
from letters.register.models import RegisterEntry
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db

CHARTS = reverse("letters:register-charts")
D = datetime.date


@pytest.fixture
def letters(make_letter):
    """Four published letters (three in 2023, one in 2024) and a draft that must not count.

    Each visit ends the day after it starts and its letter is dated 27 days after that:
    19 working days for these dates (no bank holiday falls in them). One 2023 letter is
    dated sooner: 9 working days.
    """
    fern = LocalAuthorityFactory(name="Fernshire")
    dun = LocalAuthorityFactory(name="Dunmore")
    made = {
        "fern_2023": make_letter(
            authority=fern,
            start=D(2023, 6, 5),
            themes=["Front door", "Care leavers"],
            priority=["Make plans."],
        ),
        "dun_2023": make_letter(authority=dun, start=D(2023, 9, 4), themes=["Care leavers"]),
        "dun_2023_quick": make_letter(authority=dun, start=D(2023, 10, 2)),
        "fern_2024": make_letter(
            authority=fern,
            start=D(2024, 6, 3),
            themes=["Care leavers"],
            priority=["Keep records."],
        ),
        "draft": make_letter(
            authority=fern,
            start=D(2023, 11, 6),
            themes=["Front door"],
            priority=["Not yet."],
            status=Letter.Status.DRAFT,
        ),
    }
    # Visit ends Tuesday 3 October; Monday 16 October is 9 working days after.
    RegisterEntry.objects.filter(letter=made["dun_2023_quick"]).update(letter_date=D(2023, 10, 16))
    return made


def test_visits_are_counted_by_theme_and_year(letters):
    """Each theme's published visits are counted for each year; the draft is not."""
    found = charts.themes_by_year()
    assert found.years == [2023, 2024]
    assert dict(found.rows) == {"Front door": [1, 0], "Care leavers": [2, 1]}


def test_the_median_working_days_are_by_year(letters):
    """The median working days from the visit's last day to the letter, for each year."""
    found = charts.working_days_by_year()
    assert found.rows == [(2023, 3, 19, 9, 19), (2024, 1, 19, 19, 19)]


def test_the_median_of_an_even_count_is_the_middle_two_averaged(make_letter):
    """Two letters, of 19 and 9 working days, have a median of 14."""
    make_letter(start=D(2023, 6, 5))
    quick = make_letter(start=D(2023, 10, 2))
    RegisterEntry.objects.filter(letter=quick).update(letter_date=D(2023, 10, 16))
    assert charts.working_days_by_year().rows == [(2023, 2, 14, 9, 19)]


def test_the_share_with_priority_actions_is_by_year(letters):
    """One of three published 2023 letters had priority actions (33%), 2024's one did."""
    assert charts.priority_share().rows == [(2023, 3, 1, 33), (2024, 1, 1, 100)]


def test_an_unpublished_letter_is_in_no_figure(make_letter):
    """A letter not yet published adds nothing to any chart."""
    make_letter(themes=["Front door"], priority=["x"], status=Letter.Status.FINAL)
    assert charts.themes_by_year().rows == []
    assert charts.working_days_by_year().rows == []
    assert charts.priority_share().rows == []


def test_the_figures_take_a_few_queries_whatever_the_number_of_letters(
    letters, django_assert_max_num_queries
):
    """The charts page reads the register in a handful of queries, not one per letter."""
    with django_assert_max_num_queries(8):
        charts.themes_by_year()
        charts.working_days_by_year()
        charts.priority_share()


def test_the_longest_bar_fills_the_chart(letters):
    """Bars are drawn to scale: the largest value fills the width, half of it half."""
    bars = [group.bars for group in charts.themes_by_year().chart.groups]
    assert [[bar.width for bar in group] for group in bars] == [
        [charts.BAR_SPACE / 2, 0],
        [charts.BAR_SPACE, charts.BAR_SPACE / 2],
    ]


def test_anyone_sees_the_charts_page_without_signing_in(client, letters):
    """The page answers someone not signed in, with an SVG image and a table for each chart."""
    response = client.get(CHARTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="register-chart__svg" role="img"') == 3
    assert '<title id="themes-title">Visits by theme and year</title>' in html
    for table in ("themes-table", "days-table", "priority-table"):
        assert f'id="{table}"' in html
    assert "2023: 2 visits" in html  # a bar's text label
    assert "33%" in html


def test_the_charts_page_with_nothing_published_says_so(client, make_letter):
    """Before anything is published the page says so, and draws no empty charts."""
    make_letter(status=Letter.Status.DRAFT)
    response = client.get(CHARTS)
    assert response.status_code == 200
    assert b"No letters have been published yet." in response.content
    assert b"<svg" not in response.content


def test_an_authoritys_history_lists_its_published_letters(letters):
    """An authority's history: its published letters, oldest first, with their working days
    and priority actions; the draft is absent and this letter is marked."""
    entry = RegisterEntry.objects.get(letter=letters["fern_2024"], current=True)
    history = charts.authority_history(entry)
    assert [
        (r.visit_start, r.working_days, r.has_priority_actions, r.current) for r in history.rows
    ] == [
        (D(2023, 6, 5), 19, True, False),
        (D(2024, 6, 3), 19, True, True),
    ]


def test_a_letter_page_shows_its_authoritys_history(client, letters):
    """The register's letter page has the authority's history chart and table, linking the
    other letter."""
    response = client.get(reverse("letters:register-letter", args=[letters["fern_2024"].pk]))
    html = response.content.decode()
    assert "Fernshire's letters over time" in html
    assert 'id="authority-history-table"' in html
    assert f'id="history-{letters["fern_2024"].visit.authority_id}-title"' in html
    assert reverse("letters:register-letter", args=[letters["fern_2023"].pk]) in html
    assert "3 June 2024 (this letter)" in html


def test_the_register_links_the_charts(client):
    """The register's page links its charts."""
    response = client.get(reverse("letters:register"))
    assert CHARTS.encode() in response.content
