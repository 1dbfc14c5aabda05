"""Seals what is unsealed, then recomputes the access log's hash chain; exits non-zero and names
the rows on tampering or on rows left unsealed too long."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verify import verify_chain


def _head(value: str) -> tuple[int, str]:
    sequence, _, row_hash = value.partition(":")
    if not sequence.isdigit() or len(row_hash) != 64:
        raise CommandError("--expect-head takes SEQUENCE:SHA256 as printed by an earlier run")
    return int(sequence), row_hash.lower()


class Command(BaseCommand):
    help = "Verify the access log hash chain and the append-only triggers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="SEQUENCE:SHA256",
            help="A head printed by an earlier run and kept elsewhere; catches deleted newest "
            "rows and a rewritten chain.",
        )
        parser.add_argument(
            "--page-size",
            type=int,
            default=None,
            help="Rows per keyset page (default ACCESS_LOG_VERIFY_PAGE_SIZE).",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Read only: do not seal first (then rows the sealer missed show as unsealed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        expect = _head(options["expect_head"]) if options["expect_head"] else None
        report = verify_chain(
            expect_head=expect, page_size=options["page_size"], seal=not options["no_seal"]
        )
        for finding in report.findings:
            self.stderr.write(f"TAMPERED {finding.kind}: {finding.message}")
        if not report.ok:
            raise CommandError(
                f"access log verification failed: {len(report.findings)} finding(s) "
                f"in {report.rows} rows",
                returncode=1,
            )
        if report.sealed_now:
            self.stdout.write(f"sealed {report.sealed_now} row(s) before verifying")
        self.stdout.write(
            f"access log intact: {report.rows} rows; head {report.head_sequence}:{report.head_hash}"
        )
