"""Who may see which signal: the one place visibility is decided (docs/adr/0022).

`Signal.objects.visible_to(user)` is the queryset every selector and service starts from
(signals.access adds the capability checks for changes); `with_grounds` annotates, in the same
query, the rule that let the user in, for the access log; `break_glass_eligible` names the
signals a break-glass grant may open."""

from typing import Any

from django.db import models
from django.utils import timezone

from signals.grounds import Grounds, Rule, team_rule


class SignalQuerySet(models.QuerySet):
    def visible_to(
        self, user: Any, *, break_glass: bool = True, ids_first: bool = False
    ) -> "SignalQuerySet":
        """Signals a user may open: those of the active teams they belong to, plus single
        signals shared with them (django-guardian object permission). A break-glass grant is a
        share with an expiry: it counts until then, and only where `break_glass` is True
        (reads); team work (queue, writes) passes False. Anything else is 404.

        `ids_first` (lists) reads the user's team and share ids first, in one query, and
        filters on them as values: a member of one team with no share then gets `team_id = t`,
        which PostgreSQL reads in the queue index's order, 50 entries for a page however large
        the table; as subqueries (the default, one round trip less) it scans and sorts all of
        the team's open work (docs/adr/0029). Same rows either way."""
        if not user or not user.is_authenticated:
            return self.none()
        team_ids, shared_ids = _team_ids(user), _shared_ids(user, break_glass=break_glass)
        if not ids_first:
            return self.filter(models.Q(team_id__in=team_ids) | models.Q(pk__in=shared_ids))
        teams, shared = _read_ids(team_ids, shared_ids)
        condition = models.Q(team_id__in=teams)
        if shared:  # an OR would keep PostgreSQL from reading the team's index in order
            condition |= models.Q(pk__in=shared)
        return self.filter(condition)

    def submitted_by(self, user: Any) -> "SignalQuerySet":
        return self.filter(created_by=user)

    def with_grounds(self, user: Any) -> "SignalQuerySet":
        """Annotates what the access log needs to name the rule (`via_team`,
        `break_glass_id`, `consent_pk`), in the same query; read it with `grounds_of`."""
        from accounts.models import TeamMembership
        from signals.models import BreakGlassAccess

        membership = TeamMembership.objects.filter(
            user=user, team_id=models.OuterRef("team_id"), team__is_active=True
        )
        grant = BreakGlassAccess.objects.filter(
            user=user, signal_id=models.OuterRef("pk"), expires_at__gt=timezone.now()
        ).order_by("-opened_at")
        return self.annotate(
            via_team=models.Exists(membership),
            break_glass_id=models.Subquery(grant.values("pk")[:1]),
            consent_pk=models.F("consent__id"),
        )

    def break_glass_eligible(self) -> "SignalQuerySet":
        """Only a signal a team works on, with its data still there and not restricted: a
        withdrawn or erased signal has nothing left to read, and a restricted one is for
        audit only."""
        from signals.models import Status

        return self.filter(
            team__isnull=False,
            personal_data_erased_at__isnull=True,
            restricted_at__isnull=True,
        ).exclude(status=Status.WITHDRAWN)


def _team_ids(user: Any) -> models.QuerySet:
    from accounts.models import TeamMembership

    return TeamMembership.objects.filter(user=user, team__is_active=True).values("team_id")


def _shared_ids(user: Any, *, break_glass: bool) -> models.QuerySet:
    from signals.models import SignalUserObjectPermission

    shares = SignalUserObjectPermission.objects.filter(
        user=user, permission__codename="view_signal"
    )
    if break_glass:
        shares = shares.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )
    else:
        shares = shares.filter(expires_at__isnull=True)
    return shares.values("content_object_id")


_TEAM, _SHARE = "t", "s"


def _read_ids(team_ids: models.QuerySet, shared_ids: models.QuerySet) -> tuple[list, list]:
    """Both id lists in one round trip."""
    kind = models.CharField()
    rows = (
        team_ids.annotate(kind=models.Value(_TEAM, output_field=kind))
        .values_list("kind", "team_id")
        .union(
            shared_ids.annotate(kind=models.Value(_SHARE, output_field=kind)).values_list(
                "kind", "content_object_id"
            ),
            all=True,
        )
    )
    found: dict[str, list] = {_TEAM: [], _SHARE: []}
    for which, value in rows:
        found[which].append(value)
    return found[_TEAM], found[_SHARE]


def grounds_of(signal: Any, *, rule: str = "") -> Grounds:
    """The grounds of a signal read through `with_grounds`: membership wins over a share, an
    active break-glass grant is named as such; `rule` overrides (signaller, privacy officer)."""
    if not rule:
        rule = team_rule(via_team=signal.via_team, break_glass_id=signal.break_glass_id)
    return Grounds(
        rule=rule,
        subject_id=signal.subject_id,
        consent_id=signal.consent_pk,
        break_glass_id=signal.break_glass_id if rule == Rule.BREAK_GLASS else None,
    )
