"""Import of CBS "Buurt, wijk en gemeente <jaar> voor postcode huisnummer" tables.

Format: semicolon-separated, header `PC6;Huisnummer;Buurt<jaar>;Wijk<jaar>;Gemeente<jaar>`,
codes as integers without prefix. A buurt code is GGGGWWBB: the gemeente's four digits, the
wijk's two, the buurt's two. Each batch commits on its own, so a re-run after a crash resumes
where the first run stopped and a re-run of a finished import changes nothing.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from accounts.models import AddressPoint, MappingVersion, Neighbourhood
from accounts.postcodes import postcode_normalise

HEADER_RE = re.compile(r"^(buurt|wijk|gemeente)(\d{4})?$", re.IGNORECASE)


@dataclass
class ImportReport:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AddressRow:
    line: int
    postcode: str
    house_number: int
    buurt_code: str
    wijk_code: str
    municipality_code: str


class ImportFormatError(ValueError):
    pass


def _code(value: str, prefix: str, width: int) -> str:
    value = value.strip()
    if not value.isdigit() or len(value) > width:
        raise ValueError(f"{prefix} code {value!r} is not a number of at most {width} digits")
    return prefix + value.zfill(width)


def parse_row(line: int, row: list[str]) -> AddressRow:
    if len(row) != 5:
        raise ValueError(f"expected 5 columns, found {len(row)}")
    postcode = postcode_normalise(row[0].strip())
    if postcode is None:
        raise ValueError(f"postcode {row[0]!r} is not a PC6 like 3511AB")
    number = row[1].strip()
    if not number.isdigit() or int(number) < 1 or int(number) > 99999:
        raise ValueError(f"house number {row[1]!r} is not a whole number from 1 to 99999")
    buurt = _code(row[2], "BU", 8)
    wijk = _code(row[3], "WK", 6)
    gemeente = _code(row[4], "GM", 4)
    if buurt[2:8] != wijk[2:] or wijk[2:6] != gemeente[2:]:
        raise ValueError(f"buurt {buurt} does not lie in wijk {wijk} of gemeente {gemeente}")
    return AddressRow(line, postcode, int(number), buurt, wijk, gemeente)


def read_rows(stream: IO[str], report: ImportReport) -> Iterator[AddressRow]:
    reader = csv.reader(stream, delimiter=";")
    header = next(reader, None)
    if header is None:
        raise ImportFormatError("the file is empty")
    names = [h.strip().lstrip("\ufeff") for h in header]
    if (
        len(names) != 5
        or names[0].upper() != "PC6"
        or names[1].lower() != "huisnummer"
        or not all(HEADER_RE.match(n) for n in names[2:])
    ):
        raise ImportFormatError(
            "header must be PC6;Huisnummer;Buurt<jaar>;Wijk<jaar>;Gemeente<jaar>, "
            f"found {';'.join(names)}"
        )
    for row in reader:
        if not row or all(not cell.strip() for cell in row):
            continue
        report.read += 1
        try:
            yield parse_row(reader.line_num, row)
        except ValueError as exc:
            report.rejected += 1
            report.errors.append((reader.line_num, str(exc)))


def _neighbourhoods_for(rows: list[AddressRow], version: MappingVersion) -> dict[str, int]:
    codes = {r.buurt_code: r for r in rows}
    known = dict(Neighbourhood.objects.filter(code__in=codes).values_list("code", "id"))
    missing = [
        Neighbourhood(
            code=code,
            wijk_code=r.wijk_code,
            municipality_code=r.municipality_code,
            mapping_version=version,
        )
        for code, r in codes.items()
        if code not in known
    ]
    if missing:
        Neighbourhood.objects.bulk_create(missing, ignore_conflicts=True)
        known = dict(Neighbourhood.objects.filter(code__in=codes).values_list("code", "id"))
    Neighbourhood.objects.filter(code__in=codes).exclude(mapping_version=version).update(
        mapping_version=version
    )
    return known


def _import_batch(rows: list[AddressRow], version: MappingVersion, report: ImportReport) -> None:
    # The last row for an address wins when a file repeats it.
    latest = {(r.postcode, r.house_number): r for r in rows}
    with transaction.atomic():
        ids = _neighbourhoods_for(list(latest.values()), version)
        existing = {
            (p.postcode, p.house_number): p
            for p in AddressPoint.objects.filter(
                mapping_version=version, postcode__in={k[0] for k in latest}
            )
        }
        to_add, to_update = [], []
        for key, row in latest.items():
            point = existing.get(key)
            if point is None:
                to_add.append(
                    AddressPoint(
                        mapping_version=version,
                        postcode=row.postcode,
                        house_number=row.house_number,
                        neighbourhood_id=ids[row.buurt_code],
                    )
                )
            elif point.neighbourhood_id != ids[row.buurt_code]:
                point.neighbourhood_id = ids[row.buurt_code]
                to_update.append(point)
            else:
                report.unchanged += 1
        AddressPoint.objects.bulk_create(to_add)
        AddressPoint.objects.bulk_update(to_update, ["neighbourhood"])
        report.added += len(to_add)
        report.updated += len(to_update)
        report.unchanged += len(rows) - len(latest)


def import_address_table(
    *,
    stream: IO[str],
    version_label: str,
    source_name: str = "",
    is_demo: bool = False,
    activate: bool = False,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Imports an address table into the mapping version `version_label` (created if new).

    Side effects: MappingVersion, Neighbourhood and AddressPoint rows; with `activate`, this
    version becomes the one routing uses."""
    report = ImportReport()
    version, _ = MappingVersion.objects.get_or_create(
        label=version_label, defaults={"source_name": source_name, "is_demo": is_demo}
    )
    batch: list[AddressRow] = []
    for row in read_rows(stream, report):
        batch.append(row)
        if len(batch) >= batch_size:
            _import_batch(batch, version, report)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _import_batch(batch, version, report)
        if progress:
            progress(len(batch))
    if activate:
        mapping_version_activate(version=version)
    return report


def mapping_version_activate(*, version: MappingVersion) -> None:
    """Makes `version` the mapping that routing uses. Side effects: is_active flags."""
    with transaction.atomic():
        MappingVersion.objects.filter(is_active=True).exclude(pk=version.pk).update(is_active=False)
        MappingVersion.objects.filter(pk=version.pk).update(is_active=True)


def version_label_from(source_name: str, header_line: str | None = None) -> str | None:
    match = re.search(r"pc6hnr(\d{4})", source_name)
    if match:
        return match.group(1)
    if header_line:
        years = re.findall(r"(?:Buurt|Wijk|Gemeente)(\d{4})", header_line, re.IGNORECASE)
        if years:
            return years[0]
    return None


def open_text(path: str) -> IO[str]:
    return io.open(path, encoding="utf-8-sig", newline="")  # noqa: UP020
