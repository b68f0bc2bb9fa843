"""Which language a paragraph is written in, offline (py3langid), for ``language = "auto"``.

Each paragraph is identified on its own among the languages Wordloom can check, so a
Chinese paragraph in an English document goes to LanguageTool as Chinese and is kept
away from Harper (English only). Short paragraphs say too little: they take the
document's main language (the one of most earlier paragraphs) or English.
"""

from __future__ import annotations

import threading
from typing import Any

AUTO = "auto"
# ISO 639-1 -> the code LanguageTool is asked with
LT_CODES = {"en": "en-US", "de": "de-DE", "fr": "fr", "es": "es", "pt": "pt-PT",
            "ca": "ca-ES", "it": "it", "nl": "nl", "pl": "pl-PL", "ru": "ru-RU",
            "uk": "uk-UA", "sv": "sv", "da": "da-DK", "zh": "zh-CN", "ja": "ja-JP"}
MIN_LETTERS = 12  # below this a guess is a coin toss
MIN_CONFIDENCE = 0.6
_LOCK = threading.Lock()
_LOAD_LOCK = threading.Lock()


_IDENTIFIER: Any = None


def _identifier() -> Any:
    """py3langid's model, loaded once (about a second: call ``warm`` on a worker)."""
    global _IDENTIFIER
    with _LOAD_LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(sorted(LT_CODES))
            # the model for every language is kept to restrict again later, which Wordloom
            # never does: dropping it frees 27 MB (100,053 features x 142 languages)
            full = getattr(identifier, "_full_model", None)
            if isinstance(full, tuple) and len(full) == 3:
                identifier._full_model = (identifier.nb_ptc, identifier.nb_pc,
                                          identifier.nb_classes)
            _IDENTIFIER = identifier
    return _IDENTIFIER


def warm() -> None:
    """Load the model now rather than at the first paragraph."""
    _identifier()


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0002ffff" or \
        "\u3040" <= char <= "\u30ff"


def is_auto(language: str) -> bool:
    return language.strip().lower() == AUTO


def base(language: str) -> str:
    """``en-GB`` -> ``en``; ``auto`` -> ``en`` (the fallback)."""
    return "en" if is_auto(language) else language.split("-")[0].lower()


def detect(text: str, fallback: str = "en-US") -> str:
    """The LanguageTool code for ``text``'s language, or ``fallback`` when unsure."""
    letters = sum(1 for c in text if c.isalpha())
    cjk = sum(1 for c in text if _is_cjk(c))
    if cjk >= 4 and cjk * 2 >= letters:
        return LT_CODES["zh"] if not any("\u3040" <= c <= "\u30ff" for c in text) \
            else LT_CODES["ja"]
    if cjk:  # a few Chinese words in another language's sentence: identify the rest
        text = "".join(" " if _is_cjk(c) else c for c in text)
        letters -= cjk
    if letters < MIN_LETTERS:
        return fallback
    with _LOCK:  # one identifier, shared by the grammar and model threads
        code, confidence = _identifier().classify(text)
    if confidence < MIN_CONFIDENCE:
        return fallback
    return LT_CODES.get(code, fallback)


def resolve(language: str, text: str, fallback: str = "en-US") -> str:
    """The setting as a concrete language for ``text``: detected when it is ``auto``."""
    return detect(text, fallback) if is_auto(language) else language
