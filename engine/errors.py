"""Errors a writer can act on. Their text is one plain line, shown as is."""


class WordloomError(Exception):
    """A problem caused by input or environment, not a bug: shown without a traceback."""


class ModelError(WordloomError):
    """A model file is missing, unreadable, or not a GGUF."""


class ContextOverflowError(WordloomError):
    """The prompt plus the answer would not fit in the model's context."""

    def __init__(self, message: str, needed: int, available: int) -> None:
        super().__init__(message)
        self.needed = needed
        self.available = available


class BusyError(WordloomError):
    """The model is already working on another request."""


class CancelledError(WordloomError):
    """The writer cancelled the request."""


class TemplateError(WordloomError):
    """A prompt template is broken or unsafe."""


class OntologyError(WordloomError):
    """An ontology file cannot be read or written."""


class DocumentError(WordloomError):
    """A document cannot be opened or saved."""


class GrammarError(WordloomError):
    """A grammar checker answered with something that cannot be read."""


class HistoryError(WordloomError):
    """A document's local history cannot be read or written."""
