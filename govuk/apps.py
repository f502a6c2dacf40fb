from django.apps import AppConfig


class GovukConfig(AppConfig):
    """GOV.UK Design System helpers the other apps' forms and templates share."""

    name = "govuk"
    verbose_name = "GOV.UK forms"
