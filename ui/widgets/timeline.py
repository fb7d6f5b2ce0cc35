"""A space's occupancy timeline: months across, one bar per allocation labelled with the
organization's name, cancelled allocations greyed (on their own rows, since they may overlap
the active ones), today marked by a red line.

The widget is as wide as its months need (``MONTH_WIDTH`` each, more when there is room); put
it in a QScrollArea and call ``x_of(date)`` to scroll to a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from incubator.domain import AllocationStatus
from incubator.i18n import current_language, tr
from incubator.services.spaces import AllocationView
from ui.forms import isolate, reads_rtl
from ui.widgets.charts import app_font

MONTH_WIDTH = 56
HEADER = 42  # year and month labels
LANE = 36
BAR = 26
MARGIN = 8
MONTHS_AROUND_TODAY = 6  # at least this many months before and after today are shown

ACTIVE_FILL = QColor("#3d7bd9")
ACTIVE_TEXT = QColor("#ffffff")
SELECTED_EDGE = QColor("#102a56")
CANCELLED_FILL = QColor("#e3e5e8")
CANCELLED_TEXT = QColor("#7b8088")
CANCELLED_EDGE = QColor("#a9aeb5")
TODAY = QColor("#c62828")
GRID = QColor("#e6e8eb")
YEAR_LINE = QColor("#9aa1aa")
PAST_SHADE = QColor(0, 0, 0, 10)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class _Bar:
    allocation: AllocationView
    lane: int


def lay_out(allocations: Sequence[AllocationView]) -> list[_Bar]:
    """Active allocations on the first row (they never overlap); cancelled ones below, each
    on the first row where it fits."""
    bars = [_Bar(a, 0) for a in allocations if a.status is AllocationStatus.ACTIVE]
    lanes: list[list[AllocationView]] = []
    cancelled = [a for a in allocations if a.status is not AllocationStatus.ACTIVE]
    for a in sorted(cancelled, key=lambda a: (a.start_on, a.id)):
        for i, lane in enumerate(lanes):
            if all(a.start_on > b.end_on or a.end_on < b.start_on for b in lane):
                lane.append(a)
                bars.append(_Bar(a, i + 1))
                break
        else:
            lanes.append([a])
            bars.append(_Bar(a, len(lanes)))
    return bars


class AllocationTimeline(QWidget):
    allocationSelected = Signal(int)  # allocation id, or -1 when nothing is selected
    allocationActivated = Signal(int)  # double click on a bar
    allocationMenuRequested = Signal(int, QPoint)  # right click on a bar: id, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allocationTimeline")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor("#ffffff"))
        self.setPalette(pal)
        self.today = dt.date.today()
        self.bars: list[_Bar] = []
        self.selected_id: int | None = None
        self.first = shift_months(self.today, -MONTHS_AROUND_TODAY)
        self.months = 2 * MONTHS_AROUND_TODAY + 1
        self.empty_text = ""
        self._relayout()

    # --- data ------------------------------------------------------------------------------
    def set_allocations(
        self, allocations: Sequence[AllocationView], today: dt.date | None = None
    ) -> None:
        self.today = today or dt.date.today()
        self.bars = lay_out(allocations)
        starts = [a.start_on for a in allocations] + [
            shift_months(self.today, -MONTHS_AROUND_TODAY)
        ]
        ends = [a.end_on for a in allocations] + [shift_months(self.today, MONTHS_AROUND_TODAY)]
        self.first = month_start(min(starts))
        last = month_start(max(ends))
        self.months = (last.year - self.first.year) * 12 + last.month - self.first.month + 1
        if self.selected_id not in {b.allocation.id for b in self.bars}:
            self.selected_id = None
        self._relayout()

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.update()

    def allocations(self) -> list[AllocationView]:
        return [b.allocation for b in self.bars]

    def labels(self) -> list[str]:
        """Bar labels (the organizations' names), in drawing order: for tests and tooltips."""
        return [b.allocation.organization_name for b in self.bars]

    def select(self, allocation_id: int | None) -> None:
        if allocation_id == self.selected_id:
            return
        self.selected_id = allocation_id
        self.update()

    # --- geometry --------------------------------------------------------------------------
    def _lanes(self) -> int:
        return max([b.lane for b in self.bars], default=0) + 1

    def _relayout(self) -> None:
        height = HEADER + self._lanes() * LANE + 2 * MARGIN
        self.setFixedHeight(height)
        self.setMinimumWidth(self.months * MONTH_WIDTH + 2 * MARGIN)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self.months * MONTH_WIDTH + 2 * MARGIN, self.height())

    def _month_width(self) -> float:
        return max(MONTH_WIDTH, (self.width() - 2 * MARGIN) / max(self.months, 1))

    def x_of(self, day: dt.date) -> float:
        """Left edge of ``day`` in widget coordinates."""
        index = (day.year - self.first.year) * 12 + day.month - self.first.month
        start = dt.date(day.year, day.month, 1)
        days_in_month = (next_month(start) - start).days
        return MARGIN + (index + (day.day - 1) / days_in_month) * self._month_width()

    def _after(self, day: dt.date) -> float:
        return self.x_of(day + dt.timedelta(days=1))

    def bar_rect(self, bar: _Bar) -> QRectF:
        a = bar.allocation
        left = self.x_of(a.start_on)
        right = self._after(a.end_on)
        top = MARGIN + HEADER + bar.lane * LANE + (LANE - BAR) / 2
        return QRectF(left, top, max(right - left, 3.0), BAR)

    def bar_at(self, pos) -> _Bar | None:
        for bar in reversed(self.bars):
            if bar_rect_contains(self.bar_rect(bar), pos):
                return bar
        return None

    # --- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_months(p)
        for bar in self.bars:
            self._paint_bar(p, bar)
        self._paint_today(p)
        if not self.bars and self.empty_text:
            p.setPen(CANCELLED_TEXT)
            p.setFont(app_font())
            area = QRectF(0, MARGIN + HEADER, self.width(), LANE)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        p.end()

    def _paint_months(self, p: QPainter) -> None:
        locale = QLocale(current_language())
        small = app_font(-1)
        bold = app_font(0, bold=True)
        bottom = self.height() - MARGIN
        # Past days lightly shaded.
        today_x = self.x_of(self.today)
        p.fillRect(
            QRectF(MARGIN, MARGIN + HEADER, today_x - MARGIN, bottom - MARGIN - HEADER), PAST_SHADE
        )
        day = self.first
        for _ in range(self.months):
            x = self.x_of(day)
            width = self._month_width()
            is_january = day.month == 1
            p.setPen(QPen(YEAR_LINE if is_january else GRID, 1))
            p.drawLine(int(x), MARGIN + 18, int(x), bottom)
            months_in = (day.year - self.first.year) * 12 + day.month - self.first.month
            if is_january or day == self.first or (day.month == 7 and months_in >= 4):
                # The year over January (and, lighter, over July and the first month shown).
                p.setPen(QColor("#333333") if is_january else QColor("#8a9099"))
                p.setFont(bold)
                p.drawText(
                    QRectF(x + 3, MARGIN, 3 * width, 18),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    str(day.year),
                )
            p.setPen(QColor("#5f6b7a"))
            p.setFont(small)
            p.drawText(
                QRectF(x, MARGIN + 20, width, 20),
                Qt.AlignmentFlag.AlignCenter,
                locale.standaloneMonthName(day.month, QLocale.FormatType.ShortFormat),
            )
            day = next_month(day)
        p.setPen(QPen(GRID, 1))
        p.drawLine(MARGIN, MARGIN + HEADER, int(self.x_of(day)), MARGIN + HEADER)

    def _paint_bar(self, p: QPainter, bar: _Bar) -> None:
        a = bar.allocation
        rect = self.bar_rect(bar)
        active = a.status is AllocationStatus.ACTIVE
        selected = a.id == self.selected_id
        if active:
            p.setBrush(ACTIVE_FILL)
            pen = QPen(
                SELECTED_EDGE if selected else ACTIVE_FILL.darker(115), 2.5 if selected else 1
            )
        else:
            p.setBrush(CANCELLED_FILL)
            pen = QPen(SELECTED_EDGE if selected else CANCELLED_EDGE, 2.5 if selected else 1)
            pen.setStyle(Qt.PenStyle.SolidLine if selected else Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRoundedRect(rect, 4, 4)
        label = a.organization_name
        if not active:
            label = tr("{name} ({status})", name=isolate(label), status=a.status.display())
        font = app_font(-1)
        p.setFont(font)
        # The label stays within the part of the bar in view (a long bar may reach beyond the
        # scroll area on either side); ``moveEvent`` repaints all when scrolled.
        seen = QRectF(self.visibleRegion().boundingRect())
        inner = rect.adjusted(6, 0, -6, 0)
        if not seen.isEmpty():
            inner = inner.intersected(seen.adjusted(4, -BAR, -4, BAR))
        if inner.width() < 12:
            return
        text = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, int(inner.width()))
        p.setPen(ACTIVE_TEXT if active else CANCELLED_TEXT)
        # Uyghur (right-to-left) names start at the right edge, as their readers expect.
        side = Qt.AlignmentFlag.AlignRight if reads_rtl(label) else Qt.AlignmentFlag.AlignLeft
        p.drawText(inner, side | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_today(self, p: QPainter) -> None:
        x = self.x_of(self.today) + self._month_width() / 60  # the middle of the day, roughly
        p.setPen(QPen(TODAY, 2))
        p.drawLine(int(x), MARGIN + HEADER - 4, int(x), self.height() - MARGIN)
        p.setFont(app_font(-1, bold=True))
        label = tr("Today")
        width = QFontMetrics(p.font()).horizontalAdvance(label) + 8
        p.fillRect(QRectF(x - width / 2, MARGIN + 1, width, 16), QColor("#ffffff"))
        p.drawText(
            QRectF(x - width / 2, MARGIN + 1, width, 16), Qt.AlignmentFlag.AlignCenter, label
        )

    def moveEvent(self, event) -> None:
        # Scrolled: labels are placed in the visible part of their bars, so repaint them all
        # (the scroll area would otherwise only paint the newly exposed strip).
        super().moveEvent(event)
        self.update()

    # --- interaction -----------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position())
        self.select(bar.allocation.id if bar else None)
        self.allocationSelected.emit(bar.allocation.id if bar else -1)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position())
        if bar is not None:
            self.allocationActivated.emit(bar.allocation.id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        bar = self.bar_at(event.pos())
        if bar is None:
            return
        self.select(bar.allocation.id)
        self.allocationSelected.emit(bar.allocation.id)
        self.allocationMenuRequested.emit(bar.allocation.id, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), describe(bar.allocation), self)
            return True
        return super().event(event)


def bar_rect_contains(rect: QRectF, pos) -> bool:
    return rect.contains(float(pos.x()), float(pos.y()))


def describe(a: AllocationView) -> str:
    return "\n".join(
        part
        for part in (
            a.organization_name,
            tr(
                "{start} to {end} ({days} days)",
                start=a.start_on,
                end=a.end_on,
                days=a.days(),
            ),
            a.status.display(),
            a.notes or "",
        )
        if part
    )
