"""The languages every notification renders into: English, Russian and Ukrainian."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hotline.catalogue.errors import UnknownLanguageError
from hotline.catalogue.i18n.language import Language, plural_east_slavic, plural_english
from hotline.catalogue.i18n.texts import TEXTS

__all__ = ["LANGUAGES", "NBSP", "Language", "language"]

NBSP = "\u00a0"


def _texts(code: str) -> Mapping[str, str]:
    return MappingProxyType({key: getattr(row, code) for key, row in TEXTS.items()})


LANGUAGES: Mapping[str, Language] = MappingProxyType(
    {
        "en": Language("en", _texts("en"), ".", ",", 1000, plural_english),
        # Russian and Ukrainian typography: decimal comma, a space between thousands only from
        # five digits on (5000, but 35 000). The space is a no-break space (U+00A0), so that no
        # display ever wraps "35 000 футов" into "35" and "000 футов".
        "ru": Language("ru", _texts("ru"), ",", NBSP, 10_000, plural_east_slavic),
        "uk": Language("uk", _texts("uk"), ",", NBSP, 10_000, plural_east_slavic),
    }
)


def language(code: str) -> Language:
    """The language with this code, or :class:`UnknownLanguageError`."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise UnknownLanguageError(code, list(LANGUAGES)) from None
