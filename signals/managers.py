"""Visibility is one queryset method; every selector starts from it."""

from typing import Any

from django.db import models
from django.utils import timezone


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user: Any, *, break_glass: bool = True) -> "SignalQuerySet":
        """Signals a user may open: those of the teams they belong to, plus single signals
        shared with them (django-guardian object permission). A break-glass grant is a share
        with an expiry: it counts until then, and only where `break_glass` is True (reads);
        team work (queue, writes) passes False. Anything else is 404."""
        if not user or not user.is_authenticated:
            return self.none()
        from accounts.models import TeamMembership
        from signals.models import SignalUserObjectPermission

        team_ids = TeamMembership.objects.filter(user=user, team__is_active=True).values("team_id")
        shares = SignalUserObjectPermission.objects.filter(
            user=user, permission__codename="view_signal"
        )
        if break_glass:
            shares = shares.filter(
                models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
            )
        else:
            shares = shares.filter(expires_at__isnull=True)
        shared_ids = shares.values("content_object_id")
        return self.filter(models.Q(team_id__in=team_ids) | models.Q(pk__in=shared_ids))

    def submitted_by(self, user: Any) -> "SignalQuerySet":
        return self.filter(created_by=user)
