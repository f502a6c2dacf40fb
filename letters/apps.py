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

        # The letter's forms keep what is typed in them until it is saved (the autosave
        # app cannot import this one, so it is told here).
        from letters.drafting.autosaving import register_forms

        register_forms()
