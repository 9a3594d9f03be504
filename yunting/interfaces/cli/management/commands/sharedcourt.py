"""`yunting sharedcourt digest [--court 粤0306] [--week YYYY-MM-DD] [--pdf FILE] [--html FILE]`: the court's weekly
shared-court digest, printed; with --pdf / --html also written as a file the court can keep.

Exit status 0; 2 with a message on stderr for bad input (an unknown court, a date that is not one)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from yunting.core.people.models import Organisation
from yunting.workflows.sharedcourt import stats


class Command(BaseCommand):
    help = "Shared courts (共享法庭): `digest` prints the weekly digest for the court."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("word", choices=["digest"], help="digest: the weekly digest.")
        parser.add_argument("--court", default="", help="Court code, e.g. 粤0306 (default: the only court, or the "
                                                         "first court with service points).")
        parser.add_argument("--week", default="", help="Monday of the week, YYYY-MM-DD (default: last full week).")
        parser.add_argument("--pdf", default="", help="Also write the digest as a PDF to this file.")
        parser.add_argument("--html", default="", help="Also write the digest as an HTML page to this file.")

    def _fail(self, message: str):
        self.stderr.write(f"错误：{message}")
        raise SystemExit(2)

    def handle(self, *args, word, court, week, pdf, html, **options):
        courts = Organisation.objects.filter(kind="court")
        if court:
            found = courts.filter(court_code=court).first()
        else:
            found = courts.filter(service_points__isnull=False).order_by("pk").first() or courts.order_by("pk").first()
        if found is None:
            self._fail(f"没有代字为 {court} 的法院。" if court else "还没有法院。")
        try:
            monday = date.fromisoformat(week) if week else None
        except ValueError:
            self._fail(f"日期 {week} 无效，应为 YYYY-MM-DD。")
        if monday is not None and monday.weekday() != 0:
            self._fail(f"{week} 不是星期一。")
        digest = stats.weekly_digest(court=found, week_start=monday)
        text = stats.digest_text(digest)
        self.stdout.write(text)
        if pdf:
            with open(pdf, "wb") as fh:
                fh.write(stats.digest_pdf(digest))
            self.stderr.write(f"PDF: {pdf}")
        if html:
            with open(html, "w", encoding="utf-8") as fh:
                fh.write(render_to_string("sharedcourt/digest_file.html", {"d": digest, "text": text}))
            self.stderr.write(f"HTML: {html}")
