"""The audit log, and the base of every record that is written once and never changed."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class RecordImmutable(Exception):
    """A record written once was asked to change or go."""


class WrittenOnceQuerySet(models.QuerySet):
    """Queryset writes skip Model.save and Model.delete, so they refuse here too."""

    def update(self, **kwargs):
        raise RecordImmutable(f"{self.model._meta.verbose_name_plural} cannot be changed")

    def delete(self):
        raise RecordImmutable(f"{self.model._meta.verbose_name_plural} cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise RecordImmutable(f"{self.model._meta.verbose_name_plural} cannot be changed")

    def _raw_delete(self, using):  # the deletion collector's fast path
        return self.delete()

    update_or_create = update


class WrittenOnce(models.Model):
    """A record that is created and never changed nor deleted.

    The model and its queryset refuse; the database refuses too (audit.immutability,
    installed by each such table's migration), for any writer that goes around the ORM.
    `immutable` is the exception raised.
    """

    immutable = RecordImmutable

    objects = WrittenOnceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.immutable(f"A {self._meta.verbose_name} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.immutable(f"A {self._meta.verbose_name} cannot be deleted")


class AuditEventImmutable(RecordImmutable):
    pass


class AuditEvent(WrittenOnce):
    """One thing that happened, append-only: who, when, what, to which record.

    `target` is the record the event is about (a letter, a visit, a user...), named by
    content type and id so that the audit app depends on none of the apps it records.
    `detail` holds what the reader of the log needs: for an edit, the fields' values
    before and after.
    """

    immutable = AuditEventImmutable

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50, db_index=True)  # e.g. "letter.approve"
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_by_target")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
