"""The records a signed-in user is loaded with (accounts.backends: their Inspector record,
their authority membership and its authority): a change to one gives the user a new
version token, so their cached copy is not used again (accounts.user_cache)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.user_cache import users_changed
from inspections.calendar import forget_lists_calendar
from inspections.models import AuthorityUser, Inspector, LocalAuthority, PublicationPause


@receiver(pre_save, sender=Inspector)
@receiver(pre_save, sender=AuthorityUser)
def note_former_user(sender, instance, **kwargs):
    """The user the record belonged to before this save, who loses it if it moves."""
    if instance.pk is not None:
        instance._former_user_id = (
            sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


@receiver(post_save, sender=Inspector)
@receiver(post_save, sender=AuthorityUser)
@receiver(post_delete, sender=Inspector)
@receiver(post_delete, sender=AuthorityUser)
def user_record_changed(sender, instance, **kwargs):
    users_changed([instance.user_id, getattr(instance, "_former_user_id", None)])


@receiver(post_save, sender=LocalAuthority)
def authority_changed(sender, instance, **kwargs):
    """Its users are loaded with it (a deleted authority's memberships go, each above)."""
    users_changed(
        AuthorityUser.objects.filter(authority=instance).values_list("user_id", flat=True)
    )


# A pause declared, changed or ended counts in the lists of this process at once.
post_save.connect(forget_lists_calendar, sender=PublicationPause)
post_delete.connect(forget_lists_calendar, sender=PublicationPause)
