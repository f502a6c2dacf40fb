"""Today's date, as the letter's deadlines and publication read it: one place, so that a
test can set the day (monkeypatch letters.clock.today)."""

from django.utils import timezone


def today():
    return timezone.localdate()
