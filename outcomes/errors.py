from django.utils.translation import pgettext_lazy

from backend.errors import register

register(
    "measurement_consent_missing",
    409,
    pgettext_lazy(
        "error",
        "The resident did not consent to measurement (measure_outcome); record only that no "
        "measurement was taken.",
    ),
)
register(
    "measurement_exists",
    409,
    pgettext_lazy("error", "A measurement (or a refusal) was already recorded for this phase."),
)
register(
    "baseline_required",
    409,
    pgettext_lazy("error", "A follow-up measurement needs the baseline first."),
)
register(
    "unknown_instrument",
    400,
    pgettext_lazy("error", "This instrument does not exist or is no longer in use."),
)
register(
    "one_stats_filter",
    400,
    pgettext_lazy("error", "Filter the figures by one attribute at a time (wijk or target group)."),
)
register(
    "figures_month_open",
    409,
    pgettext_lazy(
        "error", "This month has not ended yet: figures are released only after a month is over."
    ),
)
register(
    "no_figures_released",
    404,
    pgettext_lazy("error", "No figures have been released for this period (yet)."),
)
