"""The center report for a period: key figures, organizations by stage and their movements,
funds by source and kind, projects, talent, space occupancy, charts, and an annex listing
every organization with its totals (landscape pages)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from incubator.domain import FundKind, FundSource, Stage
from incubator.i18n import field_label
from incubator.reports import charts, fmt
from incubator.reports.data import CenterData, Money
from incubator.reports.layout import Marker, bookmark, logo_image, section
from incubator.reports.org_report import Story, talent_summary
from incubator.reports.style import (
    LongTable,
    Styles,
    cover_facts,
    key_figures,
    plain_style,
    table,
)
from incubator.reports.text import para
from incubator.services.headcount import INCUBATED_MEANS, ORGANIZATIONS_MEANS

ROWS_PER_PAGE = 30  # annex rows on a landscape page, for the progress estimate


class CenterStory(Story):
    def __init__(
        self,
        data: CenterData,
        st: Styles,
        lang: str,
        width: float,
        landscape_width: float,
        prefix: str = "center",
        level: int = 0,
        cover: bool = True,
    ) -> None:
        self.d, self.st, self.lang = data, st, lang
        self.width, self.lwidth = width, landscape_width
        self.prefix, self.level = prefix, level
        # In a committee pack the pack's own cover comes first: no second one.
        self.sections = (("cover",) if cover else ()) + self.body_sections

    def expected_pages(self) -> int:
        return 7 + len(self.d.rows) // ROWS_PER_PAGE

    body_sections = (
        "title_block",
        "summary",
        "organizations",
        "funds",
        "projects_talent",
        "space",
        "overdue",
        "compliance",
        "signatures",
        "annex",
    )

    # --- cover and summary -----------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        d, st, lang = self.d, self.st, self.lang
        c = d.center
        name = c.name or self.tr("Social Organization Incubation Center")
        facts = [
            (field_label(key, lang), value)
            for key, value in (
                ("purchaser", c.purchaser),
                ("operator", c.operator),
                ("contract_no", c.contract_no),
            )
            if value
        ]
        facts.append((self.tr("Prepared on"), fmt.long_date(d.today, lang)))
        out: list[Flowable] = [
            Marker(title=self.tr("Center report"), note=d.period.describe(lang)),
            Spacer(1, 35 * mm),
        ]
        if c.logo:
            out += [logo_image(c.logo, 30 * mm), Spacer(1, 8 * mm)]
        out += [
            para(name, st.cover_name),
            Spacer(1, 6 * mm),
            para(self.tr("Center report"), st.cover_title),
            para(d.period.label(lang), st.cover_period),
        ]
        if d.period.kind != "range":  # a range's label is its dates already
            dates = self.tr(
                "{start} to {end}", start=fmt.date(d.period.start), end=fmt.date(d.period.end)
            )
            out.append(para(dates, st.period))
        out += [
            Spacer(1, 40 * mm),
            cover_facts(facts, self.width * 0.7, st),
            PageBreak(),
        ]
        return out

    def summary(self) -> list[Flowable]:
        d, st = self.d, self.st
        year = d.end.year
        header = [
            self.tr("Indicator"),
            self.tr("Target for {year}", year=year),
            self.tr("In the period"),
            self.tr("{year} to date", year=year),
            self.tr("Completion"),
        ]
        rows = [
            (
                self.tr(k.label),
                ("≤ " if k.at_most and k.target is not None else "") + self._kpi(k, k.target),
                self._kpi(k, k.in_period),
                self._kpi(k, k.in_year),
                self._completion(k),
            )
            for k in d.indicators
        ]
        w = self.width
        kpi_table = table(
            header,
            rows,
            [0.34 * w, 0.16 * w, 0.16 * w, 0.18 * w, 0.16 * w],
            st,
            numeric=(1, 2, 3, 4),
        )
        out: list[Flowable] = [
            *section(self.tr("Summary"), f"{self.prefix}-summary", self.level + 1),
            *self.sub(self.tr("Key performance indicators"), keep=kpi_table),
            para(
                self.tr(
                    "Targets are set per year in Settings. Completion is the year's value to the "
                    "end of the period as a share of the target; the graduation rate is "
                    "graduations over graduations and exits; overdue payments are counted at "
                    "the end of the period."
                ),
                st.note,
            ),
        ]
        summary = d.summary
        for title, text in (
            (self.tr("Highlights"), summary.highlights if summary else ""),
            (self.tr("Problems found"), summary.problems if summary else ""),
            (self.tr("Corrective actions"), summary.actions if summary else ""),
        ):
            body = (
                [para(chunk, st.body) for chunk in fmt.free_text(text).split("\n\n")]
                if text.strip()
                else [self.blank_lines(3)]
            )
            out += self.sub(title, keep=body[0])
            out += body[1:]
        return out

    def _kpi(self, k, value) -> str:
        if value is None:
            return "—"
        return {
            "count": fmt.integer,
            "rate": fmt.percent,
            "money": fmt.money,
            "hours": fmt.decimal1,
        }[k.kind](value)

    def _completion(self, k) -> str:
        if k.target is None:
            return self.tr("no target")
        if k.at_most:
            return self.tr("met") if k.met else self.tr("not met")
        return fmt.percent(k.completion) if k.completion is not None else "—"

    def title_block(self) -> list[Flowable]:
        d, st, lang = self.d, self.st, self.lang
        title = self.tr("Center report")
        name = d.center.name or self.tr("Social Organization Incubation Center")
        count = d.headcount
        end = fmt.date(d.end)
        band = [
            (self.tr("Organizations at the end of the period"), fmt.integer(count.organizations)),
            (
                self.tr("Being incubated at the end of the period"),
                fmt.integer(count.being_incubated),
            ),
            (self.tr("Admitted in the period"), fmt.integer(d.entered[Stage.ADMITTED])),
            (self.tr("Graduated in the period"), fmt.integer(d.entered[Stage.GRADUATED])),
            (self.tr("Committed in the period (yuan)"), fmt.money(d.fund_totals.committed)),
            (self.tr("Space occupancy in the period"), fmt.percent(d.occupancy.rate)),
        ]
        return [
            Marker(title=f"{title} · {d.period.label(lang)}", note=d.period.describe(lang)),
            bookmark(para(title, st.title), self.prefix, title, self.level),
            para(name, st.subtitle),
            para(self.period_line(d.period, d.today), st.period),
            Spacer(1, 5 * mm),
            key_figures(band, self.width, st),
            para(self.tr(ORGANIZATIONS_MEANS, date=end), st.note),
            para(self.tr(INCUBATED_MEANS, date=end), st.note),
            Spacer(1, 2 * mm),
        ]

    def organizations(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        rows = [
            (s.display(lang), fmt.integer(d.stage_at_end[s]), fmt.integer(d.entered[s]))
            for s in Stage
        ]
        total = (
            self.tr("Totals"),
            fmt.integer(d.headcount.organizations),
            fmt.integer(sum(d.entered.values())),
        )
        t = table(
            [
                self.tr("Stage"),
                self.tr("At the end of the period"),
                self.tr("Entered in the period"),
            ],
            rows,
            [0.17 * w, 0.13 * w, 0.13 * w],
            st,
            numeric=(1, 2),
            total=total,
        )
        chart = charts.stage_chart(d.stage_at_end, d.entered, lang, 0.53 * w)
        side = Table([[t, chart]], colWidths=[0.45 * w, 0.55 * w])
        side.setStyle(_side_by_side())
        summary = self.tr(
            "In the period: {applied} applications, {admitted} admissions, "
            "{graduated} graduations and {exited} exits.",
            applied=fmt.integer(d.entered[Stage.APPLIED]),
            admitted=fmt.integer(d.entered[Stage.ADMITTED]),
            graduated=fmt.integer(d.entered[Stage.GRADUATED]),
            exited=fmt.integer(d.entered[Stage.EXITED]),
        )
        return [
            *self.heading(1, self.tr("Organizations"), "orgs"),
            para(summary, st.body),
            Spacer(1, 2 * mm),
            side,
            para(
                self.tr(
                    "Stages as recorded in each organization's lifecycle on {date}.",
                    date=fmt.date(d.end),
                ),
                st.note,
            ),
        ]

    def _money_table(self, label: str, items: list[tuple[str, Money]], total: Money) -> Flowable:
        w = self.width

        def cols(m: Money) -> list[str]:
            return [
                fmt.money(m.committed),
                fmt.money(m.disbursed),
                fmt.money(m.committed_to_date),
                fmt.money(m.disbursed_to_date),
                fmt.money(m.remaining),
            ]

        return table(
            [
                label,
                self.tr("Committed in period"),
                self.tr("Disbursed in period"),
                self.tr("Committed to date"),
                self.tr("Disbursed to date"),
                self.tr("Remaining"),
            ],
            [(name, *cols(m)) for name, m in items],
            [0.2 * w] + [0.16 * w] * 5,
            self.st,
            numeric=range(1, 6),
            total=(self.tr("Totals"), *cols(total)),
        )

    def funds(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        b = d.funds
        total = Money(
            d.fund_totals.committed,
            d.fund_totals.disbursed,
            d.fund_totals_to_date.committed,
            d.fund_totals_to_date.disbursed,
        )
        if b.total.is_zero:
            return [
                *self.heading(2, self.tr("Funds (yuan)"), "funds"),
                para(self.tr("No fund committed by the end of the period."), st.body),
            ]
        pie = charts.source_pie({s: b.by_source[s].committed for s in FundSource}, lang, 0.48 * w)
        months = charts.monthly_chart(d.disbursed_by_month, lang, 0.5 * w)
        side = Table([[pie, months]], colWidths=[0.5 * w, 0.5 * w])
        side.setStyle(_side_by_side())
        return [
            *self.heading(2, self.tr("Funds (yuan)"), "funds"),
            *self.sub(
                self.tr("By source"),
                keep=self._money_table(
                    self.tr("Source"),
                    [(s.display(lang), b.by_source[s]) for s in FundSource],
                    total,
                ),
            ),
            *self.sub(
                self.tr("By kind"),
                keep=self._money_table(
                    self.tr("Kind"), [(k.display(lang), b.by_kind[k]) for k in FundKind], total
                ),
            ),
            para(
                self.tr(
                    "Committed by commitment date, disbursed by payment date; cancelled funds "
                    "are left out. Remaining is what was committed by {date} and not yet paid.",
                    date=fmt.date(d.end),
                ),
                st.note,
            ),
            Spacer(1, 3 * mm),
            side,
        ]

    def projects_talent(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        rows = [
            (s.display(lang), fmt.integer(n), fmt.money(budget), fmt.integer(people))
            for s, (n, budget, people) in d.projects_by_status.items()
        ]
        t = d.project_totals
        projects = table(
            [
                self.tr("Status"),
                self.tr("Projects"),
                self.tr("Budget (yuan)"),
                self.tr("Beneficiaries"),
            ],
            rows,
            [0.25 * w, 0.2 * w, 0.3 * w, 0.25 * w],
            st,
            numeric=(1, 2, 3),
            total=(
                self.tr("Totals"),
                fmt.integer(t.count),
                fmt.money(t.budget),
                fmt.integer(t.beneficiaries),
            ),
        )
        td = d.project_totals_to_date
        if not t.count:
            projects = para(
                self.tr("No project ran in the period. To date: {count} projects.", count=td.count),
                st.body,
            )
        talent: Flowable = talent_summary(
            d.talent_totals, d.talent_totals_to_date, self.lang, w, st
        )
        if d.talent_totals_to_date.is_zero:
            talent = para(self.tr("No talent support recorded by the end of the period."), st.body)
        return [
            *self.heading(3, self.tr("Projects"), "projects"),
            projects,
            para(
                self.tr(
                    "Projects active in the period (cancelled ones left out). "
                    "To date: {count} projects, budget {budget}, {people} beneficiaries.",
                    count=fmt.integer(td.count),
                    budget=fmt.money_unit(td.budget, lang),
                    people=fmt.integer(td.beneficiaries),
                ),
                st.note,
            ),
            *self.heading(4, self.tr("Talent"), "talent"),
            talent,
            para(
                self.tr(
                    "Training sessions count in the period they start; mentors and social "
                    "workers in every period their engagement runs. An engagement's hours are "
                    "spread over its days, and each period counts its share."
                ),
                st.note,
            ),
        ]

    def space(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        rows = [
            (
                k.display(lang),
                fmt.integer(o.spaces),
                fmt.area(o.area_m2),
                fmt.integer(o.space_days),
                fmt.integer(o.occupied_days),
                fmt.percent(o.rate),
            )
            for k, o in d.occupancy_by_kind.items()
        ]
        occ = d.occupancy
        total_area = sum((o.area_m2 for o in d.occupancy_by_kind.values()), Decimal("0"))
        t = table(
            [
                self.tr("Kind"),
                self.tr("Spaces"),
                self.tr("Area (m²)"),
                self.tr("Space-days available"),
                self.tr("Space-days used"),
                self.tr("Occupancy"),
            ],
            rows,
            [0.2 * w, 0.12 * w, 0.16 * w, 0.18 * w, 0.18 * w, 0.16 * w],
            st,
            numeric=range(1, 6),
            total=(
                self.tr("All spaces"),
                fmt.integer(sum(o.spaces for o in d.occupancy_by_kind.values())),
                fmt.area(total_area),
                fmt.integer(occ.space_days),
                fmt.integer(occ.occupied_days),
                fmt.percent(occ.rate),
            ),
        )
        chart = charts.occupancy_chart(
            {k: o.rate for k, o in d.occupancy_by_kind.items()}, occ.rate, lang, 0.5 * w
        )
        return [
            *self.heading(5, self.tr("Space"), "space"),
            t,
            para(
                self.tr(
                    "Occupancy: the share of space-days of the center's spaces in use "
                    "covered by active allocations."
                ),
                st.note,
            ),
            Spacer(1, 2 * mm),
            chart,
        ]

    # --- overdue, signatures ---------------------------------------------------------------

    def overdue(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.width
        end = fmt.date(d.end)
        out = self.heading(6, self.tr("Overdue at the end of the period"), "overdue")
        if d.overdue_payments:
            rows = [
                (
                    p.organization,
                    p.fund,
                    fmt.date(p.due_on),
                    fmt.money(p.amount),
                    fmt.integer(p.days),
                )
                for p in d.overdue_payments
            ]
            payments: Flowable = table(
                [
                    field_label("name", lang),
                    self.tr("Fund"),
                    self.tr("Due on"),
                    self.tr("Amount (yuan)"),
                    self.tr("Days overdue"),
                ],
                rows,
                [0.34 * w, 0.26 * w, 0.13 * w, 0.15 * w, 0.12 * w],
                st,
                numeric=(3, 4),
                total=(
                    self.tr("Totals: {count} payments", count=fmt.integer(len(rows))),
                    "",
                    "",
                    fmt.money(sum((p.amount for p in d.overdue_payments), Decimal(0))),
                    "",
                ),
            )
        else:
            payments = para(self.tr("No payment was overdue on {date}.", date=end), st.body)
        out += self.sub(self.tr("Scheduled payments not received"), keep=payments)
        if d.overdue_evaluations:
            rows = [
                (e.organization, e.kind.display(lang), fmt.date(e.due_on), fmt.integer(e.days))
                for e in d.overdue_evaluations
            ]
            evals: Flowable = table(
                [
                    field_label("name", lang),
                    self.tr("Evaluation due"),
                    self.tr("Due by"),
                    self.tr("Days overdue"),
                ],
                rows,
                [0.46 * w, 0.2 * w, 0.18 * w, 0.16 * w],
                st,
                numeric=(3,),
            )
        else:
            evals = para(self.tr("No evaluation was overdue on {date}.", date=end), st.body)
        out += self.sub(self.tr("Evaluations not held"), keep=evals)
        out.append(
            para(
                self.tr(
                    "A mid-term evaluation is due six months after the incubation agreement "
                    "starts; a graduation evaluation by the agreement's planned end."
                ),
                st.note,
            )
        )
        return out

    def compliance(self) -> list[Flowable]:
        """Standing with the registration authority at the period's end
        (services.compliance.center_overview)."""
        d, st, lang, w = self.d, self.st, self.lang, self.width
        c = d.compliance
        assert c is not None
        out = self.heading(7, self.tr("Compliance with the registration authority"), "compliance")
        rows = [(status.display(lang), fmt.integer(n)) for status, n in c.by_status.items() if n]
        reports = table(
            [self.tr("Status"), self.tr("Organizations")],
            rows,
            [0.7 * w, 0.3 * w],
            st,
            numeric=(1,),
            total=(self.tr("Expected to report"), fmt.integer(c.expected)),
        )
        out += self.sub(
            self.tr("Annual reports of {year} on {date}", year=c.year, date=fmt.date(c.day)),
            keep=reports,
        )
        grades = table(
            [grade.value for grade in c.by_grade],
            [[fmt.integer(n) for n in c.by_grade.values()]],
            [w / len(c.by_grade)] * len(c.by_grade),
            st,
            numeric=range(len(c.by_grade)),
        )
        out += self.sub(self.tr("Organizations by rating grade"), keep=grades)
        if c.listed:
            rows = [
                (
                    x.name,
                    x.listing.list_kind.display(lang),
                    fmt.date(x.listing.listed_on),
                    fmt.free_text(x.listing.reason or ""),
                )
                for x in c.listed
            ]
            listed: Flowable = table(
                [
                    field_label("name", lang),
                    self.tr("List"),
                    self.tr("Listed on"),
                    self.tr("Reason"),
                ],
                rows,
                [0.34 * w, 0.2 * w, 0.14 * w, 0.32 * w],
                st,
            )
        else:
            listed = para(
                self.tr(
                    "No organization was on the authority's lists on {date}.", date=fmt.date(c.day)
                ),
                st.body,
            )
        out += self.sub(self.tr("On the authority's lists"), keep=listed)
        return out

    def signatures(self) -> list[Flowable]:
        roles = [
            self.tr("Prepared by"),
            self.tr("Reviewed by"),
            self.tr("Operator (seal)"),
            self.tr("Purchaser (seal)"),
        ]
        return [KeepTogether([Spacer(1, 8 * mm), self.signature_table(roles)])]

    def annex(self) -> list[Flowable]:
        d, st, lang, w = self.d, self.st, self.lang, self.lwidth
        if not d.rows:
            return [
                *self.heading(8, self.tr("Annex: all organizations"), "annex"),
                para(
                    self.tr("No organization had applied by {date}.", date=fmt.date(d.end)), st.body
                ),
            ]
        rows = [
            (
                fmt.integer(i),
                r.name,
                r.credit_code or "—",
                (r.stage.display(lang) if r.stage else "—")
                + (self.tr(" (archived)") if r.archived else ""),
                fmt.money(r.committed),
                fmt.money(r.disbursed),
                fmt.integer(r.projects),
                fmt.money(r.budget),
                fmt.integer(r.beneficiaries),
                fmt.integer(r.trainings),
                fmt.decimal1(r.training_hours),
                fmt.integer(r.space_days),
            )
            for i, r in enumerate(d.rows, start=1)
        ]
        total = (
            "",
            self.tr("Totals: {count} organizations", count=fmt.integer(len(d.rows))),
            "",
            "",
            fmt.money(sum((r.committed for r in d.rows), Decimal(0))),
            fmt.money(sum((r.disbursed for r in d.rows), Decimal(0))),
            fmt.integer(sum(r.projects for r in d.rows)),
            fmt.money(sum((r.budget for r in d.rows), Decimal(0))),
            fmt.integer(sum(r.beneficiaries for r in d.rows)),
            fmt.integer(sum(r.trainings for r in d.rows)),
            fmt.decimal1(d.talent_totals.training_hours),
            fmt.integer(sum(r.space_days for r in d.rows)),
        )
        # No., name, code, stage, committed, disbursed, projects, budget, beneficiaries,
        # trainings, hours, space-days: shares of the landscape width.
        fractions = [0.045, 0.185, 0.12, 0.085, 0.085, 0.085, 0.055, 0.085, 0.075, 0.06, 0.055]
        fractions.append(1 - sum(fractions))
        header = [
            self.tr("#"),
            field_label("name", lang),
            field_label("credit_code", lang),
            self.tr("Stage"),
            self.tr("Committed (yuan)"),
            self.tr("Disbursed (yuan)"),
            self.tr("Projects"),
            self.tr("Budget (yuan)"),
            self.tr("Beneficiaries"),
            self.tr("Trainings"),
            self.tr("Training hours (h)"),
            self.tr("Space-days used"),
        ]
        return [
            NextPageTemplate("landscape"),
            PageBreak(),
            *self.heading(8, self.tr("Annex: all organizations"), "annex"),
            para(
                self.tr(
                    "Every organization that had applied by {date} or received support in "
                    "the period, in pinyin order; figures for the period, stage at its end.",
                    date=fmt.date(d.end),
                ),
                st.note,
            ),
            Spacer(1, 2 * mm),
            LongTable(
                header,
                rows,
                [f * w for f in fractions],
                st,
                total=total,
                numeric=(0, 4, 5, 6, 7, 8, 9, 10, 11),
                small=True,
            ),
            NextPageTemplate("portrait"),
        ]


def _side_by_side() -> TableStyle:
    return plain_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    )
