"""Fuzz: Hypothesis-generated input to every form and command. Figure: server errors (goal 0).

Each form is posted by a user who may use it; the database is shared by the examples of
one test, and what an example may have changed that matters (the letter's status, a
deleted item or section) is put back at its start.
"""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.forms import RecipientForm
from letters.drafting.forms import ClosingForm, ItemForm, OpeningForm, SectionForm
from letters.models import Letter
from tests.factories import (
    FocusAreaFactory,
    InspectorFactory,
    ItemFactory,
    SectionFactory,
    UserFactory,
    force_status,
    inspector_user,
    letter_led_by,
    qa_manager_user,
)

pytestmark = pytest.mark.django_db

# The example count comes from the Hypothesis profile (tests/conftest.py): 500 in CI.
EXAMPLES = settings.default.max_examples
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Text as a browser can send it: any code point but lone surrogates, controls included.
any_char = st.characters(exclude_categories=("Cs",))
texts = st.one_of(
    st.text(any_char, max_size=40),
    st.text(st.characters(max_codepoint=0x7F), max_size=40),
    st.builds(lambda s, n: s * n, st.text(any_char, min_size=1, max_size=4), st.integers(1, 6000)),
    st.sampled_from(["", " ", "\x00", "\r\n\r\n", "<script>alert(1)</script>", "{{ x }}", "‮"]),
)
numbers = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.integers(-3, 40).map(str),
    st.sampled_from(["0", "00", "0000", "-0", "1e9", "NaN", "inf", "٣", "²", " 7 ", "0x10", "1.5"]),
)
values = st.one_of(texts, numbers)
field_values = st.one_of(values, st.lists(values, min_size=2, max_size=3))
EXTRA = ["csrfmiddlewaretoken", "next", "id", "pk", "status", "revision", "__proto__", "a" * 300]
DATE_PARTS = [f"{name}_{n}" for name in ("start_date", "end_date", "letter_date") for n in "012"]


def form_data(fields):
    """Any subset of the form's fields (so some are missing) and some extra ones."""
    return st.dictionaries(st.sampled_from([*fields, *EXTRA]), field_values, max_size=12)


def dates():
    """Date inputs: real and unreal days (31/02, year 0), with the form's other fields."""
    parts = st.fixed_dictionaries(
        {
            "start_date_0": st.one_of(st.sampled_from(["31", "29", "0", "1", ""]), numbers),
            "start_date_1": st.one_of(st.sampled_from(["2", "13", "0", ""]), numbers),
            "start_date_2": st.one_of(
                st.sampled_from(["0", "0000", "2024", "9999", "10000", "1900", ""]), numbers
            ),
        }
    )
    return parts


def record(name, examples, errors):
    print(f"fuzz: {name}: {examples} examples, server errors: {len(errors)}")
    assert errors == [], errors[:3]


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    inspector = inspector_user()
    qa = qa_manager_user()
    letter = letter_led_by(inspector)
    InspectorFactory.create_batch(2)
    FocusAreaFactory.create_batch(2)
    return {"inspector": inspector, "qa": qa, "letter": letter, "visit": letter.visit}


def signed_in(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def reset(letter, status=Letter.Status.DRAFT):
    force_status(letter, status)


def a_section(letter):
    section = letter.sections.order_by("position").first()
    return section or SectionFactory(letter=letter, position=1)


def an_item(letter):
    section = a_section(letter)
    item = section.items.order_by("position").first()
    return item or ItemFactory(section=section, position=1)


VISIT_FIELDS = ["authority", "kind", "office", "qa_manager", "focus_areas", *DATE_PARTS]


def posted(form_class):
    """The fields a page posts: its form's, and the revision the page was based on."""
    return [*form_class._meta.fields, "revision"]


RECIPIENT_FIELDS = posted(RecipientForm)
OPENING_FIELDS = posted(OpeningForm)
CLOSING_FIELDS = posted(ClosingForm)
SECTION_FIELDS = posted(SectionForm)
ITEM_FIELDS = posted(ItemForm)

# Values that are often valid, mixed in so that examples reach the saving code too.
PLAUSIBLE = {
    "kind": st.sampled_from(["focused", "pilot", "overview", "findings", "improvement", "x"]),
    "style": st.sampled_from(["bullet", "paragraph", "numbered", "x"]),
    "role": st.sampled_from(["lead", "inspector", "hmi_designate", "x"]),
    "revision": st.one_of(st.integers(0, 4).map(str), numbers),
    "direction": st.sampled_from(["up", "down", "sideways", ""]),
    "list_focus_areas": st.sampled_from(["on", "true", "false", ""]),
}


@st.composite
def posted(draw, fields, with_dates=False):
    data = draw(form_data(fields))
    for name in fields:
        if name in PLAUSIBLE and draw(st.booleans()):
            data[name] = draw(PLAUSIBLE[name])
        elif name in ("authority", "office", "qa_manager", "inspector", "item") and draw(
            st.booleans()
        ):
            data[name] = str(draw(st.integers(0, 12)))
        elif name == "focus_areas" and draw(st.booleans()):
            data[name] = [str(n) for n in draw(st.lists(st.integers(0, 12), max_size=4))]
    if with_dates and draw(st.booleans()):
        data.update(draw(dates()))
    return data


def fuzz_form(name, client, url_of, fields, *, before=None, with_dates=False):
    """Post generated data to a form page; count the server errors."""
    errors, count = [], []

    @FUZZ
    @given(data=posted(fields, with_dates))
    def run(data):
        if before:
            before()
        url = url_of()
        response = client.post(url, data)
        count.append(1)
        if response.status_code >= 500:
            errors.append((url, data, response.status_code))

    run()
    record(name, len(count), errors)


def visit_url(name, world):
    return lambda: reverse(name, args=[world["visit"].pk])


def test_fuzz_visit_create(world):
    fuzz_form(
        "letters:visit-create",
        signed_in(world["inspector"]),
        lambda: reverse("letters:visit-create"),
        VISIT_FIELDS,
        with_dates=True,
    )


def test_fuzz_visit_edit(world):
    fuzz_form(
        "letters:visit-edit",
        signed_in(world["inspector"]),
        visit_url("letters:visit-edit", world),
        [*VISIT_FIELDS, "revision"],
        before=lambda: reset(world["letter"]),
        with_dates=True,
    )


def test_fuzz_visit_recipient(world):
    fuzz_form(
        "letters:visit-recipient",
        signed_in(world["inspector"]),
        visit_url("letters:visit-recipient", world),
        RECIPIENT_FIELDS,
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_visit_team(world):
    fuzz_form(
        "letters:visit-team",
        signed_in(world["inspector"]),
        visit_url("letters:visit-team", world),
        ["inspector", "role"],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_visit_focus_areas(world):
    fuzz_form(
        "letters:visit-focus-areas",
        signed_in(world["inspector"]),
        visit_url("letters:visit-focus-areas", world),
        ["focus_areas", "revision"],
        before=lambda: reset(world["letter"]),
    )


def big(value, bits=63):
    try:
        return abs(int(value)) >= 2**bits
    except (TypeError, ValueError):
        return False


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_date_part_beyond_a_c_int(world):
    client = signed_in(world["inspector"])
    data = {"start_date_0": str(2**40), "start_date_1": "1", "start_date_2": "2024"}
    response = client.post(reverse("letters:visit-create"), data)
    assert response.status_code < 500


def test_sign_in_with_a_long_username(world):
    client = signed_in(None)
    response = client.post(reverse("accounts:login"), {"username": "a" * 300, "password": "x"})
    assert response.status_code < 500


def test_focus_areas_huge_id(world):
    client = signed_in(world["inspector"])
    url = reverse("letters:visit-focus-areas", args=[world["visit"].pk])
    response = client.post(url, {"revision": "1", "focus_areas": [str(2**64)]})
    assert response.status_code < 500


def test_fuzz_letter_opening(world):
    fuzz_form(
        "letters:letter-opening",
        signed_in(world["inspector"]),
        visit_url("letters:letter-opening", world),
        OPENING_FIELDS,
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_letter_closing(world):
    fuzz_form(
        "letters:letter-closing",
        signed_in(world["inspector"]),
        visit_url("letters:letter-closing", world),
        CLOSING_FIELDS,
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_section_add(world):
    fuzz_form(
        "letters:section-add",
        signed_in(world["inspector"]),
        visit_url("letters:section-add", world),
        SECTION_FIELDS[:-1],
        before=lambda: reset(world["letter"]),
    )


def section_url(name, world):
    letter = world["letter"]
    return lambda: reverse(name, args=[letter.visit_id, a_section(letter).pk])


def item_url(name, world):
    letter = world["letter"]
    return lambda: reverse(name, args=[letter.visit_id, an_item(letter).pk])


def test_fuzz_section_edit(world):
    fuzz_form(
        "letters:section-edit",
        signed_in(world["inspector"]),
        section_url("letters:section-edit", world),
        SECTION_FIELDS,
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_item_add(world):
    fuzz_form(
        "letters:item-add",
        signed_in(world["inspector"]),
        section_url("letters:item-add", world),
        ITEM_FIELDS[:-1],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_item_edit(world):
    fuzz_form(
        "letters:item-edit",
        signed_in(world["inspector"]),
        item_url("letters:item-edit", world),
        ITEM_FIELDS,
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_item_delete(world):
    fuzz_form(
        "letters:item-delete",
        signed_in(world["inspector"]),
        item_url("letters:item-delete", world),
        ["revision"],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_section_delete(world):
    fuzz_form(
        "letters:section-delete",
        signed_in(world["inspector"]),
        section_url("letters:section-delete", world),
        ["revision"],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_item_move(world):
    fuzz_form(
        "letters:item-move",
        signed_in(world["inspector"]),
        item_url("letters:item-move", world),
        ["direction"],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_section_move(world):
    fuzz_form(
        "letters:section-move",
        signed_in(world["inspector"]),
        section_url("letters:section-move", world),
        ["direction"],
        before=lambda: reset(world["letter"]),
    )


def test_fuzz_review_comment(world):
    an_item(world["letter"])
    fuzz_form(
        "letters:review-comment",
        signed_in(world["qa"]),
        lambda: reverse("letters:review-comment", args=[world["visit"].pk]),
        ["item", "text"],
        before=lambda: reset(world["letter"], Letter.Status.IN_REVIEW),
    )


def test_fuzz_review_return(world):
    fuzz_form(
        "letters:review-return",
        signed_in(world["qa"]),
        lambda: reverse("letters:review-return", args=[world["visit"].pk]),
        ["return-text", "text"],
        before=lambda: reset(world["letter"], Letter.Status.IN_REVIEW),
    )


def test_fuzz_login(world):
    UserFactory(username="known")
    fuzz_form(
        "login",
        signed_in(None),
        lambda: reverse("accounts:login"),
        ["username", "password", "next"],
    )


def test_fuzz_two_factor_setup(world):
    fuzz_form(
        "two-factor-setup",
        signed_in(world["qa"]),
        lambda: reverse("accounts:two-factor-setup"),
        ["code", "next"],
    )


# Commands ---------------------------------------------------------------------------

LETTER_LINES = st.one_of(
    st.sampled_from(
        [
            "## Focused visit to Fernshire children's services",
            "Dear Ms Morgan",
            "Ms Alex Morgan",
            "Director of Children's Services",
            "Civic Centre",
            "FN1 1AA",
            "2 April 2024",
            # Unreal dates on a line of their own: test_import_letter_unreal_letter_date.
            "This letter summarises the findings of the focused visit to Fernshire children's "
            "services on 31 and 32 February 2024. Her Majesty's Inspectors Robin Ashdown and "
            "Sam Whitlow undertook the visit.",
            "### Overview",
            "### Areas for improvement",
            "### Areas for priority action",
            "- A finding.",
            "* A bullet",
            "1. A numbered paragraph",
            "Yours sincerely",
            "Robin Ashdown",
            "**Her Majesty's Inspector**",
            "cc: Someone",
            "",
            "Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231",
        ]
    ),
    st.text(any_char, max_size=60),
)
letter_texts = st.lists(LETTER_LINES, max_size=40).map("\n".join)
letter_files = st.one_of(
    letter_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=2000),
    st.binary(max_size=2000).map(lambda b: b"%PDF-1.7\n" + b),
    letter_texts.map(lambda t: t.encode("utf-16")),
    st.just(b"\xef\xbb\xbf"),
)


def test_import_letter_unreal_letter_date(tmp_path):
    path = tmp_path / "letter.md"
    path.write_text(
        "31 February 2024\n\nDear Ms Morgan\n\n"
        "## Focused visit to Fernshire children's services\n\nText.\n"
    )
    with pytest.raises(CommandError):
        call_command("import_letter", str(path), stdout=open_null(), stderr=open_null())


def one_line(error):
    message = str(error)
    assert message and "\n" not in message.strip(), message


def test_fuzz_import_letter(tmp_path):
    outcomes = {"imported": 0, "refused": 0}
    errors = []

    @FUZZ
    @given(content=letter_files)
    def run(content):
        path = tmp_path / "letter.md"
        path.write_bytes(content)
        try:
            call_command("import_letter", str(path), stdout=open_null(), stderr=open_null())
        except CommandError as error:
            one_line(error)
            outcomes["refused"] += 1
        except Exception as error:
            errors.append((content[:200], repr(error)))
        else:
            outcomes["imported"] += 1

    run()
    total = sum(outcomes.values()) + len(errors)
    print(
        f"fuzz: import_letter: {total} examples ({outcomes['imported']} imported, "
        f"{outcomes['refused']} refused), server errors: {len(errors)}"
    )
    assert errors == [], sorted({e for _, e in errors})


def open_null():
    import io

    return io.StringIO()


def test_fuzz_render_letter(tmp_path, monkeypatch, world):
    """Generated visit ids (mostly not letters) and output paths: success or CommandError.

    Renders are kept cheap: the command's PDF step is replaced by a fixed small PDF, since
    what is fuzzed here is the command's handling of its arguments and of the file system.
    """
    monkeypatch.setattr(
        "letters.management.commands.render_letter.letter_pdf",
        lambda letter, draft=False: b"%PDF-1.7\n%fuzz\n",
    )
    existing = world["visit"].pk
    ids = st.one_of(
        st.integers(-(2**63), 2**63 - 1).map(str),
        st.just(str(existing)),
        st.sampled_from(["0", "-1", "abc", "", "1.5", "٣", " 1", "1e3", "9" * 18]),
        st.text(any_char, max_size=10),
    )
    outputs = st.one_of(
        st.sampled_from(["out.pdf", "missing/dir/out.pdf", "", ".", "..", "/", "/proc/x.pdf"]),
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30),
    )
    outcomes = {"written": 0, "refused": 0}
    errors = []

    @FUZZ
    @given(visit_id=ids, output=outputs, html=st.one_of(st.none(), outputs), draft=st.booleans())
    def run(visit_id, output, html, draft):
        args = [visit_id, "--output", str(tmp_path / output) if output else ""]
        if html is not None:
            args += ["--html", str(tmp_path / html) if html else ""]
        if draft:
            args.append("--draft")
        try:
            call_command("render_letter", *args, stdout=open_null(), stderr=open_null())
        except CommandError as error:
            one_line(error)
            outcomes["refused"] += 1
        except Exception as error:
            errors.append((args, repr(error)))
        else:
            outcomes["written"] += 1

    run()
    total = sum(outcomes.values()) + len(errors)
    print(
        f"fuzz: render_letter: {total} examples ({outcomes['written']} written, "
        f"{outcomes['refused']} refused), server errors: {len(errors)}"
    )
    assert errors == [], sorted({e for _, e in errors})


def test_render_letter_huge_visit_id(tmp_path):
    with pytest.raises(CommandError, match="No letter for visit"):
        call_command("render_letter", str(2**64), "--output", str(tmp_path / "x.pdf"))


def test_render_letter_path_with_nul(tmp_path, monkeypatch, world):
    monkeypatch.setattr(
        "letters.management.commands.render_letter.letter_pdf",
        lambda letter, draft=False: b"%PDF-1.7\n",
    )
    with pytest.raises(CommandError):
        call_command(
            "render_letter", str(world["visit"].pk), "--output", str(tmp_path / "a\x00b.pdf")
        )
