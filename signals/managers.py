"""Visibility is one queryset method; every selector starts from it."""

from typing import Any

from django.db import models


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "SignalQuerySet":
        """Signals a user may open as team work: those of the teams they belong to, plus single
        signals shared with them (django-guardian object permission). Anything else is 404."""
        if not user or not user.is_authenticated:
            return self.none()
        from accounts.models import TeamMembership
        from signals.models import SignalUserObjectPermission

        team_ids = TeamMembership.objects.filter(user=user, team__is_active=True).values("team_id")
        shared_ids = SignalUserObjectPermission.objects.filter(
            user=user, permission__codename="view_signal"
        ).values("content_object_id")
        return self.filter(models.Q(team_id__in=team_ids) | models.Q(pk__in=shared_ids))

    def submitted_by(self, user: Any) -> "SignalQuerySet":
        return self.filter(created_by=user)
