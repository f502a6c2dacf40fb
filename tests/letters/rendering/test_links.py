"""Links on words in a footnote: [the words](https://address)."""

import pytest

from letters.rendering.links import join_split_links, linked_html, plain_text

URL = "https://www.gov.uk/government/publications/childrens-social-care-national-framework"


def test_link_on_words_becomes_an_anchor_on_those_words():
    html = linked_html(f"Cross-referenced with the [national framework]({URL}).")
    assert html == f'Cross-referenced with the <a href="{URL}">national framework</a>.'


def test_bare_web_address_still_becomes_a_link():
    html = linked_html(f"See {URL}")
    assert f'<a href="{URL}"' in html


def test_words_around_and_inside_a_link_are_escaped():
    html = linked_html(f'<b>bold</b> [<i>x</i>]({URL}) & "quoted"')
    assert html == (
        f'&lt;b&gt;bold&lt;/b&gt; <a href="{URL}">&lt;i&gt;x&lt;/i&gt;</a> &amp; &quot;quoted&quot;'
    )


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://example.com/x"],
)
def test_only_web_addresses_make_links(address):
    text = f"[click here]({address})"
    assert "<a" not in linked_html(text)
    assert "click here" in linked_html(text)


def test_address_cannot_break_out_of_its_attribute():
    html = linked_html('[words](https://example.com/"onmouseover="alert(1))')
    assert 'onmouseover="' not in html


def test_plain_text_keeps_the_words_of_a_link():
    assert plain_text(f"The [national framework]({URL}) says so.") == (
        "The national framework says so."
    )


def test_halves_of_a_link_broken_across_lines_are_joined():
    text = f"the [Children’s Social]({URL}) [Care: National Framework]({URL}). This"
    assert (
        join_split_links(text) == f"the [Children’s Social Care: National Framework]({URL}). This"
    )


def test_links_to_different_addresses_stay_apart():
    text = f"[one]({URL}) [two](https://www.gov.uk/ofsted)"
    assert join_split_links(text) == text
