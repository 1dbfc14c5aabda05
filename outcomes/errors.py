from backend.errors import register

register(
    "measurement_consent_missing",
    409,
    nl="De bewoner heeft geen toestemming gegeven voor het meten (measure_outcome); leg alleen "
    "vast dat er niet gemeten is.",
    en="The resident did not consent to measurement (measure_outcome); record only that no "
    "measurement was taken.",
)
register(
    "measurement_exists",
    409,
    nl="Voor deze fase is al een meting (of weigering) vastgelegd.",
    en="A measurement (or a refusal) was already recorded for this phase.",
)
register(
    "baseline_required",
    409,
    nl="Een vervolgmeting kan pas na de nulmeting.",
    en="A follow-up measurement needs the baseline first.",
)
register(
    "unknown_instrument",
    400,
    nl="Dit meetinstrument bestaat niet of is niet meer in gebruik.",
    en="This instrument does not exist or is no longer in use.",
)
register(
    "one_stats_filter",
    400,
    nl="Filter de cijfers op één kenmerk tegelijk (wijk of doelgroep).",
    en="Filter the figures by one attribute at a time (wijk or target group).",
)
register(
    "figures_month_open",
    409,
    nl="Deze maand is nog niet voorbij: de cijfers worden pas na afloop van een maand vrijgegeven.",
    en="This month has not ended yet: figures are released only after a month is over.",
)
register(
    "no_figures_released",
    404,
    nl="Voor deze periode zijn (nog) geen cijfers vrijgegeven.",
    en="No figures have been released for this period (yet).",
)
