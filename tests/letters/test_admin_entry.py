"""The seed letter entered entirely through the admin's forms renders as the import does."""

import io

import pypdf
import pytest
from django.urls import reverse

from inspections.models import FocusArea, Inspector, LocalAuthority, Office, Visit
from letters.importing.parse import parse_letter_text, read_text
from letters.importing.services import import_letter_file
from letters.models import Letter, Section
from letters.rendering.compose import letter_queryset
from letters.rendering.pdf import letter_pdf
from tests.factories import UserFactory


def pdf_text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return [page.extract_text() for page in reader.pages]


def inline(prefix, rows):
    """Form data for an admin inline formset of new rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def post_add(client, model, data):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return model.objects.order_by("-pk").first()


def enter_through_admin(client, parsed):
    recipient = parsed.recipient
    authority = post_add(
        client, LocalAuthority, {"name": parsed.authority_name, **inline("users", [])}
    )
    office = post_add(
        client,
        Office,
        {
            "name": "London",
            "address": "\n".join(parsed.office.address_lines),
            "telephone": parsed.office.telephone,
            "email": parsed.office.email,
            "web_address": parsed.office.web_address,
            "logo_alt_text": "Ofsted",
        },
    )
    inspectors = [
        post_add(client, Inspector, {"full_name": member.name, "grade": member.grade})
        for member in parsed.team
    ]
    qa_manager = post_add(
        client, Inspector, {"full_name": parsed.qa_manager.name, "grade": "Senior HMI"}
    )
    areas = [
        post_add(client, FocusArea, {"name": f"Area {n}", "wording": text, "is_active": "on"})
        for n, text in enumerate(parsed.focus_areas)
    ]
    visit = post_add(
        client,
        Visit,
        {
            "authority": authority.pk,
            "kind": "pilot",
            "start_date": parsed.start_date.isoformat(),
            "letter_date": parsed.letter_date.isoformat(),
            "office": office.pk,
            "qa_manager": qa_manager.pk,
            "recipient_name": recipient["name"],
            "recipient_job_title": "\n".join(recipient["job_title"]),
            "recipient_address": "\n".join(recipient["address"]),
            "recipient_postcode": recipient["postcode"],
            "salutation": parsed.salutation,
            **inline(
                "team",
                [
                    {"inspector": inspector.pk, "role": member.role, "position": n}
                    for n, (inspector, member) in enumerate(
                        zip(inspectors, parsed.team, strict=True)
                    )
                ],
            ),
            **inline(
                "visit_focus_areas",
                [{"focus_area": area.pk, "position": n} for n, area in enumerate(areas)],
            ),
        },
    )
    letter = post_add(
        client,
        Letter,
        {
            "visit": visit.pk,
            "title": parsed.title,
            "introduction": "\n\n".join(parsed.introduction),
            "scope_lead_in": "\n\n".join(parsed.scope_lead_in),
            "list_focus_areas": "on",
            "preamble": "\n\n".join(parsed.preamble),
            "closing": "",
            "sign_off": parsed.sign_off,
            **inline(
                "sections",
                [
                    {"position": n, "kind": section.kind, "heading": section.heading}
                    for n, section in enumerate(parsed.sections, start=1)
                ],
            ),
        },
    )
    for section, parsed_section in zip(
        letter.sections.order_by("position"), parsed.sections, strict=True
    ):
        url = reverse("admin:letters_section_change", args=[section.pk])
        response = client.post(
            url,
            {
                "letter": letter.pk,
                "position": section.position,
                "kind": section.kind,
                "heading": section.heading,
                **inline(
                    "items",
                    [
                        {"position": n, "style": item.style, "text": item.text}
                        for n, item in enumerate(parsed_section.items, start=1)
                    ],
                ),
            },
        )
        assert response.status_code == 302
    return letter


@pytest.mark.django_db
def test_seed_entered_in_the_admin_renders_like_the_import(client, seed_path):
    """A letter typed into the admin prints the same text as the same letter imported."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    parsed = parse_letter_text(read_text(seed_path))
    entered = enter_through_admin(client, parsed)
    imported, _ = import_letter_file(seed_path)

    assert Section.objects.filter(letter=entered).count() == 3
    assert entered.sections.get(position=2).items.count() == 12
    imported_text = pdf_text(letter_pdf(letter_queryset().get(visit=imported)))
    entered_text = pdf_text(letter_pdf(letter_queryset().get(pk=entered.pk)))
    assert entered_text == imported_text
