"""The one place the version lives (read by pyproject, the CLI, the About box, packaging)."""

__version__ = "0.1.0"
