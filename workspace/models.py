"""What only the workspace keeps: which signals a person has opened, so the queue can mark the
new ones until then. No personal data: two ids and a moment."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SeenSignal(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opened signal")
        verbose_name_plural = _("opened signals")
        constraints = [
            models.UniqueConstraint(fields=["user", "signal"], name="seen_signal_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.signal_id}"
