from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Visits and reference data"

    def ready(self):
        from inspections import signals  # noqa: F401  (registers them)
