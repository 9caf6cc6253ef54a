"""Languages: every text in every language, clean alphabets, correct numbers and plurals."""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import UTC, datetime

import pytest

from hotline.catalogue import PHRASEBOOK
from hotline.catalogue.errors import UnknownLanguageError
from hotline.catalogue.i18n import LANGUAGES, language
from hotline.catalogue.i18n.language import plural_east_slavic
from hotline.catalogue.i18n.texts import TEXTS
from hotline.catalogue.notifications import AMENDABLE

RU_ONLY = set("ыэъёЫЭЪЁ")
UK_ONLY = set("іїєґІЇЄҐ")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def all_texts() -> list[tuple[str, str, str]]:
    """(key, language, text) for every text and every phrase."""
    rows = [(key, lang, getattr(row, lang)) for key, row in TEXTS.items() for lang in LANGUAGES]
    rows += [(p.code, lang, p.text(lang)) for p in PHRASEBOOK.values() for lang in LANGUAGES]
    return rows


def test_the_catalogue_has_english_russian_and_ukrainian() -> None:
    assert sorted(LANGUAGES) == ["en", "ru", "uk"]
    with pytest.raises(
        UnknownLanguageError, match="language 'de' is not available; use one of en, ru, uk"
    ):
        language("de")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    row = TEXTS[key]
    texts = {lang: getattr(row, lang) for lang in LANGUAGES}
    assert all(t.strip() == t and t for t in texts.values()), texts
    assert len({frozenset(placeholders(t)) for t in texts.values()}) == 1, texts


def test_russian_and_ukrainian_are_not_left_in_english() -> None:
    """A text identical in all three languages must be a code or abbreviation, not words."""
    same = sorted(k for k, row in TEXTS.items() if row.en == row.ru == row.uk)
    for key in same:
        words = re.findall(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}", "", TEXTS[key].en))
        assert all(w.isupper() or w in ("Galileo",) for w in words), key


@pytest.mark.parametrize(("key", "lang", "text"), all_texts())
def test_no_word_mixes_latin_and_cyrillic_letters(key: str, lang: str, text: str) -> None:
    """Look-alike letters (Latin "o" in a Russian word) make text that reads right and
    searches wrong; an operator's copy-paste into a search would miss it."""
    for word in re.findall(r"\w+", text):
        scripts = {unicodedata.name(ch).split()[0] for ch in word if ch.isalpha()}
        assert len(scripts & {"LATIN", "CYRILLIC"}) < 2, (key, lang, word)


@pytest.mark.parametrize(("key", "lang", "text"), all_texts())
def test_russian_has_no_ukrainian_letters_and_ukrainian_no_russian(
    key: str, lang: str, text: str
) -> None:
    if lang == "ru":
        assert not set(text) & UK_ONLY, (key, text)
    if lang == "uk":
        assert not set(text) & RU_ONLY, (key, text)
        assert "'" not in text, (key, "Ukrainian apostrophe is ’, not '")
    if lang == "en":
        assert not re.search(r"[А-Яа-яЁёІіЇїЄєҐґ]", text), (key, text)


def test_every_field_of_every_type_has_a_label() -> None:
    from hotline.catalogue import CATALOGUE

    for spec in CATALOGUE:
        for name in spec.model.model_fields:
            if name != "type":
                assert f"field.{name}" in TEXTS, (spec.name, name)
    for model in AMENDABLE:  # amendments list changed fields by their labels
        assert {f"field.{n}" for n in model.model_fields if n != "type"} <= set(TEXTS)


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("0", "many"),
        ("1", "one"),
        ("2", "few"),
        ("4", "few"),
        ("5", "many"),
        ("11", "many"),
        ("12", "many"),
        ("14", "many"),
        ("21", "one"),
        ("22", "few"),
        ("25", "many"),
        ("101", "one"),
        ("111", "many"),
        ("1\u00a0001", "one"),
        ("2,5", "other"),
        ("0,5", "other"),
    ],
)
def test_east_slavic_plural_categories(written: str, category: str) -> None:
    assert plural_east_slavic(written) == category


@pytest.mark.parametrize(
    ("lang", "value", "unit", "decimals", "expected"),
    [
        ("ru", 1, "unit.nm", 0, "1 морская миля"),
        ("ru", 2, "unit.nm", 0, "2 морские мили"),
        ("ru", 5, "unit.nm", 0, "5 морских миль"),
        ("ru", 21, "unit.nm", 0, "21 морская миля"),
        ("ru", 11, "unit.nm", 0, "11 морских миль"),
        ("ru", 2.5, "unit.nm", 1, "2,5 морской мили"),
        ("ru", 2.0, "unit.nm", 1, "2 морские мили"),
        ("uk", 1, "unit.nm", 0, "1 морська миля"),
        ("uk", 3, "unit.nm", 0, "3 морські милі"),
        ("uk", 14, "unit.nm", 0, "14 морських миль"),
        ("uk", 0.5, "unit.nm", 1, "0,5 морської милі"),
        ("ru", 4921, "unit.ft", 0, "4921 фут"),
        ("ru", 9843, "unit.ft", 0, "9843 фута"),
        ("ru", 35000, "unit.ft", 0, "35\u00a0000 футов"),
        ("uk", 9843, "unit.ft", 0, "9843 фути"),
        ("uk", 35000, "unit.ft", 0, "35\u00a0000 футів"),
        ("uk", 1, "unit.kt", 0, "1 вузол"),
        ("ru", 420, "unit.kt", 0, "420 узлов"),
        ("uk", 2, "unit.day", 0, "2 доби"),
        ("uk", 5, "unit.day", 0, "5 діб"),
        ("en", 1, "unit.nanometre", 0, "1 nanometre"),
        ("en", 1064, "unit.nanometre", 0, "1,064 nanometres"),
        ("en", 25, "unit.nm", 0, "25 NM"),
        ("en", 35000, "unit.ft", 0, "35,000 ft"),
    ],
)
def test_counted_units_take_the_right_form(
    lang: str, value: float, unit: str, decimals: int, expected: str
) -> None:
    assert language(lang).count(value, unit, decimals) == expected


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "expected"),
    [
        ("en", 35000, 0, "35,000"),
        ("en", 5000, 0, "5,000"),
        ("en", 46.3, 1, "46.3"),
        ("en", 1234567.891, 2, "1,234,567.89"),
        ("ru", 35000, 0, "35\u00a0000"),
        ("ru", 5000, 0, "5000"),
        ("ru", 46.3, 1, "46,3"),
        ("uk", 1234567.5, 1, "1\u00a0234\u00a0567,5"),
        ("en", -0.0001, 2, "0.00"),
        ("en", -1500, 0, "-1,500"),
        ("ru", 0.125, 2, "0,12"),
    ],
)
def test_numbers_are_written_as_each_language_writes_them(
    lang: str, value: float, decimals: int, expected: str
) -> None:
    assert language(lang).num(value, decimals) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 March 2026, 06:05 UTC"),
        ("ru", "1 марта 2026 г., 06:05 UTC"),
        ("uk", "1 березня 2026 р., 06:05 UTC"),
    ],
)
def test_dates_spell_the_month_in_the_genitive(lang: str, expected: str) -> None:
    assert language(lang).when(datetime(2026, 3, 1, 6, 5, tzinfo=UTC)) == expected


def test_every_month_has_a_name_in_every_language() -> None:
    for lang in LANGUAGES:
        names = [language(lang).t(f"month.{m}") for m in range(1, 13)]
        assert len(set(names)) == 12
    assert [language("ru").t(f"month.{m}") for m in (1, 5, 8)] == ["января", "мая", "августа"]
    assert [language("uk").t(f"month.{m}") for m in (1, 5, 11)] == ["січня", "травня", "листопада"]


def test_the_phrasebook_has_every_phrase_in_every_language() -> None:
    assert len(PHRASEBOOK) >= 12
    for (code_word, number), phrase in PHRASEBOOK.items():
        assert (phrase.code_word, phrase.number) == (code_word, number)
        texts = [phrase.text(lang) for lang in LANGUAGES]
        assert all(texts), phrase.code
        assert len(set(texts)) == 3, phrase.code
        assert all(t.endswith(".") for t in texts), phrase.code
