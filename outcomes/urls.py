from django.urls import path

from outcomes.api import stats_views, views

urlpatterns = [
    path("instruments", views.InstrumentListApi.as_view(), name="instruments"),
    path(
        "signals/<uuid:signal_id>/measurements",
        views.SignalMeasurementsApi.as_view(),
        name="signal-measurements",
    ),
    path("stats", stats_views.StatsApi.as_view(), name="stats"),
    path("stats/tables", stats_views.StatsTableApi.as_view(), name="stats-table"),
    path("stats/charts", stats_views.StatsChartApi.as_view(), name="stats-chart"),
]
