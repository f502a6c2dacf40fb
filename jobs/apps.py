from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from django.core.signals import setting_changed

        from jobs.backends import reset_task_backends

        setting_changed.connect(reset_task_backends)
