"""QtCharts helpers: charts drawn in the application's font (the bundled Chinese and Uyghur
fonts), with a quiet look that suits a dashboard, and amounts in readable units."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from incubator.i18n import current_language

# Stage colours: waiting (greys/blues), in incubation (greens), done (teal), left (amber).
STAGE_COLORS = {
    "applied": "#9aa5b1",
    "admitted": "#5b8def",
    "incubating": "#2e9d5b",
    "mid_term_evaluated": "#8bc34a",
    "graduated": "#00838f",
    "exited": "#e0a030",
}
COMMITTED_COLOR = "#5b8def"
DISBURSED_COLOR = "#2e9d5b"


def app_font(point_delta: float = 0, bold: bool = False) -> QFont:
    """The application font (bundled families, in fallback order), resized."""
    font = QFont(QApplication.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
    font.setPointSizeF(max(6.0, size + point_delta))
    font.setBold(bold)
    return font


def styled_chart(title: str = "") -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitle(title)
    chart.setTitleFont(app_font(1, bold=True))
    chart.legend().setFont(app_font())
    chart.legend().setLabelColor(QColor("#333333"))
    # Axis numbers in the reader's locale: with thousands separators (20,000).
    chart.setLocale(QLocale(current_language()))
    chart.setLocalizeNumbers(True)
    return chart


def style_axis(axis) -> None:
    axis.setLabelsFont(app_font(-1))
    axis.setTitleFont(app_font(-1))
    axis.setLabelsColor(QColor("#444444"))
    axis.setGridLineColor(QColor("#e4e4e4"))


def chart_view(chart: QChart, name: str, parent: QWidget | None = None) -> QChartView:
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    view.setFrameShape(QChartView.Shape.NoFrame)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    return view


def in_ten_thousands(amount: Decimal) -> float:
    """Yuan in units of 10,000 yuan (万元), the unit Chinese funding reports use on axes."""
    return float(amount / Decimal(10000))
