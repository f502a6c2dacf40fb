"""An inspector drafts a letter in the browser, from creating the visit to the draft PDF."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from inspections.models import TeamMember, Visit
from letters.importing.parse import parse_letter_text, read_text
from letters.models import Item, Letter, Section
from tests.factories import ItemFactory, SectionFactory, TeamMemberFactory, force_status

pytestmark = pytest.mark.django_db(transaction=True)

PREVIEW = "iframe[title='Preview of the letter']"


def normalise(text):
    """Text with every run of white space made one space, for comparing across line breaks."""
    return " ".join(text.split())


def fill_date(page, legend, date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(str(date.day) if date else "")
    group.get_by_label("Month", exact=True).fill(str(date.month) if date else "")
    group.get_by_label("Year", exact=True).fill(str(date.year) if date else "")


def editor_headings(page):
    return page.locator(".portal-section h2").all_inner_texts()


def editor_items(page, section_heading):
    section = page.locator(".portal-section").filter(
        has=page.get_by_role("heading", name=section_heading, exact=True)
    )
    return [normalise(text) for text in section.locator(".portal-item__text").all_inner_texts()]


def success_banner(page):
    return page.locator(".govuk-notification-banner--success")


# The whole letter --------------------------------------------------------------------


def create_visit(page, seed, authority, office, qa_manager, focus_areas):
    page.get_by_role("button", name="Create a visit").click()
    expect(page.locator("h1")).to_have_text("Create a visit")
    page.get_by_label("Local authority", exact=True).select_option(label=authority.name)
    page.get_by_label("Pilot focused visit" if seed.pilot else "Focused visit", exact=True).check()
    fill_date(page, "First day of the visit", seed.start_date)
    fill_date(page, "Last day of the visit", seed.end_date)
    fill_date(page, "Letter date", seed.letter_date)
    page.get_by_label("Letterhead", exact=True).select_option(label=office.name)
    page.get_by_label("Quality assurance manager", exact=True).select_option(label=str(qa_manager))
    for area in focus_areas:
        page.get_by_label(area.name, exact=True).check()
    page.get_by_role("button", name="Create the visit").click()
    expect(success_banner(page)).to_contain_text("Visit created")


def change_recipient(page, seed):
    recipient = seed.recipient
    page.get_by_role("link", name="Change recipient").click()
    page.get_by_label("Title (optional)", exact=True).fill(recipient["honorific"])
    page.get_by_label("Full name", exact=True).fill(recipient["name"])
    page.get_by_label("Job title (optional)", exact=True).fill("\n".join(recipient["job_title"]))
    page.get_by_label("Organisation (optional)", exact=True).fill(recipient["organisation"])
    page.get_by_label("Address", exact=True).fill("\n".join(recipient["address"]))
    page.get_by_label("Postcode", exact=True).fill(recipient["postcode"])
    page.get_by_label("Salutation", exact=True).fill(seed.salutation)
    page.get_by_role("button", name="Save the recipient").click()
    expect(success_banner(page)).to_contain_text("Recipient saved")


def add_team_inspector(page, inspector):
    page.get_by_role("link", name="Change inspection team").click()
    page.get_by_label("Inspector", exact=True).select_option(label=str(inspector))
    page.get_by_label("Team inspector", exact=True).check()
    page.get_by_role("button", name="Add to the team").click()
    expect(success_banner(page)).to_contain_text(f"{inspector.full_name} added to the team")
    expect(page.locator("#team")).to_contain_text(inspector.full_name)
    page.get_by_role("link", name="Done").click()


def change_opening(page, seed):
    page.get_by_role("link", name="Change the opening").click()
    page.get_by_label("Title (optional)", exact=True).fill(seed.title)
    page.get_by_label("Introduction (optional)", exact=True).fill("\n\n".join(seed.introduction))
    page.get_by_label("Lead-in to the focus areas (optional)", exact=True).fill(
        "\n\n".join(seed.scope_lead_in)
    )
    page.get_by_label("Paragraphs before the findings (optional)", exact=True).fill(
        "\n\n".join(seed.preamble)
    )
    page.get_by_role("button", name="Save the opening").click()
    expect(success_banner(page)).to_contain_text("Opening saved")


def shape_sections(page, seed):
    """Make the new letter's four default sections the seed's sections."""
    for current, parsed in zip(editor_headings(page), seed.sections, strict=False):
        page.get_by_role("link", name=f"Change the section {current}", exact=True).click()
        page.get_by_label(Section.Kind(parsed.kind).label, exact=True).check()
        page.get_by_label("Heading", exact=True).fill(parsed.heading)
        page.get_by_role("button", name="Save the section").click()
        expect(success_banner(page)).to_contain_text("Section saved")
    for extra in editor_headings(page)[len(seed.sections) :]:
        page.get_by_role("link", name=f"Delete the section {extra}", exact=True).click()
        page.get_by_role("button", name="Delete the section").click()
        expect(success_banner(page)).to_contain_text("Deleted")
    assert editor_headings(page) == [parsed.heading for parsed in seed.sections]


def add_items(page, seed):
    for parsed in seed.sections:
        for item in parsed.items:
            page.get_by_role("link", name=f"Add an item to {parsed.heading}", exact=True).click()
            page.get_by_label("Text", exact=True).fill(item.text)
            page.get_by_label(Item.Style(item.style).label, exact=True).check()
            page.get_by_label("Cross-reference (optional)", exact=True).fill(item.cross_reference)
            page.get_by_role("button", name="Add the item").click()
            expect(success_banner(page)).to_contain_text(f"Item added to ‘{parsed.heading}’")


def pdf_text(path):
    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_inspector_drafts_the_seed_letter_and_downloads_its_draft_pdf(
    signed_in_page, seed_path, authority, office, qa_manager, focus_areas, team_inspector
):
    """A letter as long as the seed, written in the browser, is in the preview and the PDF."""
    seed = parse_letter_text(read_text(seed_path))
    page = signed_in_page

    create_visit(page, seed, authority, office, qa_manager, focus_areas)
    change_recipient(page, seed)
    expect(page.get_by_text(seed.recipient["name"])).to_be_visible()
    add_team_inspector(page, team_inspector)
    page.get_by_role("button", name="Write the letter").click()
    change_opening(page, seed)
    shape_sections(page, seed)
    add_items(page, seed)

    for parsed in seed.sections:
        assert editor_items(page, parsed.heading) == [normalise(i.text) for i in parsed.items]
    preview = page.frame_locator(PREVIEW)
    expect(preview.locator("h1")).to_have_text(seed.title)
    expect(preview.locator("section.finding h2")).to_have_text(
        [parsed.heading for parsed in seed.sections]
    )
    preview_text = normalise(preview.locator("body").inner_text())
    for paragraph in [*seed.introduction, *seed.preamble]:
        assert normalise(paragraph) in preview_text
    for parsed in seed.sections:
        for item in parsed.items:
            assert normalise(item.text) in preview_text, item.text[:60]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the draft PDF").click()
    assert download.value.suggested_filename == (
        f"draft-focused-visit-isle-of-wight-{seed.start_date:%Y-%m-%d}.pdf"
    )
    pages, text = pdf_text(download.value.path())
    flat = normalise(text)
    assert 3 <= pages <= 5, f"the draft PDF has {pages} pages"
    assert "DRAFT" in re.sub(r"\s+", "", text)
    for parsed in seed.sections:
        assert parsed.heading in flat
        for item in parsed.items:
            assert normalise(item.text)[:60] in flat, item.text[:60]

    page.get_by_role("button", name="Check the letter").click()
    expect(page.get_by_text("The letter is ready for quality assurance")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.team.filter(inspector=team_inspector, role=TeamMember.Role.INSPECTOR).exists()
    assert visit.recipient_name == seed.recipient["name"]


def test_pages_load_the_govuk_stylesheets_and_scripts(page, live_server):
    """The live server serves the GOV.UK and portal CSS and JS, and the JS runs."""
    responses = {}
    page.on("response", lambda response: responses.setdefault(response.url, response.status))
    page.goto(live_server.url + "/sign-in/")
    page.wait_for_load_state("networkidle")

    static = {
        url.rsplit("/", 1)[-1]: status for url, status in responses.items() if "/static/" in url
    }
    assert static.get("govuk-frontend.min.css") == 200, static
    assert static.get("portal.css") == 200, static
    assert static.get("init.js") == 200, static
    assert static.get("govuk-frontend.min.js") == 200, static
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    # GOV.UK Frontend's stylesheet is applied: the header is black.
    header = page.locator(".govuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 12, 12)"


# One behaviour each ------------------------------------------------------------------


def test_moving_an_item_up_changes_its_order_in_the_editor_and_the_preview(
    signed_in_page, drafted_letter
):
    """'Move up' swaps an item with the one above it, in the editor and in the preview."""
    page = signed_in_page
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/")
    first, second, third = editor_items(page, "Overview")

    page.get_by_role("button", name="Move up item 2 of Overview", exact=True).click()

    expect(page.locator(".portal-section").first.locator(".portal-item__text")).to_have_text(
        [second, first, third]
    )
    preview_items = page.frame_locator(PREVIEW).locator("section.finding--overview li")
    expect(preview_items).to_have_text([second, first, third])
    assert list(
        Item.objects.filter(section__letter=drafted_letter, section__position=1)
        .order_by("position")
        .values_list("text", flat=True)
    ) == [second, first, third]


def visit_path(letter, path=""):
    return f"/visits/{letter.visit.pk}/{path}"


def first_section_path(letter, path=""):
    section = letter.sections.order_by("position").first()
    return visit_path(letter, f"letter/sections/{section.pk}/{path}")


def first_item_path(letter):
    item = Item.objects.filter(section__letter=letter).order_by("section__position", "position")
    return visit_path(letter, f"letter/items/{item.first().pk}/")


# form: (path(letter), fields to clear by label, button, {error message: field id})
EMPTY_FORMS = {
    "sign-in": (
        lambda letter: "/sign-in/",
        [],
        "Sign in",
        {"Enter your username": "id_username", "Enter your password": "id_password"},
    ),
    "create-visit": (
        lambda letter: "/visits/new/",
        [],
        "Create the visit",
        {
            "Choose the local authority": "id_authority",
            "Enter the first day of the visit": "id_start_date_0",
        },
    ),
    "visit-details": (
        lambda letter: visit_path(letter, "details/"),
        ["Day", "Month", "Year"],
        "Save the visit details",
        {"Enter the first day of the visit": "id_start_date_0"},
    ),
    "recipient": (
        lambda letter: visit_path(letter, "recipient/"),
        ["Full name", "Salutation"],
        "Save the recipient",
        {
            "Enter the recipient's full name": "id_recipient_name",
            "Enter the salutation": "id_salutation",
        },
    ),
    "team": (
        lambda letter: visit_path(letter, "team/"),
        [],
        "Add to the team",
        {"Choose an inspector": "id_inspector"},
    ),
    "add-section": (
        lambda letter: visit_path(letter, "letter/sections/new/"),
        [],
        "Add the section",
        {"Choose what the section holds": "id_kind_1"},
    ),
    "change-section": (
        lambda letter: first_section_path(letter),
        ["Heading"],
        "Save the section",
        {"Enter the section's heading": "id_heading"},
    ),
    "add-item": (
        lambda letter: first_section_path(letter, "items/new/"),
        [],
        "Add the item",
        {"Enter the text of the item": "id_text"},
    ),
    "change-item": (
        first_item_path,
        ["Text"],
        "Save the item",
        {"Enter the text of the item": "id_text"},
    ),
}

# Forms whose error summary is known not to link to a focusable field: none.
EMPTY_FORM_PROBLEMS = {}


def empty_form_params():
    params = []
    for form, (_, _, _, errors) in EMPTY_FORMS.items():
        for message in errors:
            reason = EMPTY_FORM_PROBLEMS.get((form, message))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(form, message, id=f"{form}: {message}", marks=marks))
    return params


@pytest.mark.parametrize(("form", "message"), empty_form_params())
def test_form_submitted_empty_shows_an_error_summary_linking_to_the_field(
    form, message, page, sign_in, inspector, drafted_letter
):
    """The error summary names the problem, and its link moves focus to the field."""
    path, clear, button, errors = EMPTY_FORMS[form]
    if form != "sign-in":
        sign_in(page, inspector)
    page.goto(path(drafted_letter))
    for label in clear:
        page.get_by_label(label, exact=True).first.fill("")
    page.get_by_role("button", name=button).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    link = summary.get_by_role("link", name=message, exact=True)
    field_id = errors[message]
    # The page has loaded: read it as it is rather than wait for it to change.
    assert link.get_attribute("href") == f"#{field_id}"
    field = page.locator(f"#{field_id}")
    assert field.count() == 1
    assert field.evaluate("e => e.tagName") in ("INPUT", "SELECT", "TEXTAREA")
    link.click()
    expect(field).to_be_focused()


# problem message: (the page it leads to, the element the link's fragment names);
# <section> or <item> in a page stands for an id
CHECK_PROBLEMS = {
    "Enter the letter date": ("details/", "input#id_letter_date_0"),
    "Choose the letterhead office": ("details/", "select#id_office"),
    "Enter the recipient's name": ("recipient/", "input#id_recipient_name"),
    "Enter the recipient's address": ("recipient/", "textarea#id_recipient_address"),
    "Choose the lead inspector": ("team/", "select#id_inspector"),
    "Choose the quality assurance manager": ("details/", "select#id_qa_manager"),
    "Choose at least one focus area": ("focus-areas/", "input#id_focus_areas_1"),
    "Write the overview or headline findings": (
        "letter/sections/<section>/items/new/",
        "textarea#id_text",
    ),
    "Write at least one area for improvement, or state that there are none": (
        "letter/",
        "#add-section",
    ),
    "Add an item to ‘Findings’, or delete the section: its heading would print with "
    "nothing under it": ("letter/sections/<section>/items/new/", "textarea#id_text"),
    "Write the areas for priority action in ‘Areas for priority action’, or state that "
    "there are none": ("letter/sections/<section>/", "textarea#id_none_statement"),
    "Delete the bullet mark ‘•’ in item 1 of ‘Areas of strength’: the letter prints its "
    "own bullets": ("letter/items/<item>/", "textarea#id_text"),
    "The introduction says Her Majesty's; a letter dated 5 March 2024 says His Majesty's": (
        "letter/opening/",
        "textarea#id_introduction",
    ),
    "The signatory's title says Her Majesty's; a letter dated 5 March 2024 says His Majesty's": (
        "letter/closing/",
        "input#id_signatory_title",
    ),
}

# Check-page links known to lead nowhere: none.
CHECK_PROBLEM_BUGS = {}


@pytest.fixture
def letter_with_problems(unready_letter):
    Letter.objects.filter(pk=unready_letter.pk).update(
        introduction="Her Majesty's Inspectors visited the authority.",
        signatory_title="Her Majesty's Inspector",
    )
    SectionFactory(
        letter=unready_letter, position=2, kind=Section.Kind.FINDINGS, heading="Findings"
    )
    SectionFactory(
        letter=unready_letter,
        position=3,
        kind=Section.Kind.PRIORITY_ACTIONS,
        heading="Areas for priority action",
    )
    strengths = SectionFactory(
        letter=unready_letter, position=4, kind=Section.Kind.STRENGTHS, heading="Areas of strength"
    )
    ItemFactory(section=strengths, position=1, text="• Leaders know their services well.")
    return unready_letter


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(
            message,
            id=message[:40],
            marks=[pytest.mark.xfail(strict=True, reason=CHECK_PROBLEM_BUGS[message])]
            if message in CHECK_PROBLEM_BUGS
            else [],
        )
        for message in CHECK_PROBLEMS
    ],
)
def test_check_page_problem_links_lead_to_the_place_to_fix_it(
    message, signed_in_page, letter_with_problems
):
    """Each problem on the check page links to the page, and the field, that fixes it."""
    page = signed_in_page
    visit = letter_with_problems.visit
    page.goto(f"/visits/{visit.pk}/letter/checks/")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("listitem")).to_have_count(len(CHECK_PROBLEMS))

    summary.get_by_role("link", name=message, exact=True).click()

    path, target = CHECK_PROBLEMS[message]
    path = re.sub(r"<\w+>", r"\\d+", re.escape(path))
    expect(page).to_have_url(re.compile(rf"/visits/{visit.pk}/{path}#"))
    page.wait_for_load_state()
    fragment = page.url.split("#", 1)[1]
    element = page.locator(f"[id='{fragment}']")
    assert element.count() == 1, f"no element has the link's fragment #{fragment}"
    expect(element).to_be_visible()
    assert element.evaluate("(e, css) => e.matches(css)", target), (fragment, target)


def test_a_stale_save_is_refused_and_the_first_save_is_kept(
    new_page, sign_in, inspector, colleague, drafted_letter
):
    """Two team members change one item: the second save, based on the old text, is refused."""
    TeamMemberFactory(
        visit=drafted_letter.visit, inspector=colleague.inspector, role=TeamMember.Role.INSPECTOR
    )
    item = Item.objects.filter(section__letter=drafted_letter).order_by("pk").first()
    path = f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/"
    mine = sign_in(new_page(), inspector)
    theirs = sign_in(new_page(), colleague)
    mine.goto(path)
    theirs.goto(path)

    mine.get_by_label("Text", exact=True).fill("Leaders know their services very well.")
    mine.get_by_role("button", name="Save the item").click()
    expect(success_banner(mine)).to_contain_text("Item saved")
    theirs.get_by_label("Text", exact=True).fill("Leaders do not know their services.")
    theirs.get_by_role("button", name="Save the item").click()

    expect(theirs.get_by_text("Someone else saved a change")).to_be_visible()
    expect(theirs.locator("#their-version")).to_contain_text(
        "Leaders know their services very well."
    )
    expect(theirs.get_by_label("Text", exact=True)).to_have_value(
        "Leaders do not know their services."
    )
    item.refresh_from_db()
    assert item.text == "Leaders know their services very well."
    mine.reload()
    expect(mine.locator(f"#item-{item.pk} .portal-item__text")).to_have_text(
        "Leaders know their services very well."
    )


def test_the_preview_beside_a_form_shows_the_change_as_it_is_typed(signed_in_page, drafted_letter):
    """Typing in an item's text updates the preview beside it; nothing is saved."""
    page = signed_in_page
    item = Item.objects.filter(section__letter=drafted_letter).order_by("pk").first()
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/")
    preview_items = page.frame_locator(PREVIEW).locator("section.finding--overview li")
    expect(preview_items.first).to_have_text("Leaders know their services well.")

    page.get_by_label("Text", exact=True).fill("Leaders are still learning about their services.")

    expect(preview_items.first).to_have_text("Leaders are still learning about their services.")
    item.refresh_from_db()
    assert item.text == "Leaders know their services well."


SHOWN_IN_ITS_FRAME = (
    "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
)


def test_the_preview_scrolls_to_a_change_it_does_not_show(signed_in_page, drafted_letter):
    """A change far down the letter is brought into the preview's view as it is typed."""
    page = signed_in_page
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/closing/")
    sign_off = page.frame_locator(PREVIEW).locator(".signature__sign-off")
    expect(sign_off).to_have_text("Yours sincerely")
    assert not sign_off.evaluate(SHOWN_IN_ITS_FRAME)

    page.get_by_label("Sign-off (optional)", exact=True).fill("Yours faithfully")

    expect(sign_off).to_have_text("Yours faithfully")
    assert sign_off.evaluate(SHOWN_IN_ITS_FRAME)  # scrolled with the change


def test_the_preview_stops_asking_once_the_letter_cannot_be_changed(signed_in_page, drafted_letter):
    """Sent for review meanwhile: one preview request is refused, and no more are made."""
    page = signed_in_page
    item = Item.objects.filter(section__letter=drafted_letter).order_by("pk").first()
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/")
    force_status(drafted_letter, Letter.Status.IN_REVIEW)
    answers = []
    page.on("response", lambda r: answers.append(r.status) if r.request.method == "POST" else None)
    text = page.get_by_label("Text", exact=True)

    with page.expect_response(lambda r: r.request.method == "POST"):
        text.fill("First change.")
    text.fill("Second change.")
    page.wait_for_timeout(1000)  # longer than the preview waits after typing

    assert answers == [403]
    expect(page.frame_locator(PREVIEW).locator("section.finding--overview li").first).to_have_text(
        "Leaders know their services well."
    )


def test_a_save_refused_because_the_letter_was_submitted_keeps_the_text(
    signed_in_page, drafted_letter
):
    """Submitted from another tab while an item was being written: saving shows what
    happened and the text to copy, with no serious accessibility problem."""
    from tests.browser.axe import assert_no_serious_violations

    page = signed_in_page
    item = Item.objects.filter(section__letter=drafted_letter).order_by("pk").first()
    page.goto(f"/visits/{drafted_letter.visit.pk}/letter/items/{item.pk}/")
    force_status(drafted_letter, Letter.Status.IN_REVIEW)
    typed = "Twenty minutes of careful wording about the front door."
    page.get_by_label("Text", exact=True).fill(typed)
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text("Your change was not saved")
    expect(
        page.get_by_text("submitted for quality assurance while you were writing")
    ).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(typed)
    assert_no_serious_violations(page)
    assert Item.objects.get(pk=item.pk).text != typed
