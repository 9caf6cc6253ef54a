"""The console's own words exist in every language, and no page or script points outside."""

from __future__ import annotations

import re
from pathlib import Path

from hotline.console import STATIC_DIR
from hotline.console.texts import UI_LANGUAGES, chrome

CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ’]")
TEMPLATES = STATIC_DIR.parent / "templates"


def test_every_text_is_in_every_language() -> None:
    english = chrome("en")
    for lang in UI_LANGUAGES:
        texts = chrome(lang)
        assert texts.keys() == english.keys()
        assert all(value.strip() for value in texts.values())


def test_russian_and_ukrainian_texts_are_written_in_cyrillic() -> None:
    for lang in ("ru", "uk"):
        for key, value in chrome(lang).items():
            words = re.sub(r"\(.\)|[a-z]\b|API|CLI|MGRS|j/k|g [mp]", "", value)
            assert CYRILLIC.search(words) or not re.search("[A-Za-z]", words), (lang, key)


def test_an_unknown_language_falls_back_to_english() -> None:
    assert chrome("de") == chrome("en")


def test_templates_and_scripts_reference_nothing_outside_the_node() -> None:
    files = [*TEMPLATES.glob("*.html"), *STATIC_DIR.glob("*.js"), *STATIC_DIR.glob("*.css")]
    assert len(files) >= 10
    for path in files:
        text = path.read_text()
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import", text), path.name


def test_every_page_template_is_used_by_the_router() -> None:
    source = "".join(p.read_text() for p in STATIC_DIR.parent.glob("*.py"))  # every router
    for path in TEMPLATES.glob("*.html"):
        used = path.name in source or any(
            f'"{path.name}"' in p.read_text() for p in TEMPLATES.glob("*.html")
        )
        assert used, Path(path).name
