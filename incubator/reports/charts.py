"""Vector charts (reportlab.graphics): evaluation scores, the lifecycle timeline and the
center's figures. Every label is Han/Latin text in WenQuanYi Micro Hei (the charts print no
organization names, so no Uyghur script reaches them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from incubator.domain import INDICATORS, FundSource, SpaceKind, Stage
from incubator.i18n import T, tr
from incubator.reports import fmt
from incubator.reports.fonts import HAN
from incubator.reports.style import MUTED, NAVY, PALETTE, RULE, TEXT
from incubator.services.evaluations import EvaluationView
from incubator.services.lifecycle import TransitionView
from incubator.services.periods import Period

INDICATOR_LABELS = {
    "governance": T("Governance"),
    "finance": T("Finance"),
    "services": T("Services"),
    "team": T("Team"),
}
PERIOD = colors.HexColor("#FBEBD3")
AMBER = colors.HexColor("#E08E2B")
STAGE_COLORS = {
    Stage.APPLIED: colors.HexColor("#9AA8B8"),
    Stage.ADMITTED: colors.HexColor("#5FA3C9"),
    Stage.INCUBATING: colors.HexColor("#2E6DA4"),
    Stage.MID_TERM: colors.HexColor("#4C9A6A"),
    Stage.GRADUATED: colors.HexColor("#1F7A3F"),
    Stage.EXITED: colors.HexColor("#B5485D"),
}


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = HAN  # else the renderer sets Helvetica, which is never embedded
    d.initialFontSize = 8
    return d


def _title(d: Drawing, text: str, x: float, y: float, size: float = 9) -> None:
    d.add(String(x, y, text, fontName=HAN, fontSize=size, fillColor=NAVY))


def _axis_fonts(chart, size: float = 7.5) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = HAN
        axis.labels.fontSize = size
        axis.labels.fillColor = TEXT
        axis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E2E7EE")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.categoryAxis.visibleTicks = 0


def _legend(
    d: Drawing, items: Sequence[tuple[colors.Color, str]], x: float, y: float, **kw
) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = HAN
    legend.fontSize = kw.get("size", 7.5)
    legend.alignment = "right"
    legend.columnMaximum = kw.get("column_max", 1)
    legend.dx = legend.dy = 7
    legend.deltax = kw.get("deltax", 95)
    legend.deltay = kw.get("deltay", 11)
    legend.dxTextSpace = 4
    legend.strokeWidth = 0
    legend.boxAnchor = kw.get("anchor", "nw")
    legend.colorNamePairs = list(items)
    d.add(legend)


def score_chart(evals: Sequence[EvaluationView], lang: str, width: float) -> Drawing:
    """Scores of the latest (up to four) evaluations, grouped by indicator."""
    shown = list(evals)[-4:]
    height = 175
    d = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 46
    chart.width, chart.height = width - 44, height - 66
    cats = [tr(INDICATOR_LABELS[i], lang) for i in INDICATORS] + [tr("Average", lang)]
    chart.data = [[float(getattr(e, i)) for i in INDICATORS] + [float(e.total)] for e in shown] or [
        [0] * 5
    ]
    chart.categoryAxis.categoryNames = cats
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.barSpacing = 1.5
    chart.groupSpacing = 9
    chart.barWidth = 10
    for i in range(len(shown)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    # The labels are the tables' own strings (fmt.score: one place, half up), not a
    # "%.0f" of a float that would print 84.5 as 84.
    chart.barLabelArray = [
        [fmt.score(getattr(e, i)) for i in INDICATORS] + [fmt.score(e.total)] for e in shown
    ] or [[""] * 5]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName = HAN
    chart.barLabels.fontSize = 6
    chart.barLabels.fillColor = MUTED
    chart.barLabels.nudge = 5
    _axis_fonts(chart)
    d.add(chart)
    _title(d, tr("Scores (0–100)", lang), 0, height - 10)
    _legend(
        d,
        [
            (PALETTE[i % len(PALETTE)], f"{e.evaluated_on.isoformat()} {e.kind.display(lang)}")
            for i, e in enumerate(shown)
        ],
        34,
        4,
        column_max=1,
        deltax=(width - 40) / max(len(shown), 1),
        anchor="sw",
    )
    return d


def timeline(history: Sequence[TransitionView], period: Period, lang: str, width: float) -> Drawing:
    """Stages as coloured bands along time, transitions dated, the report period shaded."""
    height = 78
    d = _drawing(width, height)
    if not history:
        return d
    first = min(history[0].occurred_on, period.start)
    last = max(history[-1].occurred_on, period.end)
    span = max((last - first).days, 1)
    left, right = 4, width - 4
    bar_y, bar_h = 34, 13

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / span

    # The report period, shaded behind everything.
    px0, px1 = x(max(period.start, first)), x(min(period.end, last))
    d.add(Rect(px0, bar_y - 4, max(px1 - px0, 1), bar_h + 12, fillColor=PERIOD, strokeColor=None))
    for edge in (px0, px1):
        d.add(
            Line(
                edge,
                bar_y - 4,
                edge,
                bar_y + bar_h + 8,
                strokeColor=AMBER,
                strokeWidth=0.8,
                strokeDashArray=[2, 1.5],
            )
        )
    d.add(
        String(
            (px0 + px1) / 2,
            bar_y + bar_h + 11,
            tr("Report period", lang),
            fontName=HAN,
            fontSize=6.5,
            fillColor=AMBER,
            textAnchor="middle",
        )
    )
    d.add(Line(left, bar_y - 0.5, right, bar_y - 0.5, strokeColor=RULE, strokeWidth=0.5))
    ends = [t.occurred_on for t in history[1:]] + [last]
    for t, end in zip(history, ends, strict=True):
        x0, x1 = x(t.occurred_on), x(end)
        color = STAGE_COLORS[t.to_stage]
        d.add(Rect(x0, bar_y, max(x1 - x0, 1.5), bar_h, fillColor=color, strokeColor=None))
        label = t.to_stage.display(lang)
        if stringWidth(label, HAN, 6.5) + 4 < x1 - x0:
            d.add(
                String(
                    (x0 + x1) / 2,
                    bar_y + 3.7,
                    label,
                    fontName=HAN,
                    fontSize=6.5,
                    fillColor=colors.white,
                    textAnchor="middle",
                )
            )
    # Dates of the transitions under the band, skipping those that would overlap.
    taken = -1e9
    for t in history:
        tx = x(t.occurred_on)
        d.add(Line(tx, bar_y - 3, tx, bar_y + bar_h, strokeColor=NAVY, strokeWidth=0.6))
        text = t.occurred_on.isoformat()
        w = stringWidth(text, HAN, 6.3)
        lx = min(max(tx, left + w / 2), right - w / 2)
        if lx - w / 2 > taken + 3:
            d.add(
                String(
                    lx,
                    bar_y - 11,
                    text,
                    fontName=HAN,
                    fontSize=6.3,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
            taken = lx + w / 2
    # Legend of the stages that appear.
    seen = list(dict.fromkeys(t.to_stage for t in history))
    lx = left
    for stage in seen:
        label = stage.display(lang)
        d.add(Rect(lx, 4, 8, 6, fillColor=STAGE_COLORS[stage], strokeColor=None))
        d.add(String(lx + 11, 4.5, label, fontName=HAN, fontSize=6.8, fillColor=TEXT))
        lx += 11 + stringWidth(label, HAN, 6.8) + 12
    return d


def stage_chart(
    at_end: dict[Stage, int], entered: dict[Stage, int], lang: str, width: float
) -> Drawing:
    """Organizations in each stage at the period's end, and transitions into it in the period."""
    height = 150
    d = _drawing(width, height)
    chart = HorizontalBarChart()
    stages = list(Stage)
    names = [s.display(lang) for s in stages]
    label_w = max(stringWidth(n, HAN, 7.5) for n in names) + 8
    chart.x, chart.y = label_w, 44
    chart.width, chart.height = width - label_w - 14, height - 62
    chart.data = [
        [at_end.get(s, 0) for s in reversed(stages)],
        [entered.get(s, 0) for s in reversed(stages)],
    ]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[1].fillColor = PALETTE[1]
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 5
    chart.valueAxis.valueMin = 0
    top = max([*chart.data[0], *chart.data[1], 1])
    chart.valueAxis.valueMax = _nice(top)
    chart.valueAxis.valueStep = _nice(top) / 5
    chart.valueAxis.labelTextFormat = lambda v: f"{int(v):,}"
    chart.barLabelFormat = lambda v: f"{int(v):,}" if v else ""
    chart.barLabels.fontName = HAN
    chart.barLabels.fontSize = 6.3
    chart.barLabels.fillColor = MUTED
    chart.barLabels.nudge = 7
    chart.barLabels.boxAnchor = "w"
    _axis_fonts(chart)
    d.add(chart)
    _title(d, tr("Organizations by stage", lang), 0, height - 10)
    _legend(
        d,
        [
            (PALETTE[0], tr("At the end of the period", lang)),
            (PALETTE[1], tr("Entered the stage in the period", lang)),
        ],
        label_w,
        2,
        column_max=2,
        anchor="sw",
    )
    return d


def _nice(top: float) -> float:
    """A round axis maximum at or above ``top``."""
    if top <= 0:
        return 1
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= top:
            return step * magnitude
    return 10 * magnitude


def source_pie(amounts: dict[FundSource, Decimal], lang: str, width: float) -> Drawing:
    """Share of the money committed in the period by source."""
    height = 150
    d = _drawing(width, height)
    items = [(s, a) for s, a in amounts.items() if a > 0]
    _title(d, tr("Committed in the period by source", lang), 0, height - 10)
    if not items:
        d.add(
            String(
                0,
                height / 2,
                tr("Nothing committed in the period", lang),
                fontName=HAN,
                fontSize=8,
                fillColor=MUTED,
            )
        )
        return d
    pie = Pie()
    size = min(height - 40, width * 0.45)
    pie.x, pie.y = 4, 14
    pie.width = pie.height = size
    pie.data = [float(a) for _, a in items]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for i in range(len(items)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    total = sum((a for _, a in items), Decimal(0))
    _legend(
        d,
        [
            (
                PALETTE[i % len(PALETTE)],
                f"{s.display(lang)}  {fmt.percent(a / total if total else 0)}",
            )
            for i, (s, a) in enumerate(items)
        ],
        size + 16,
        14 + size,
        column_max=10,
        deltay=12,
    )
    return d


def monthly_chart(months: Sequence[tuple[str, Decimal]], lang: str, width: float) -> Drawing:
    """Money disbursed in each month of the period."""
    height = 150
    d = _drawing(width, height)
    unit, divisor = (
        (tr("10,000 yuan", lang), Decimal(10_000))
        if lang == "zh_CN"
        else (tr("thousand yuan", lang), Decimal(1000))
    )
    _title(d, tr("Disbursed by month ({unit})", lang, unit=unit), 0, height - 10)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 24
    chart.width, chart.height = width - 40, height - 46
    values = [float(a / divisor) for _, a in months] or [0.0]
    chart.data = [values]
    one_year = len({m[:4] for m, _ in months}) == 1
    chart.categoryAxis.categoryNames = [
        _month_label(int(m[5:]), lang) if one_year else m for m, _ in months
    ]
    if not one_year or len(months) > 12:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars.strokeColor = None
    chart.valueAxis.valueMin = 0
    top = max([*values, 1])
    chart.valueAxis.valueMax = _nice(top)
    chart.valueAxis.valueStep = _nice(top) / 5
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    _axis_fonts(chart, 6.5)
    d.add(chart)
    return d


def _month_label(month: int, lang: str) -> str:
    return f"{month}月" if lang == "zh_CN" else fmt.MONTHS[month - 1][:3]


def occupancy_chart(
    rates: dict[SpaceKind, Decimal], overall: Decimal, lang: str, width: float
) -> Drawing:
    """Occupancy rate by kind of space, and overall."""
    height = 150
    d = _drawing(width, height)
    _title(d, tr("Occupancy rate (%)", lang), 0, height - 10)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 24
    chart.width, chart.height = width - 36, height - 46
    kinds = list(SpaceKind)
    chart.data = [[float(rates.get(k, 0)) * 100 for k in kinds] + [float(overall) * 100]]
    chart.categoryAxis.categoryNames = [k.display(lang) for k in kinds] + [tr("All spaces", lang)]
    chart.bars[0].fillColor = PALETTE[2]
    chart.bars.strokeColor = None
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.barLabelArray = [
        [fmt.percent_number(rates.get(k, 0)) for k in kinds] + [fmt.percent_number(overall)]
    ]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName = HAN
    chart.barLabels.fontSize = 6.5
    chart.barLabels.fillColor = MUTED
    chart.barLabels.nudge = 6
    chart.barWidth = 14
    _axis_fonts(chart)
    d.add(chart)
    return d
