from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self):
        from inspections import services as visits
        from letters import permissions

        # A visit's team and facts change only while its letter may be edited
        # (inspections cannot import this app, so it is told here).
        visits.set_change_rule(lambda visit, user: permissions.can_change_visit(user, visit))
