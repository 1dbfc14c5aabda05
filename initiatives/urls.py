from django.urls import path

from initiatives.api import views

urlpatterns = [
    path("initiatives", views.InitiativeListApi.as_view(), name="initiative-list"),
    path(
        "signals/<uuid:signal_id>/suggestions",
        views.SuggestionsApi.as_view(),
        name="signal-suggestions",
    ),
    path(
        "signals/<uuid:signal_id>/referrals",
        views.ReferralListApi.as_view(),
        name="signal-referrals",
    ),
    path(
        "signals/<uuid:signal_id>/referral-steps",
        views.ReferralStepApi.as_view(),
        name="signal-referral-steps",
    ),
]
