"""The editor's list of the letter's sections and items (templates/letters/drafting/editor.html).

Written here rather than as template tags and variables: the editor shows every section
and item of the letter, and the thirty-odd template nodes of each, every one resolved
and escaped on its own, cost the page more than its queries did. Each value is escaped
once with html.escape (what django.utils.html.escape does to text, without its check for
lazy strings, which these never are), and each section's HTML is marked safe once. An
item's open comments are letters/review/comment.html, as on the item's own page.
"""

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from letters.rendering.links import linked_html

register = template.Library()

SECTION = (
    '<div class="portal-section" id="section-{pk}">\n'
    '<h2 class="govuk-heading-m">{heading}</h2>\n'
    '<p class="govuk-body-s">{kind}</p>\n'
)
HEADING_FOOTNOTE = '<p class="govuk-body-s">Footnote to the heading: {}</p>\n'
LEAD_IN = '<p class="govuk-body portal-item__text">{}</p>\n'
NO_ITEMS = '<p class="govuk-body">{}</p>\n'
ADD_ITEMS = (
    '<p class="govuk-body"><a class="govuk-link" href="{url}items/new/">Add an item'
    '<span class="govuk-visually-hidden"> to {heading}</span></a></p>\n'
    '<p class="govuk-body"><a class="govuk-link" href="{url}paste/">{paste}</a></p>\n'
)
PASTE = 'Paste the items<span class="govuk-visually-hidden"> of {}</span>'
REPLACE = 'Replace the items<span class="govuk-visually-hidden"> of {}</span> by pasting'

ITEM = (
    '<div class="portal-item" id="item-{pk}">\n'
    '<p class="govuk-body portal-item__text">{style}{text}{cross_reference}</p>\n'
)
STYLE = '<strong class="govuk-tag govuk-tag--grey">{}</strong> '
TO_ADD = (
    ' <strong class="govuk-tag govuk-tag--yellow">'
    "National Framework cross-reference to add</strong>"
)
FOOTNOTE = '<p class="govuk-body-s">Footnote: {}</p>\n'

# The links and buttons under a section or an item (actions).
CHANGE = (
    '<ul class="govuk-list portal-actions">\n'
    '<li><a class="govuk-link" href="{url}">Change<span class="govuk-visually-hidden">{hidden}'
    "</span></a></li>\n"
)
MOVE = (
    '<li><form method="post" action="{url}move/" class="portal-inline-form">{csrf}'
    '<input type="hidden" name="direction" value="%s"><button type="submit"'
    ' class="portal-link-button">%s<span class="govuk-visually-hidden">{hidden}</span>'
    "</button></form></li>\n"
)
MOVE_UP, MOVE_DOWN = MOVE % ("up", "Move up"), MOVE % ("down", "Move down")
DELETE = (
    '<li><a class="govuk-link" href="{url}delete/">Delete<span class="govuk-visually-hidden">'
    "{hidden}</span></a></li>\n</ul>\n"
)


@register.simple_tag(takes_context=True)
def editor_section(context, section, loop):
    """A section as the editor lists it: its heading and kind, its actions (for who may
    change the letter: the page's can_edit), the heading's footnote, the lead-in, its
    items (section.item_list, each with its open_comments) or what it says without any,
    and the links to add or paste items.

    section.url: the section's page, with move/, delete/, items/new/ and paste/ under it;
    an item's page is the page's letter_url, items/ and its id (letters/urls.py).
    section.awaits_cross_references: whether its items want a National Framework
    cross-reference. loop: the template's forloop over the sections."""
    can_edit = context["can_edit"]
    heading = escape(section.heading)
    url = escape(section.url)
    html = [SECTION.format(pk=section.pk, heading=heading, kind=escape(section.get_kind_display()))]
    if can_edit:
        hidden = f" the section {heading}"
        html.append(actions(context, url, hidden, first=loop["first"], last=loop["last"]))
    if section.heading_footnote:
        html.append(HEADING_FOOTNOTE.format(linked_html(section.heading_footnote)))
    if section.lead_in:
        html.append(LEAD_IN.format(escape(section.lead_in)))
    items = section.item_list
    for number, item in enumerate(items, 1):
        html.append(ITEM.format(pk=item.pk, **item_text(item, section)))
        if item.footnote:
            html.append(FOOTNOTE.format(linked_html(item.footnote)))
        if item.open_comments:
            html.append(comments_html(context, item.open_comments))
        if can_edit:
            item_url = escape(f"{context['letter_url']}items/{item.pk}/")
            hidden = f" item {number} of {heading}"
            html.append(
                actions(context, item_url, hidden, first=number == 1, last=number == len(items))
            )
        html.append("</div>\n")
    if not items:
        html.append(NO_ITEMS.format(escape(section.none_statement) or "No items yet."))
    if can_edit:
        paste = (REPLACE if items else PASTE).format(heading)
        html.append(ADD_ITEMS.format(url=url, heading=heading, paste=paste))
    html.append("</div>")
    return mark_safe("".join(html))  # every value above is escaped, or HTML made safe


def item_text(item, section):
    """The item's style (unless a bullet), words, and cross-reference, or where the
    letter's template wants one, a tag saying it is still to add."""
    style = ""
    if item.style != item.Style.BULLET:
        style = STYLE.format(escape(item.get_style_display()))
    if item.cross_reference:
        cross_reference = f" {escape(item.cross_reference)}"
    else:
        cross_reference = TO_ADD if section.awaits_cross_references else ""
    return {"style": style, "text": escape(item.text), "cross_reference": cross_reference}


def comments_html(context, comments):
    """The item's open comments, each as letters/review/comment.html shows it."""
    comment_html = context.template.engine.get_template("letters/review/comment.html")
    html = []
    for comment in comments:
        with context.push(comment=comment):
            html.append(comment_html.render(context))
    return "".join(html)


def actions(context, url, hidden, *, first, last):
    """The list of links and buttons under a section or an item: change, move up (all but
    the first), move down (all but the last) and delete. url: the part's own page, with
    move/ and delete/ under it; hidden: what a screen reader hears after each action.
    Both escaped already."""
    html = CHANGE + ("" if first else MOVE_UP) + ("" if last else MOVE_DOWN) + DELETE
    return html.format(url=url, hidden=hidden, csrf=csrf_input(context))


def csrf_input(context):
    """What {% csrf_token %} writes, made once a page: the same token in every form."""
    render = context.render_context
    if "csrf_input" not in render:
        render["csrf_input"] = CsrfTokenNode().render(context)
    return render["csrf_input"]
