"""The demo's published letters (`manage.py load_demo`): fictional findings, written like
the seed letter (letters/importing/demo/fernshire-focused-visit.md), for fictional
authorities in each of England's regions, so that the public register, its filters and
its charts show something. Every authority and person named here is made up.

Each letter is written as text and saved by the importer (letters.importing.services),
then submitted, approved and published through the services; its visit's
`imported_from` is its `source`, which makes loading it again a no-op.
"""

import datetime
from dataclasses import dataclass

from letters.rendering import wording

# Made-up inspectors: (lead, other inspector). Tamsin Carrow, the demo's register HMI
# (a user of her own), is on every team, so that she can submit the letters.
REGISTER_HMI = "Tamsin Carrow"
QA_MANAGER = "Hazel Penrose"  # the demo's QA manager (the `qa-manager` user)

THEMES = {
    "front door": (
        "arrangements for contacts and referrals at the front door",
        [
            "The timeliness and quality of decisions when children are first referred.",
            "The application of thresholds for early help and statutory services.",
        ],
    ),
    "cin": (
        "arrangements for children in need and children subject to a child protection plan",
        [
            "The quality and impact of assessment and planning for children in need of help "
            "and protection.",
            "The quality of management oversight of work with children and their families.",
        ],
    ),
    "care": (
        "arrangements for children in care",
        [
            "The quality of planning for children in care, and how well it is reviewed.",
            "The stability of children's homes and the matching of children with carers.",
        ],
    ),
    "leavers": (
        "arrangements for care leavers",
        [
            "The quality of pathway planning and the support young people receive.",
            "The suitability of care leavers' accommodation and their access to education, "
            "employment and training.",
        ],
    ),
    "permanence": (
        "arrangements for permanence planning",
        [
            "The timeliness of decisions about where children will live permanently.",
            "The quality of support for special guardians and adoptive families.",
        ],
    ),
    "efr": (
        "arrangements for children at risk of exploitation and children who go missing",
        [
            "The response to children at risk of harm outside their homes.",
            "The quality of return home conversations and of multi-agency risk planning.",
        ],
    ),
    "disabled": (
        "arrangements for disabled children",
        [
            "The quality of assessments and plans for disabled children.",
            "The support given to disabled children and their families through transitions.",
        ],
    ),
}

STRENGTHS = {
    "front door": [
        "Contacts are screened promptly by experienced social workers. Decisions are "
        "timely and the reasons for them are clearly recorded.",
        "Partners at the front door share information well, and parents are told when "
        "their consent is needed and why.",
    ],
    "cin": [
        "Social workers know their children well and see them regularly, alone when that "
        "is right for the child.",
        "Strategy discussions are held promptly and are well attended by the police and "
        "health partners.",
    ],
    "care": [
        "Children in care are visited regularly by social workers who know them well. "
        "Children's views are sought and recorded in their own words.",
        "Independent reviewing officers challenge drift and make sure that plans are "
        "reviewed on time.",
    ],
    "leavers": [
        "Personal advisers keep in touch with care leavers and are tenacious when young "
        "people are hard to reach.",
        "Most care leavers live in suitable accommodation, and the local offer is well "
        "understood by young people.",
    ],
    "permanence": [
        "Decisions about permanence are made at the second review for most children, and "
        "later life letters are written with care.",
        "Special guardians receive a clear support plan and know whom to contact when "
        "they need help.",
    ],
    "efr": [
        "Children who go missing are offered a return home conversation by a worker they "
        "know, and what they say informs their plans.",
        "The multi-agency exploitation panel shares information well and acts quickly "
        "to disrupt those who harm children.",
    ],
    "disabled": [
        "The disabled children's team knows children well and uses a range of ways to "
        "communicate with children who do not use words.",
        "Short breaks are well matched to children's needs and help families to stay together.",
    ],
}

IMPROVEMENTS = {
    "front door": [
        "Some contacts are passed back to partners without enough exploration of what "
        "life is like for the child.",
    ],
    "cin": [
        "Child in need and child protection plans are not always specific, and "
        "contingency plans are often missing.",
    ],
    "care": [
        "Too many children have moved home more than once in the last year, and the "
        "sufficiency of local placements is limited.",
    ],
    "leavers": [
        "Pathway plans do not always set out what will happen next for young people's "
        "health and emotional well-being.",
    ],
    "permanence": [
        "A small number of children wait too long for a permanence decision when "
        "proceedings are delayed.",
    ],
    "efr": [
        "Risk assessments for children at risk of exploitation are not updated when "
        "children's circumstances change.",
    ],
    "disabled": [
        "Transition planning for disabled young people approaching adulthood starts too "
        "late for some young people.",
    ],
}


@dataclass(frozen=True)
class DemoLetter:
    source: str
    authority: str
    region: str  # inspections.models.Region's value
    organisation: str
    address: tuple
    postcode: str
    director: tuple  # (honorific, name)
    start: datetime.date
    theme: str
    lead: str
    inspector: str
    overview: str
    priority_actions: tuple = ()


LETTERS = [
    DemoLetter(
        "demo-register-eastmarsh-2019.md",
        "Eastmarsh",
        "east-of-england",
        "Eastmarsh County Council",
        ("County Hall", "Mere Lane", "Marshby"),
        "EM1 2DH",
        ("Mr", "Alan Whitsey"),
        datetime.date(2019, 6, 11),
        "front door",
        REGISTER_HMI,
        "Gareth Pellow",
        "Children referred to Eastmarsh's front door receive a timely and proportionate response.",
    ),
    DemoLetter(
        "demo-register-calderbridge-2019.md",
        "Calderbridge",
        "yorkshire-and-the-humber",
        "Calderbridge City Council",
        ("Civic Hall", "Weaver Street", "Calderbridge"),
        "CB1 1UR",
        ("Ms", "Joanna Brisk"),
        datetime.date(2019, 11, 5),
        "leavers",
        "Nadia Fenwick",
        REGISTER_HMI,
        "Care leavers in Calderbridge are well supported by personal advisers who know them well.",
    ),
    DemoLetter(
        "demo-register-penwithey-2020.md",
        "Penwithey",
        "south-west",
        "Penwithey Council",
        ("New County Hall", "Tregarn Road", "Penwithey"),
        "PW1 3AY",
        ("Mr", "Colin Treleaven"),
        datetime.date(2020, 2, 4),
        "care",
        REGISTER_HMI,
        "Owen Tregarth",
        "Most children in care in Penwithey live in stable homes that meet their needs.",
    ),
    DemoLetter(
        "demo-register-dervenford-2021.md",
        "Dervenford",
        "east-midlands",
        "Dervenford City Council",
        ("Council House", "Corporation Street", "Dervenford"),
        "DV1 2FS",
        ("Ms", "Ruth Ellery"),
        datetime.date(2021, 9, 14),
        "efr",
        "Gareth Pellow",
        REGISTER_HMI,
        "The response to children at risk of exploitation in Dervenford is too variable.",
        (
            "The quality and timeliness of risk assessment and planning for children at "
            "risk of exploitation.",
            "Management oversight of the work with children who go missing from home or care.",
        ),
    ),
    DemoLetter(
        "demo-register-southfold-2022.md",
        "Southfold",
        "east-of-england",
        "Southfold County Council",
        ("Endeavour House", "8 Harbour Road", "Foldwich"),
        "SF1 2BX",
        ("Mr", "Tobias Ranworth"),
        datetime.date(2022, 5, 17),
        "permanence",
        REGISTER_HMI,
        "Nadia Fenwick",
        "Most children in Southfold who cannot live with their families achieve permanence "
        "without delay.",
    ),
    DemoLetter(
        "demo-register-wyrrow-2022.md",
        "Wyrrow",
        "north-west",
        "Wyrrow Council",
        ("Town Hall", "Quay Street", "Wyrrow"),
        "WY4 8ED",
        ("Ms", "Fiona Ledsham"),
        datetime.date(2022, 11, 8),
        "cin",
        "Owen Tregarth",
        REGISTER_HMI,
        "Children in need of help and protection in Wyrrow do not consistently receive a "
        "timely response.",
        (
            "The quality of child protection plans, so that they say what must change for "
            "the child and by when.",
            "The capacity of the workforce, so that caseloads allow social workers to "
            "see children as often as their plans require.",
        ),
    ),
    DemoLetter(
        "demo-register-ashbury-vale-2023.md",
        "Ashbury Vale",
        "london",
        "London Borough of Ashbury Vale",
        ("Civic Offices", "St Anselm Way", "Ashbury"),
        "AV1 1EA",
        ("Dr", "Imogen Carshal"),
        datetime.date(2023, 3, 21),
        "disabled",
        REGISTER_HMI,
        "Gareth Pellow",
        "Disabled children in Ashbury Vale are well known to the social workers who support them.",
    ),
    DemoLetter(
        "demo-register-ousebridge-2023.md",
        "Ousebridge",
        "yorkshire-and-the-humber",
        "City of Ousebridge Council",
        ("West Offices", "Station Rise", "Ousebridge"),
        "OB1 6GA",
        ("Mr", "Peter Ousegate"),
        datetime.date(2023, 10, 10),
        "front door",
        "Nadia Fenwick",
        REGISTER_HMI,
        "The front door in Ousebridge has improved since the last inspection.",
    ),
    DemoLetter(
        "demo-register-tynemouth-reach-2024.md",
        "Tynemouth Reach",
        "north-east",
        "Tynemouth Reach Council",
        ("Civic Centre", "Regent Street", "Reachton"),
        "TR8 1HH",
        ("Ms", "Lorna Tyneley"),
        datetime.date(2024, 6, 4),
        "care",
        REGISTER_HMI,
        "Owen Tregarth",
        "Too many children in care in Tynemouth Reach have experienced changes of social worker "
        "and of home.",
        (
            "The sufficiency and stability of homes for children in care.",
            "The timeliness of reviews of children's care plans.",
        ),
    ),
    DemoLetter(
        "demo-register-wolds-and-fens-2025.md",
        "Wolds and Fens",
        "east-midlands",
        "Wolds and Fens County Council",
        ("County Offices", "Newland", "Fenchester"),
        "WF1 1YL",
        ("Mr", "David Wragby"),
        datetime.date(2025, 1, 28),
        "leavers",
        "Gareth Pellow",
        REGISTER_HMI,
        "Care leavers in Wolds and Fens receive consistently good support.",
    ),
    DemoLetter(
        "demo-register-kingsmead-2025.md",
        "Kingsmead",
        "south-east",
        "Kingsmead City Council",
        ("Civic", "1 Saxon Gate East", "Kingsmead"),
        "KM9 3EJ",
        ("Ms", "Anika Brickhill"),
        datetime.date(2025, 9, 16),
        "efr",
        REGISTER_HMI,
        "Nadia Fenwick",
        "Children at risk of harm outside their homes in Kingsmead are well protected.",
    ),
    DemoLetter(
        "demo-register-severnport-2026.md",
        "Severnport",
        "south-west",
        "Severnport City Council",
        ("City Hall", "College Green", "Severnport"),
        "SP1 5TR",
        ("Mr", "Samuel Avonby"),
        datetime.date(2026, 3, 10),
        "cin",
        "Owen Tregarth",
        REGISTER_HMI,
        "Most children in need of help and protection in Severnport receive a timely response.",
    ),
]


def _day(date):
    return f"{date.day} {date:%B %Y}"


def letter_text(letter):
    """The letter as text, in the seed letter's form."""
    end = letter.start + datetime.timedelta(days=1)
    letter_date = end + datetime.timedelta(days=28)
    possessive = wording.monarch_possessive(letter_date)
    scope, focus_areas = THEMES[letter.theme]
    honorific, name = letter.director
    surname = name.split()[-1]
    lines = [
        "Piccadilly Gate Store Street Manchester M1 2WD **T** 0300 123 1231 "
        "enquiries@ofsted.gov.uk www.gov.uk/ofsted",
        "",
        _day(letter_date),
        "",
        f"{honorific} {name}",
        "Director of Children's Services",
        letter.organisation,
        *letter.address,
        letter.postcode,
        "",
        f"Dear {honorific} {surname}",
        "",
        f"## Focused visit to {letter.authority} children's services",
        "",
        f"This letter summarises the findings of a focused visit to {letter.authority} "
        f"children's services on {letter.start.day} and {_day(end)}. {possessive} "
        f"Majesty's Inspectors (HMI) {letter.lead} and {letter.inspector} undertook the "
        f"visit. The quality assurance manager was {QA_MANAGER}, Senior HMI.",
        "",
        f"On this focused visit, inspectors examined the local authority's {scope}, specifically:",
        "",
        *[f"- {area}" for area in focus_areas],
        "",
        "A range of evidence, including case discussions with social workers and managers, "
        "informed inspectors' findings. Inspectors also looked at local authority "
        "performance management and quality assurance information and children's case "
        "records.",
        "",
        "## Overview",
        "",
        f"- {letter.overview}",
        "- Senior leaders have an accurate understanding of the strengths and weaknesses "
        "of their services.",
        "",
    ]
    if letter.priority_actions:
        lines += ["## Areas for priority action", ""]
        lines += [f"- {action}" for action in letter.priority_actions]
        lines += [""]
    lines += ["## Areas of strength", ""]
    lines += [f"- {text}" for text in STRENGTHS[letter.theme]]
    lines += ["", "## Areas for improvement", ""]
    lines += [f"- {text}" for text in IMPROVEMENTS[letter.theme]]
    lines += [
        "",
        "Ofsted will take the findings from this focused visit into account when planning "
        "your next inspection or visit.",
        "",
        "Yours sincerely",
        "",
        letter.lead,
        "",
        f"**{wording.signatory_title(letter_date)}**",
        "",
    ]
    return "\n".join(lines)
