"""The URL converter for database ids, registered once as `<id:...>` for every app's URLs
(letters, jobs): importing this module registers it."""

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, so every id the URL can carry fits in a 64-bit
    column. A longer number is no page at all (404), never a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
