"""Light and dark, following the system unless the writer picks one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

STYLE = """
#candidateCard { border-radius: 6px; }
#cardTitle { font-weight: 600; }
#cardScores, #cardDetails, #templateDescription, #entitiesLabel {
    color: palette(placeholder-text); }
#targetLabel { font-style: italic; }
QPlainTextEdit#editor { selection-background-color: palette(highlight); }
"""


def apply_theme(app: QApplication, theme: str) -> None:
    app.setStyle("Fusion")
    hints = QGuiApplication.styleHints()
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(
        theme, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)
    if theme == "dark" and QGuiApplication.styleHints().colorScheme() != Qt.ColorScheme.Dark:
        app.setPalette(_dark_palette())
    elif theme == "light":
        app.setPalette(app.style().standardPalette())
    app.setStyleSheet(STYLE)


def _dark_palette() -> QPalette:
    from PySide6.QtGui import QColor

    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#25262b", QPalette.ColorRole.WindowText: "#e9ecef",
        QPalette.ColorRole.Base: "#1a1b1e", QPalette.ColorRole.AlternateBase: "#2c2e33",
        QPalette.ColorRole.Text: "#e9ecef", QPalette.ColorRole.Button: "#2c2e33",
        QPalette.ColorRole.ButtonText: "#e9ecef", QPalette.ColorRole.Highlight: "#4c6ef5",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2c2e33",
        QPalette.ColorRole.ToolTipText: "#e9ecef", QPalette.ColorRole.PlaceholderText: "#909296",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    return palette
