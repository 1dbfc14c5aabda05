from backend.errors import register

register(
    "access_log_export_too_large",
    400,
    nl="Deze export telt meer dan {limit} regels; kies een kortere periode of een filter.",
    en="This export has more than {limit} rows; choose a shorter period or a filter.",
)

# --- Data-subject requests (privacy/subject_rights.py) ---------------------------------------
register(
    "unknown_subject",
    404,
    nl="Er zijn geen gegevens bekend bij dit betrokkene-id.",
    en="No data is known for this subject id.",
)
register(
    "subject_request_required",
    400,
    nl="Geef het geregistreerde, openstaande verzoek van de betrokkene op (request); zonder "
    "verzoek gebeurt er niets.",
    en="Give the resident's registered open request (request); nothing happens without one.",
)
register(
    "subject_request_not_found",
    404,
    nl="Dit verzoek bestaat niet.",
    en="This request does not exist.",
)
register(
    "subject_request_closed",
    409,
    nl="Dit verzoek is al afgehandeld.",
    en="This request has already been closed.",
)
register(
    "subject_request_mismatch",
    400,
    nl="Dit verzoek hoort bij een andere betrokkene of is van een ander soort.",
    en="This request belongs to another subject or is of another kind.",
)
register(
    "subject_request_needs_action",
    409,
    nl="Voer dit verzoek uit via de actie voor wissen of beperken; dan wordt het vanzelf "
    "afgehandeld.",
    en="Carry out this request through the erasure or restriction action; that closes it.",
)
register(
    "outcome_note_required",
    400,
    nl="Leg uit waarom het verzoek wordt geweigerd.",
    en="Explain why the request is refused.",
)
register(
    "subject_already_erased",
    409,
    nl="De persoonsgegevens van deze betrokkene zijn al gewist.",
    en="This subject's personal data has already been erased.",
)
register(
    "subject_already_restricted",
    409,
    nl="De verwerking voor deze betrokkene is al beperkt.",
    en="Processing for this subject is already restricted.",
)
register(
    "subject_not_restricted",
    409,
    nl="De verwerking voor deze betrokkene is niet beperkt.",
    en="Processing for this subject is not restricted.",
)

# --- Break-glass review (privacy/break_glass_reviews.py) --------------------------------------
register(
    "break_glass_not_found",
    404,
    nl="Deze noodinzage bestaat niet.",
    en="This break-glass opening does not exist.",
)
register(
    "break_glass_already_reviewed",
    409,
    nl="Deze noodinzage is al beoordeeld.",
    en="This break-glass opening has already been reviewed.",
)
register(
    "review_note_required",
    400,
    nl="Schrijf op wat je hebt vastgesteld.",
    en="Write down what you found.",
)
