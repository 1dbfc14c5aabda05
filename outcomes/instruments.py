"""Reading an instrument from the database as the pure scoring module's spec, and the wording a
team shows the resident (docs/adr/0030)."""

from functools import lru_cache

from django.db.models import Prefetch, QuerySet

from outcomes.models import AnswerOption, Instrument, Item
from outcomes.scoring import BandSpec, InstrumentSpec, ItemSpec

DEFAULT_INSTRUMENT = "djg6"


def instruments_active() -> QuerySet[Instrument]:
    """Active instruments with their subscales, items, options and bands, for display."""
    return Instrument.objects.filter(is_active=True).prefetch_related(
        "subscales",
        "bands",
        Prefetch(
            "items",
            Item.objects.select_related("subscale").prefetch_related(
                Prefetch("options", AnswerOption.objects.order_by("position"))
            ),
        ),
    )


def instrument_current(code: str = DEFAULT_INSTRUMENT) -> Instrument | None:
    """The newest active version of the instrument `code`."""
    return instruments_active().filter(code=code).order_by("-created_at", "-pk").first()


def spec_of(instrument: Instrument) -> InstrumentSpec:
    """The scoring spec of one instrument version. Versions never change once used, so the spec
    is cached per primary key for the life of the process."""
    return _spec(instrument.pk)


@lru_cache(maxsize=32)
def _spec(instrument_id: int) -> InstrumentSpec:
    instrument = Instrument.objects.get(pk=instrument_id)
    items = (
        Item.objects.filter(instrument=instrument)
        .select_related("subscale")
        .prefetch_related("options")
        .order_by("position")
    )
    return InstrumentSpec(
        code=instrument.code,
        version=instrument.version,
        subscales=tuple(instrument.subscales.order_by("position").values_list("code", flat=True)),
        items=tuple(
            ItemSpec(
                code=item.code,
                subscale=item.subscale.code,
                points={option.code: option.points for option in item.options.all()},
            )
            for item in items
        ),
        bands=tuple(
            BandSpec(code=band.code, low=band.low, high=band.high)
            for band in instrument.bands.order_by("low")
        ),
    )
