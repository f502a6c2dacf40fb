"""The register as open data: each letter's JSON, the streamed CSV and JSON, the Atom
feed, and manage.py export_letters."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from inspections.models import Region, TeamMember
from letters.models import Letter
from letters.register import open_data
from letters.register.models import RegisterEntry
from tests.factories import InspectorFactory, LocalAuthorityFactory, TeamMemberFactory
from tests.letters.register.conftest import publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
COLUMNS = [name for name, _ in open_data.CSV_COLUMNS]


@pytest.fixture
def fernshire():
    return LocalAuthorityFactory(name="Fernshire", ons_code="E06000099", region=Region.LONDON)


@pytest.fixture
def letter(make_letter, fernshire):
    return make_letter(
        authority=fernshire,
        themes=["Care leavers"],
        priority=["Make sure care leavers have a pathway plan."],
    )


def streamed(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_a_letters_json_holds_its_structured_content(client, letter):
    """Authority and code, region, dates, team and roles, themes, sections and items,
    priority actions, and the links to read it."""
    response = client.get(reverse("letters:register-letter-json", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    version = letter.versions.get()
    assert data["id"] == letter.pk and data["version"] == 1
    assert data["authority"] == {
        "name": "Fernshire",
        "ons_code": "E06000099",
        "region": "London",
        "region_code": "london",
    }
    assert data["visit"] == {
        "kind": "focused",
        "start_date": "2024-03-05",
        "end_date": "2024-03-06",
    }
    assert data["letter_date"] == "2024-04-02"
    assert [(m["name"], m["role"]) for m in data["team"]] == [
        ("Robin Ashdown", "lead"),
        ("Sam Whitlow", "inspector"),
    ]
    assert data["themes"] == ["Care leavers"]
    assert [s["heading"] for s in data["sections"]] == [
        "Overview",
        "Areas for improvement",
        "Areas for priority action",
    ]
    assert data["sections"][0]["items"][0]["text"] == "Leaders know their services well."
    assert data["has_priority_actions"] is True
    assert data["priority_actions"] == ["Make sure care leavers have a pathway plan."]
    assert data["links"]["pdf"] == "http://testserver" + reverse(
        "letters:version-pdf", args=[version.pk]
    )


def test_the_team_keeps_its_roles_and_the_lead_comes_first(client, make_letter):
    """An HMI designate on the team is named with that role."""
    letter = make_letter(status=Letter.Status.DRAFT)
    TeamMemberFactory(
        visit=letter.visit,
        inspector=InspectorFactory(full_name="Kim Ford"),
        role=TeamMember.Role.HMI_DESIGNATE,
        position=9,
    )
    publish(letter)
    data = client.get(reverse("letters:register-letter-json", args=[letter.pk])).json()
    assert data["team"][0]["role"] == "lead"
    assert data["team"][-1] == {
        "name": "Kim Ford",
        "role": "designate",
        "role_name": "HMI designate",
        "grade": "HMI",
    }


def test_the_csv_is_streamed_with_the_documented_columns(client, letter):
    """The whole register as CSV: a streamed response, its header the documented columns,
    one row a letter."""
    response = client.get(reverse("letters:register-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(streamed(response))))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 1
    row = rows[0]
    assert row["letter_id"] == str(letter.pk)
    assert row["authority"] == "Fernshire" and row["ons_code"] == "E06000099"
    assert row["region"] == "London"
    assert row["lead_inspector"] == "Robin Ashdown"
    assert row["team"] == "Robin Ashdown (Lead inspector); Sam Whitlow (Team inspector)"
    assert row["themes"] == "Care leavers"
    assert row["has_priority_actions"] == "yes"
    assert row["visit_start"] == "2024-03-05"


def test_the_csv_streams_in_chunks(client, make_letter, monkeypatch):
    """Rows leave a chunk at a time, not built whole in memory."""
    monkeypatch.setattr(open_data, "CHUNK_ROWS", 2)
    for day in range(1, 6):
        make_letter(start=datetime.date(2023, 1, day))
    response = client.get(reverse("letters:register-csv"))
    chunks = [chunk for chunk in response.streaming_content if chunk]
    assert len(chunks) == 3
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 6


def test_the_whole_register_as_json_is_streamed(client, letter, make_letter):
    """The JSON download is a streamed list of the same records as each letter's JSON."""
    make_letter(start=datetime.date(2023, 1, 1))
    response = client.get(reverse("letters:register-json"))
    data = json.loads(streamed(response))
    assert len(data) == 2
    one = client.get(reverse("letters:register-letter-json", args=[letter.pk])).json()
    assert one in data


def test_the_atom_feed_lists_new_publications_newest_first(client, make_letter):
    """An Atom feed whose entries are the letters' pages, the newest publication first."""
    old = make_letter(start=datetime.date(2021, 1, 1))
    new = make_letter(start=datetime.date(2023, 1, 1))
    draft = make_letter(status=Letter.Status.FINAL)
    response = client.get(reverse("letters:register-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert links == [
        "http://testserver" + reverse("letters:register-letter", args=[new.pk]),
        "http://testserver" + reverse("letters:register-letter", args=[old.pk]),
    ]
    assert str(draft.pk) not in [link.rsplit("/", 2)[-2] for link in links]


def test_the_open_data_page_documents_every_column(client):
    """The open-data page names each CSV column and JSON field, to anyone."""
    page = client.get(reverse("letters:register-open-data")).content.decode()
    for name in COLUMNS:
        assert f"<code>{name}</code>" in page
    for name, _ in open_data.JSON_FIELDS:
        assert f"<code>{name}</code>" in page


def test_export_letters_writes_the_same_csv(client, letter, tmp_path, settings):
    """manage.py export_letters --format csv writes the download's rows, with the portal's
    addresses."""
    settings.PORTAL_URL = "https://letters.example.gov.uk"
    output = tmp_path / "letters.csv"
    call_command("export_letters", "--format", "csv", "--output", str(output))
    with output.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == COLUMNS
    assert rows[0]["letter_id"] == str(letter.pk)
    assert rows[0]["page_url"] == "https://letters.example.gov.uk" + reverse(
        "letters:register-letter", args=[letter.pk]
    )


def test_export_letters_writes_json_to_stdout(letter, capsys, settings):
    """manage.py export_letters --format json prints the register as a JSON list."""
    settings.PORTAL_URL = ""
    call_command("export_letters", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in data] == [letter.pk]
    assert data[0]["links"]["page"] == reverse("letters:register-letter", args=[letter.pk])


def test_register_rebuild_adds_letters_published_before_the_register(make_letter):
    """Letters published without an entry get one; running it again adds none."""
    letter = make_letter()
    RegisterEntry.objects.filter(letter=letter).delete()
    out = io.StringIO()
    call_command("register_rebuild", stdout=out)
    assert "1 letters added" in out.getvalue()
    assert RegisterEntry.objects.get(letter=letter).current
    call_command("register_rebuild", stdout=out)
    assert RegisterEntry.objects.filter(letter=letter).count() == 1
