"""Validators the apps' models share."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class OneLine:
    """A one-line field (a title, a name, a heading) refuses line breaks: they would
    break the printed line, and a title's line break stops the e-mail it heads."""

    message = "Enter this on one line, without line breaks"

    def __call__(self, value):
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            raise ValidationError(self.message, code="line_break")

    def __eq__(self, other):
        return isinstance(other, OneLine)


one_line = OneLine()
