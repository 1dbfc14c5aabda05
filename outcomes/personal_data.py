"""The resident's personal data the outcomes app holds, declared once (docs/adr/0022, 0028):
a measurement's answers (special-category data, AVG art. 9). Erasure, the access log's field
names, the Art. 15 export and the Art. 30 register derive from these names."""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# outcomes.Measurement.answers, by the name the access log gives it.
MEASUREMENT_ANSWERS = "measurements.answers"
MEASUREMENT_FIELDS = ("answers",)
PERSONAL_FIELDS = (MEASUREMENT_ANSWERS,)
# Their names in words (the access log shows them).
LABELS: dict[str, Promise] = {
    MEASUREMENT_ANSWERS: pgettext_lazy("signal field", "answers to the questions on connection"),
}
