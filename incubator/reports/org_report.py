"""The organization progress report: profile, lifecycle, the four kinds of support in the period
and to date, evaluations, the staff's narrative and next steps, signatures."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table

from incubator.domain import FundKind, FundSource, TalentKind
from incubator.i18n import T, field_label, tr
from incubator.reports import charts, fmt
from incubator.reports.data import FundLine, OrgData
from incubator.reports.layout import Marker, bookmark, section, subsection
from incubator.reports.style import (
    NAVY,
    RULE,
    Styles,
    key_figures,
    key_value_table,
    plain_style,
    table,
)
from incubator.reports.text import para
from incubator.services import figures

CN_NUMBERS = "一二三四五六七八九十"


def section_label(n: int, title: str, lang: str) -> str:
    """ "一、机构概况" / "1. Profile"."""
    number = CN_NUMBERS[n - 1] if lang == "zh_CN" and n <= 10 else str(n)
    return tr("{number}. {title}", lang, number=number, title=title)


def talent_summary(in_period, to_date, lang: str, width: float, st) -> Flowable:
    """Each kind of talent support on its own row, with its own hours: training hours are
    training only. Numbers and hours in the period and to its end (``figures.talent``)."""
    rows = [
        (
            tr(label, lang),
            fmt.integer(number(in_period)),
            fmt.integer(in_period.trainees) if kind is TalentKind.TRAINING else "—",
            fmt.decimal1(in_period.hours(kind)),
            fmt.integer(number(to_date)),
            fmt.decimal1(to_date.hours(kind)),
        )
        for kind, label, number in (
            (TalentKind.TRAINING, T("Training sessions"), lambda t: t.trainings),
            (TalentKind.MENTOR, T("Mentors"), lambda t: t.mentors),
            (TalentKind.SOCIAL_WORKER, T("Social workers"), lambda t: t.social_workers),
        )
    ]
    headers = (
        T("Kind"),
        T("Number in the period"),
        T("People trained in the period"),
        T("Hours in the period (h)"),
        T("Number to date"),
        T("Hours to date (h)"),
    )
    return table(
        [tr(h, lang) for h in headers],
        rows,
        [0.2 * width] + [0.16 * width] * 5,
        st,
        numeric=range(1, 6),
    )


class Story:
    """What every report's story shares: translation in the report's language, numbered and
    bookmarked section headings (keys under ``prefix``, outline below ``level``), and a build
    that runs the section methods named in ``sections`` in order."""

    sections: tuple[str, ...] = ()
    st: Styles
    lang: str
    prefix: str
    level: int

    def tr(self, source: str, /, **params) -> str:
        return tr(source, self.lang, **params)

    def heading(self, n: int, title: str, key: str) -> list[Flowable]:
        label = section_label(n, title, self.lang)
        return section(label, f"{self.prefix}-{key}", self.level + 1)

    def sub(self, text: str, keep: Flowable | None = None) -> list[Flowable]:
        return subsection(text, self.st.h2, keep=keep)

    def blank_lines(self, n: int) -> Flowable:
        """Ruled lines to write on, where staff left a text empty."""
        t = Table([[""] for _ in range(n)], colWidths=[self.width], rowHeights=[8 * mm] * n)
        t.setStyle(plain_style(("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)))
        return t

    def signature_table(self, roles: list[str]) -> Table:
        """A column per role: who signs (or seals), the signature, the date."""
        st, w = self.st, self.width
        colon = "：" if self.lang == "zh_CN" else ":"
        cells = [
            [para(r, st.label) for r in roles],
            [para(self.tr("Signature") + colon, st.cell) for _ in roles],
            [para(self.tr("Date") + colon, st.cell) for _ in roles],
        ]
        t = Table(
            cells, colWidths=[w / len(roles)] * len(roles), rowHeights=[None, 12 * mm, 8 * mm]
        )
        t.setStyle(
            plain_style(
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY),
                ("LINEBELOW", (0, 1), (-1, 2), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 14),
            )
        )
        return t

    def period_line(self, period, today) -> str:
        """ "Period: ...", and while the period runs, up to which day its figures count."""
        line = self.tr("Period: {period}", period=period.describe(self.lang))
        if today < period.end:
            line += self.tr(
                " · figures up to {date}: the period has not ended", date=fmt.date(today)
            )
        return line

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        for name in self.sections:
            story += getattr(self, name)()
        return story


class OrgStory(Story):
    """Builds the flowables of one organization's report.

    ``prefix`` keeps bookmark keys unique in a committee pack; ``level`` is the outline level
    of the report's own title (0 alone, 1 inside a pack).
    """

    def __init__(
        self, data: OrgData, st: Styles, lang: str, width: float, prefix: str = "", level: int = 0
    ) -> None:
        self.d, self.st, self.lang, self.width = data, st, lang, width
        self.prefix = prefix or f"org{data.org.id}"
        self.level = level

    sections = (
        "title_block",
        "profile",
        "lifecycle",
        "support",
        "evaluations",
        "compliance",
        "narrative",
        "signatures",
    )

    # --- title -----------------------------------------------------------------------------

    def title_block(self) -> list[Flowable]:
        d, st, lang = self.d, self.st, self.lang
        org = d.org
        report_title = self.tr("Organization progress report")
        marker = Marker(
            title=f"{report_title} · {d.period.label(lang)}",
            note=org.name,
        )
        name = bookmark(para(org.name, st.subtitle), self.prefix, org.name, self.level)
        facts = [self.period_line(d.period, d.today)]
        ident = [field_label("credit_code", lang) + " " + (org.credit_code or "—")]
        stage = d.stage_at_end
        if stage:
            ident.append(
                self.tr("Stage at the end of the period: {stage}", stage=stage.display(lang))
            )
        if d.standing.grade:
            ident.append(self.tr("Rating grade: {grade}", grade=d.standing.grade.value))
        band = [
            (self.tr("Committed in the period (yuan)"), fmt.money(d.fund_totals.committed)),
            (self.tr("Disbursed in the period (yuan)"), fmt.money(d.fund_totals.disbursed)),
            (self.tr("Projects active in the period"), fmt.integer(d.project_totals.count)),
            (
                self.tr("Training hours in the period (h)"),
                fmt.decimal1(d.talent_totals.training_hours),
            ),
            (self.tr("Space-days used in the period"), fmt.integer(d.occupancy.occupied_days)),
        ]
        flag = []
        if d.standing.listed:  # what a committee must see first
            lists = d.standing.listed_text(lang)
            flag = [para(self.tr("▲ Listed: {lists}", lists=lists), st.warning)]
        return [
            marker,
            para(report_title, st.title),
            name,
            para(facts[0], st.period),
            para("  ·  ".join(ident), st.period),
            *flag,
            Spacer(1, 5 * mm),
            key_figures(band, self.width, st),
            Spacer(1, 2 * mm),
        ]

    # --- 1 profile -------------------------------------------------------------------------

    def profile(self) -> list[Flowable]:
        d, lang = self.d, self.lang
        org = d.org
        staff = self.tr(
            "{staff} staff, {volunteers} volunteers",
            staff=fmt.integer(org.staff_count) if org.staff_count is not None else "—",
            volunteers=fmt.integer(org.volunteer_count) if org.volunteer_count is not None else "—",
        )
        stage = org.stage.display(lang)
        if org.is_overdue(d.today):
            stage += self.tr(" (overdue)")
        pairs = [
            (field_label("name", lang), org.name),
            (field_label("short_name", lang), org.short_name),
            (field_label("credit_code", lang), org.credit_code),
            (field_label("legal_form", lang), org.legal_form.display(lang)),
            (
                field_label("service_fields", lang),
                ("、" if lang == "zh_CN" else ", ").join(
                    f.display(lang) for f in org.service_fields
                ),
            ),
            (self.tr("Service area"), org.area),
            (field_label("founded_on", lang), fmt.date(org.founded_on) if org.founded_on else None),
            (
                field_label("registered_on", lang),
                fmt.date(org.registered_on) if org.registered_on else None,
            ),
            (field_label("legal_representative", lang), org.legal_representative),
            (field_label("address", lang), org.address),
            (field_label("supervising_unit", lang), d.standing.supervising_unit),
            (field_label("contact_person", lang), org.contact_person),
            (field_label("contact_phone", lang), fmt.mask_phone(org.contact_phone)),
            (self.tr("Team"), staff),
            (
                self.tr("Current stage"),
                self.tr("{stage} (since {date})", stage=stage, date=fmt.date(org.stage_since)),
            ),
            (
                self.tr("Incubation agreement"),
                self.tr(
                    "{start} to {end}",
                    start=fmt.date(org.agreement_start),
                    end=fmt.date(org.agreement_planned_end),
                )
                if org.agreement_start or org.agreement_planned_end
                else None,
            ),
        ]
        return [
            *self.heading(1, self.tr("Organization profile"), "profile"),
            key_value_table(pairs, self.width, self.st),
            para(
                self.tr(
                    "Profile as registered on {date}; the phone number is masked.",
                    date=fmt.date(d.today),
                ),
                self.st.note,
            ),
        ]

    # --- 2 lifecycle -----------------------------------------------------------------------

    def lifecycle(self) -> list[Flowable]:
        d, st, lang = self.d, self.st, self.lang
        out: list[Flowable] = [*self.heading(2, self.tr("Incubation lifecycle"), "lifecycle")]
        if not d.history:
            return [
                *out,
                para(
                    self.tr("The organization had not applied by the end of the period."), st.body
                ),
            ]
        out.append(charts.timeline(d.history, d.period, lang, self.width))
        rows = [
            (
                fmt.date(t.occurred_on),
                t.from_stage.display(lang) if t.from_stage else "—",
                t.to_stage.display(lang),
                t.actor,
                fmt.free_text(t.reason),
            )
            for t in d.history
        ]
        w = self.width
        out.append(
            table(
                [
                    self.tr("Date"),
                    self.tr("From stage"),
                    self.tr("To stage"),
                    self.tr("By"),
                    self.tr("Reason"),
                ],
                rows,
                [0.13 * w, 0.15 * w, 0.15 * w, 0.14 * w, 0.43 * w],
                st,
            )
        )
        if d.org.is_overdue(d.today) and d.org.agreement_planned_end:
            out.append(
                para(
                    self.tr(
                        "Overdue: the incubation agreement was planned to end on {date}.",
                        date=fmt.date(d.org.agreement_planned_end),
                    ),
                    st.note,
                )
            )
        return out

    # --- 3 support -------------------------------------------------------------------------

    def support(self) -> list[Flowable]:
        out: list[Flowable] = [
            *self.heading(3, self.tr("Support received"), "support"),
            para(
                self.tr(
                    "“In the period” covers {period}; “to date” covers everything up to {end}.",
                    period=self.d.period.describe(self.lang),
                    end=fmt.date(self.d.end),
                ),
                self.st.note,
            ),
        ]
        out += self.funds()
        out += self.projects()
        out += self.talent()
        out += self.space()
        return out

    def funds(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        b = d.fund_breakdown
        rows = []
        sources, kinds = list(FundSource), list(FundKind)
        for (source, kind), m in sorted(
            b.by_pair.items(), key=lambda kv: (sources.index(kv[0][0]), kinds.index(kv[0][1]))
        ):
            if m.is_zero and not m.disbursed_to_date:
                continue
            rows.append(
                (
                    source.display(lang),
                    kind.display(lang),
                    fmt.money(m.committed),
                    fmt.money(m.disbursed),
                    fmt.money(m.committed_to_date),
                    fmt.money(m.disbursed_to_date),
                    fmt.money(m.remaining),
                )
            )
        if not rows:  # nothing committed by the end of the period: no table of zeros
            return self.sub(
                self.tr("3.1 Funds (yuan)"),
                keep=para(self.tr("No fund committed by the end of the period."), st.body),
            )
        t, td = d.fund_totals, d.fund_totals_to_date
        total = (
            self.tr("Totals"),
            "",
            fmt.money(t.committed),
            fmt.money(t.disbursed),
            fmt.money(td.committed),
            fmt.money(td.disbursed),
            fmt.money(td.remaining),
        )
        summary = table(
            [
                self.tr("Source"),
                self.tr("Kind"),
                self.tr("Committed in period"),
                self.tr("Disbursed in period"),
                self.tr("Committed to date"),
                self.tr("Disbursed to date"),
                self.tr("Remaining"),
            ],
            rows,
            [0.16 * w, 0.18 * w] + [0.132 * w] * 5,
            st,
            numeric=range(2, 7),
            total=total,
        )
        out = self.sub(self.tr("3.1 Funds (yuan)"), keep=summary)
        if d.fund_lines:
            out.append(Spacer(1, 3 * mm))
            out.append(self._fund_list(d.fund_lines))
        return out

    def _fund_list(self, lines: list[FundLine]) -> Flowable:
        lang, w = self.lang, self.width
        rows = [
            (
                fmt.date(x.fund.committed_on),
                x.fund.title,
                x.fund.source_name or x.fund.source.display(lang),
                x.fund.kind.display(lang),
                fmt.money(x.fund.amount_committed),
                fmt.money(x.disbursed_to_date),
                fmt.money(x.remaining),
                x.fund.status.display(lang),
            )
            for x in lines
        ]
        return table(
            [
                self.tr("Committed on"),
                self.tr("Title"),
                self.tr("Funder"),
                self.tr("Kind"),
                self.tr("Committed"),
                self.tr("Disbursed to date"),
                self.tr("Remaining"),
                self.tr("Status"),
            ],
            rows,
            [0.1 * w, 0.2 * w, 0.16 * w, 0.11 * w, 0.11 * w, 0.11 * w, 0.1 * w, 0.11 * w],
            self.st,
            numeric=(4, 5, 6),
            small=True,
        )

    def projects(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        t, td = d.project_totals, d.project_totals_to_date
        if not d.projects:
            nothing = self.tr(
                "No project ran in the period. To date: {count} projects.", count=td.count
            )
            return self.sub(self.tr("3.2 Projects"), keep=para(nothing, st.body))
        out: list[Flowable] = [*self.sub(self.tr("3.2 Projects"))]
        rows = [
            (
                p.name,
                p.funder or "—",
                fmt.money(p.budget),
                self.tr("{start} to {end}", start=fmt.date(p.start_on), end=fmt.date(p.end_on)),
                fmt.integer(p.beneficiaries),
                p.status.display(lang),
            )
            for p in d.projects
        ]
        total = (
            self.tr("Totals: {count} projects", count=t.count),
            "",
            fmt.money(t.budget),
            "",
            fmt.integer(t.beneficiaries),
            "",
        )
        out.append(
            table(
                [
                    self.tr("Project"),
                    self.tr("Funder"),
                    self.tr("Budget (yuan)"),
                    self.tr("Project dates"),
                    self.tr("Beneficiaries"),
                    self.tr("Status"),
                ],
                rows,
                [0.24 * w, 0.19 * w, 0.12 * w, 0.21 * w, 0.13 * w, 0.11 * w],
                st,
                numeric=(2, 4),
                total=total,
            )
        )
        out.append(
            para(
                self.tr(
                    "Projects active in the period (cancelled ones left out). "
                    "To date: {count} projects, budget {budget}, {people} beneficiaries.",
                    count=td.count,
                    budget=fmt.money_unit(td.budget, lang),
                    people=fmt.integer(td.beneficiaries),
                ),
                st.note,
            )
        )
        return out

    def talent(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        if d.talent_totals_to_date.is_zero:
            nothing = para(self.tr("No talent support recorded by the end of the period."), st.body)
            return self.sub(self.tr("3.3 Talent"), keep=nothing)
        summary = talent_summary(d.talent_totals, d.talent_totals_to_date, lang, w, st)
        out = self.sub(self.tr("3.3 Talent"), keep=summary)
        if d.talent:
            out.append(Spacer(1, 3 * mm))
            rows = [
                (
                    fmt.date(line.record.start_on)
                    + (
                        f"–{fmt.date(line.record.end_on)}"
                        if line.record.end_on and line.record.end_on != line.record.start_on
                        else ""
                    ),
                    line.record.kind.display(lang),
                    line.record.title,
                    line.record.person_name or line.record.provider or "—",
                    fmt.integer(line.record.people_count),
                    fmt.decimal1(line.record.hours),
                    fmt.decimal1(line.hours_in_period),
                )
                for line in d.talent
            ]
            out.append(
                table(
                    [
                        self.tr("Dates"),
                        self.tr("Kind"),
                        self.tr("Title"),
                        self.tr("Person or provider"),
                        self.tr("People"),
                        self.tr("Hours in all (h)"),
                        self.tr("Of which in the period (h)"),
                    ],
                    rows,
                    [0.19 * w, 0.12 * w, 0.23 * w, 0.14 * w, 0.07 * w, 0.12 * w, 0.13 * w],
                    st,
                    numeric=(4, 5, 6),
                    small=True,
                )
            )
            out.append(
                para(
                    self.tr(
                        "An engagement's hours are spread over its days; the period counts "
                        "the share of its days that fall in it."
                    ),
                    st.note,
                )
            )
        return out

    def space(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        start, end = d.period.start, d.end
        if not d.allocations:
            nothing = self.tr(
                "No space used in the period. Space-days to date: {to_date}.",
                to_date=fmt.integer(d.space_days_to_date),
            )
            return self.sub(self.tr("3.4 Space"), keep=para(nothing, st.body))
        out: list[Flowable] = [*self.sub(self.tr("3.4 Space"))]
        rows = [
            (
                f"{a.space_code} {a.space_name}",
                fmt.area(a.area_m2),
                fmt.date(a.start_on),
                fmt.date(a.end_on),
                fmt.integer(figures.overlap_days(a.start_on, a.end_on, start, end)),
            )
            for a in d.allocations
        ]
        total = (
            self.tr("Totals"),
            fmt.area(d.allocated_area),
            "",
            "",
            fmt.integer(d.occupancy.occupied_days),
        )
        out.append(
            table(
                [
                    self.tr("Space"),
                    self.tr("Area (m²)"),
                    field_label("start_on", lang),
                    field_label("end_on", lang),
                    self.tr("Days in the period"),
                ],
                rows,
                [0.36 * w, 0.14 * w, 0.17 * w, 0.17 * w, 0.16 * w],
                st,
                numeric=(1, 4),
                total=total,
            )
        )
        days = (end - start).days + 1
        average = d.occupancy.area_m2_days / days if days > 0 else 0
        out.append(
            para(
                self.tr(
                    "Average area used in the period: {area} m² ({area_days} m²·days). "
                    "Space-days to date: {to_date}.",
                    area=fmt.area(average),
                    area_days=fmt.area(d.occupancy.area_m2_days),
                    to_date=fmt.integer(d.space_days_to_date),
                ),
                st.note,
            )
        )
        return out

    # --- 4 evaluations ---------------------------------------------------------------------

    def evaluations(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        out: list[Flowable] = [*self.heading(4, self.tr("Evaluations"), "evaluations")]
        if not d.evaluations:
            return [
                *out,
                para(self.tr("No evaluation recorded by the end of the period."), st.body),
            ]
        out.append(charts.score_chart(d.evaluations, lang, w))
        rows = [
            (
                fmt.date(e.evaluated_on),
                e.kind.display(lang),
                e.evaluator or "—",
                fmt.score(e.governance),
                fmt.score(e.finance),
                fmt.score(e.services),
                fmt.score(e.team),
                fmt.score(e.total),
            )
            for e in d.evaluations
        ]
        out.append(
            table(
                [
                    self.tr("Date"),
                    self.tr("Kind"),
                    self.tr("Evaluator"),
                    tr(charts.INDICATOR_LABELS["governance"], lang),
                    tr(charts.INDICATOR_LABELS["finance"], lang),
                    tr(charts.INDICATOR_LABELS["services"], lang),
                    tr(charts.INDICATOR_LABELS["team"], lang),
                    self.tr("Average"),
                ],
                rows,
                [0.12 * w, 0.11 * w, 0.22 * w] + [0.11 * w] * 5,
                st,
                numeric=range(3, 8),
            )
        )
        latest = d.evaluations[-1]
        if latest.conclusion:
            out.append(
                para(
                    self.tr(
                        "Latest conclusion ({date}): {text}",
                        date=fmt.date(latest.evaluated_on),
                        text=fmt.free_text(latest.conclusion),
                    ),
                    st.note,
                )
            )
        return out

    # --- 5 compliance --------------------------------------------------------------------------

    def compliance(self) -> list[Flowable]:
        """Its standing with the registration authority at the period's end, and the papers
        on file (services.compliance, services.documents)."""
        d, st, lang, w = self.d, self.st, self.lang, self.width
        s = d.standing
        out: list[Flowable] = [*self.heading(5, self.tr("Compliance and documents"), "compliance")]
        none = self.tr("none")
        pairs = [
            (field_label("supervising_unit", lang), s.supervising_unit or none),
            (
                self.tr("Rating grade at the end of the period"),
                s.grade.value if s.grade else none,
            ),
            (
                self.tr("On the authority's lists at the end of the period"),
                s.listed_text(lang) or none,
            ),
        ]
        if s.last_report is not None:
            pairs.append(
                (
                    self.tr("Annual report of {year}", year=s.last_report.year),
                    s.last_report.status.display(lang),
                )
            )
        out.append(key_value_table(pairs, w, st))
        if s.reports:
            out.extend(self.sub(self.tr("Annual reports")))
            rows = [
                (
                    str(r.year),
                    fmt.date(r.due_on),
                    fmt.date(r.submitted_on) if r.submitted_on else "—",
                    r.status(s.day).display(lang),
                    r.remarks or "",
                )
                for r in s.reports
            ]
            heads = ["Year", "Report due", "Submitted on", "Status", "Remarks"]
            widths = [0.1 * w, 0.16 * w, 0.16 * w, 0.22 * w, 0.36 * w]
            out.append(table([self.tr(h) for h in heads], rows, widths, st))
        if s.ratings:
            out.extend(self.sub(self.tr("Ratings")))
            rows = [
                (
                    r.grade.value,
                    fmt.date(r.awarded_on),
                    fmt.date(r.valid_until),
                    r.awarding_body or "",
                )
                for r in s.ratings
            ]
            heads = ["Rating grade", "Awarded on", "Valid until", "Awarding body"]
            widths = [0.14 * w, 0.18 * w, 0.18 * w, 0.5 * w]
            out.append(table([self.tr(h) for h in heads], rows, widths, st))
        if s.listings:
            out.extend(self.sub(self.tr("Authority listings")))
            rows = [
                (
                    x.list_kind.display(lang),
                    fmt.date(x.listed_on),
                    fmt.free_text(x.reason or ""),
                    fmt.date(x.removed_on) if x.removed_on else "—",
                )
                for x in s.listings
            ]
            heads = ["List", "Listed on", "Reason", "Removed on"]
            widths = [0.22 * w, 0.15 * w, 0.48 * w, 0.15 * w]
            out.append(table([self.tr(h) for h in heads], rows, widths, st))
        out.extend(self.sub(self.tr("Documents on file")))
        if not d.documents:
            out.append(para(self.tr("No document on file."), st.body))
            return out
        rows = [
            (
                fmt.date(doc.dated_on) if doc.dated_on else "—",
                doc.kind.display(lang),
                doc.title,
                d.record_labels.get((doc.record_kind, doc.record_id), "")
                if doc.record_kind and doc.record_id is not None
                else self.tr("The organization"),
                doc.size_text(),
            )
            for doc in d.documents
        ]
        heads = ["Date", "Kind", "Title", "Attached to", "Size"]
        widths = [0.14 * w, 0.16 * w, 0.3 * w, 0.28 * w, 0.12 * w]
        out.append(table([self.tr(h) for h in heads], rows, widths, st, numeric=[4]))
        return out

    # --- 6 narrative -------------------------------------------------------------------------

    def narrative(self) -> list[Flowable]:
        d, st = self.d, self.st
        out: list[Flowable] = [
            CondPageBreak(60 * mm),
            *self.heading(6, self.tr("Assessment and next steps"), "narrative"),
        ]
        for title, text in (
            (self.tr("Staff assessment"), d.narrative.narrative),
            (self.tr("Next steps"), d.narrative.next_steps),
        ):
            out.extend(self.sub(title))
            if text.strip():
                # Phone and ID-card numbers typed into the text are masked in print.
                chunks = fmt.free_text(text).split("\n\n")
                out.extend(para(chunk, st.body) for chunk in chunks)
            else:
                out.append(self.blank_lines(3))
        # The signature block that follows never stands alone on a page of its own.
        out[-1].keepWithNext = True
        return out

    # --- signatures ---------------------------------------------------------------------------

    def signatures(self) -> list[Flowable]:
        roles = [
            self.tr("Prepared by"),
            self.tr("Reviewed by"),
            self.tr("Incubation center (seal)"),
        ]
        # Kept with the narrative's last paragraph by keepWithNext (narrative()): a chain of
        # plain flowables; a KeepTogether in it would break the chain.
        gap = Spacer(1, 6 * mm)
        gap.keepWithNext = True
        return [gap, self.signature_table(roles)]


def org_story(
    data: OrgData, st: Styles, lang: str, width: float, prefix: str = "", level: int = 0
) -> list[Flowable]:
    return OrgStory(data, st, lang, width, prefix, level).build()
