"""An Atom feed of the register's newest publications (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from letters.register.selectors import register_entries

FEED_LENGTH = 50


class NewPublications(Feed):
    feed_type = Atom1Feed
    title = "Focused-visit letters: new publications"
    subtitle = "Ofsted's focused-visit letters to local authorities, newest first."

    def link(self):
        return reverse("letters:register")

    def feed_url(self):
        return reverse("letters:register-feed")

    def items(self):
        return (
            register_entries()
            .select_related("authority")
            .defer("content", "text", "search")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        visit = f"{entry.visit_start:%-d %B %Y}"
        version = f" (correction: version {entry.number})" if entry.number > 1 else ""
        return f"{entry.authority.name}: the letter after the visit of {visit}{version}."

    def item_link(self, entry):
        return reverse("letters:register-letter", args=[entry.letter_id])

    # The entry's id is its page's address: a correction is an update of the same entry.

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.published_at

    def item_categories(self, entry):
        return [entry.authority.name]
