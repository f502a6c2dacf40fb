"""Loaded once by the forkserver that every print child forks from (letters.rendering.pdf):
Django set up, WeasyPrint, the fonts and the letter's stylesheet ready."""

import django

django.setup()

from letters.rendering import pdf  # noqa: E402  (after setup: it imports the models)

pdf.warm()
