from django.apps import AppConfig


class AutosaveConfig(AppConfig):
    name = "autosave"
    verbose_name = "Autosaved text"

    def ready(self):
        from autosave import signals  # noqa: F401  (registers them)
