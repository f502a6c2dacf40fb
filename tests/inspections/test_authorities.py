"""The canonical list of authorities: its data, its loader and the matcher that maps
every written form of an authority to one record."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from inspections import authorities
from inspections.models import LocalAuthority, Region, Visit
from inspections.services import authorities_load
from tests.factories import LocalAuthorityFactory, inspector_user
from tests.letters.drafting.test_visit_views import new_visit_data

ROWS = authorities.read_rows()
CURRENT = [row for row in ROWS if not row.ended]


def test_the_list_has_every_english_authority_with_childrens_services():
    """153 current authorities: 21 counties, 36 metropolitan, 33 London, 63 unitary."""
    prefixes = [row.ons_code[:3] for row in CURRENT]
    assert len(CURRENT) == 153
    assert {p: prefixes.count(p) for p in set(prefixes)} == {
        "E10": 21,
        "E08": 36,
        "E09": 33,
        "E06": 63,
    }


def test_each_row_has_a_well_formed_unique_code_a_region_and_a_unique_name():
    """Codes like E06000001, once each; regions among the nine; names once each."""
    assert all(re.fullmatch(r"E(06|08|09|10)\d{6}", row.ons_code) for row in ROWS)
    assert len({row.ons_code for row in ROWS}) == len(ROWS)
    assert len({row.name for row in ROWS}) == len(ROWS)
    assert {row.region for row in ROWS} == set(Region.values)


def test_every_name_and_trust_maps_back_to_its_own_authority():
    """No two authorities share a written form, except a trust acting for several."""
    for row in ROWS:
        for name in (row.name, *row.other_names):
            assert authorities.canonical_code(name) == row.ons_code, name


@pytest.mark.django_db
def test_loading_adds_every_authority_with_its_code_and_region_and_audits_once():
    """A fresh database gets every row; one audit event says what was added."""
    counts = authorities_load(by=None)
    assert len(counts["created"]) == len(ROWS)
    assert LocalAuthority.objects.get(ons_code="E06000002").name == "Middlesbrough"
    assert LocalAuthority.objects.get(ons_code="E09000001").region == Region.LONDON
    assert AuditEvent.objects.filter(action="localauthority.load").count() == 1


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_writes_no_event():
    """The command is idempotent."""
    call_command("load_authorities", stdout=io.StringIO())
    before = list(LocalAuthority.objects.values_list("pk", "name", "ons_code", "region"))
    out = io.StringIO()
    call_command("load_authorities", stdout=out)
    assert list(LocalAuthority.objects.values_list("pk", "name", "ons_code", "region")) == before
    assert "0 added, 0 given their code or region" in out.getvalue()
    assert AuditEvent.objects.filter(action="localauthority.load").count() == 1


@pytest.mark.django_db
def test_loading_gives_an_existing_record_its_code_and_keeps_its_name():
    """An imported 'Slough Borough Council' becomes Slough's record; no second Slough."""
    existing = LocalAuthorityFactory(name="Slough Borough Council")
    authorities_load(by=None)
    existing.refresh_from_db()
    assert (existing.name, existing.ons_code, existing.region) == (
        "Slough Borough Council",
        "E06000039",
        Region.SOUTH_EAST,
    )
    assert not LocalAuthority.objects.filter(name="Slough").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Middlesbrough", "E06000002"),
        ("MIDDLESBROUGH COUNCIL", "E06000002"),
        ("Middlesbrough local authority", "E06000002"),
        ("Nottinghamshire County Council children’s services", "E10000024"),
        ("Slough Borough Council", "E06000039"),
        ("Slough Children First", "E06000039"),
        ("Doncaster Children's Services Trust", "E08000017"),
        ("Birmingham Children’s Trust", "E08000025"),
        ("Together for Children Sunderland", "E08000024"),
        ("Sandwell Children's Trust", "E08000028"),
        ("Bournemouth, Christchurch and Poole", "E06000058"),
        ("Bournemouth Christchurch & Poole Council", "E06000058"),
        ("Kingston upon Hull City Council", "E06000010"),
        ("Hull", "E06000010"),
        ("St. Helens", "E08000013"),
        ("St Helens Borough Council", "E08000013"),
        ("City of York Council", "E06000014"),
        ("London Borough of Barnet", "E09000003"),
        ("Royal Borough of Windsor and Maidenhead", "E06000040"),
        ("Telford & Wrekin", "E06000020"),
        ("Stockton on Tees", "E06000004"),
        ("Durham County Council", "E06000047"),
        ("Herefordshire, County of", "E06000019"),
    ],
)
def test_match_authority_maps_written_forms_to_one_record(written, code):
    """Case, council words, 'city of', '&', trusts, 'St.' and short names do not split
    an authority."""
    authorities_load(by=None)
    assert authorities.match_authority(written).ons_code == code


@pytest.mark.django_db
def test_a_trust_acting_for_several_authorities_names_none_of_them():
    """Achieving for Children acts for three councils: the name alone picks none."""
    authorities_load(by=None)
    assert authorities.match_authority("Achieving for Children") is None


@pytest.mark.django_db
def test_match_authority_finds_records_not_on_the_list_by_their_own_names():
    """A fictional authority, not loaded from the list, is found however it is written."""
    fernshire = LocalAuthorityFactory(name="Fernshire")
    assert authorities.match_authority("Fernshire County Council") == fernshire
    assert authorities.match_authority("Nowhere") is None


@pytest.mark.django_db
def test_the_visit_form_takes_a_typed_authority_name(client):
    """A name posted instead of an id chooses the one authority it matches."""
    authorities_load(by=None)
    client.force_login(inspector_user())
    data = new_visit_data(authority="Middlesbrough council")
    response = client.post(reverse("letters:visit-create"), data)
    assert response.status_code == 302
    assert Visit.objects.get().authority.ons_code == "E06000002"


@pytest.mark.django_db
def test_the_visit_form_refuses_a_name_that_matches_no_authority(client):
    """An unknown name is an invalid choice, as an unknown id is."""
    client.force_login(inspector_user())
    response = client.post(reverse("letters:visit-create"), new_visit_data(authority="Atlantis"))
    assert response.status_code == 200
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_an_ons_code_is_unique_but_many_authorities_may_have_none():
    """Blank codes repeat freely; a second record with a code already taken is refused."""
    LocalAuthorityFactory(ons_code="")
    LocalAuthorityFactory(ons_code="")
    LocalAuthorityFactory(ons_code="E06000002")
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalAuthorityFactory(ons_code="E06000002")
