from backend.errors import register

register(
    "access_log_export_too_large",
    400,
    nl="Deze export telt meer dan {limit} regels; kies een kortere periode of een filter.",
    en="This export has more than {limit} rows; choose a shorter period or a filter.",
)
