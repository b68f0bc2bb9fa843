"""Words written per day, as bars (pyqtgraph: a maintained plotting library for Qt, pure
Python, imported only when the chart is first shown)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget


class WordsChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph as pg

        self.setAccessibleName("Words written per day")
        self.setMinimumHeight(140)
        palette = self.palette()
        pg.setConfigOptions(antialias=True)
        self.plot = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.2)
        text = palette.color(QPalette.ColorRole.WindowText).name()
        self.plot.setTitle("Words written per day", color=text, size="9pt")
        self.bars: object = None
        self.days: list[tuple[dt.date, int]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def show_days(self, days: list[tuple[dt.date, int]]) -> None:
        import pyqtgraph as pg

        self.days = days
        if self.bars is not None:
            self.plot.removeItem(self.bars)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        xs = list(range(len(days)))
        heights = [words for _day, words in days]
        brushes = [pg.mkBrush(highlight if words >= 0 else "#c0392b") for words in heights]
        self.bars = pg.BarGraphItem(x=xs, height=heights, width=0.7, brushes=brushes,
                                    pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        ticks = [(i, day.strftime("%d %b")) for i, (day, _w) in enumerate(days)
                 if i % 7 == (len(days) - 1) % 7]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.setToolTip("Words written per day (the last 30 days): " + ", ".join(
            f"{day.strftime('%d %b')}: {words:,}" for day, words in days if words))
