from django.urls import path

from signals.api import views

urlpatterns = [
    path("signals", views.SignalCreateApi.as_view(), name="signal-create"),
    path("signals/<uuid:signal_id>", views.SignalDetailApi.as_view(), name="signal-detail"),
    path(
        "signals/<uuid:signal_id>/transitions",
        views.SignalTransitionApi.as_view(),
        name="signal-transition",
    ),
    path("signals/<uuid:signal_id>/assign", views.SignalAssignApi.as_view(), name="signal-assign"),
    path(
        "signals/<uuid:signal_id>/forward", views.SignalForwardApi.as_view(), name="signal-forward"
    ),
    path("signals/<uuid:signal_id>/notes", views.SignalNoteApi.as_view(), name="signal-notes"),
    path(
        "signals/<uuid:signal_id>/withdraw-consent",
        views.ConsentWithdrawApi.as_view(),
        name="signal-withdraw-consent",
    ),
    path(
        "signals/<uuid:signal_id>/break-glass",
        views.SignalBreakGlassApi.as_view(),
        name="signal-break-glass",
    ),
    path("queue", views.QueueApi.as_view(), name="queue"),
    path("my/signals", views.MySignalsApi.as_view(), name="my-signals"),
    path("consent-texts", views.ConsentTextListApi.as_view(), name="consent-texts"),
    path("reason-codes", views.ReasonCodeListApi.as_view(), name="reason-codes"),
]
