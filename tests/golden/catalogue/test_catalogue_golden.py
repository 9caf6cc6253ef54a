"""Golden files: every type, in every language, in both forms, exactly as an operator sees it.

A change to any rendering shows up as a diff of these plain-text files in review. To accept an
intended change, regenerate them and read the diff:

    HOTLINE_UPDATE_GOLDEN=1 python -m pytest tests/golden/catalogue
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hotline.catalogue import CATALOGUE, LANGUAGES, IncidentReport, MessageRef, OriginalText, render
from hotline.catalogue.examples import examples
from hotline.catalogue.incidents import Account, IncidentFile

HERE = Path(__file__).resolve().parent
FORMS = ("compact", "readable")
UPDATE = os.environ.get("HOTLINE_UPDATE_GOLDEN") == "1"


def expected_files() -> dict[str, str]:
    """Every golden file's name and the text it must hold."""
    files: dict[str, str] = {}
    for name in CATALOGUE.names:
        example = examples()[name]
        for lang in LANGUAGES:
            for form in FORMS:
                text = render(example.notification, example.context, lang=lang, form=form)
                files[f"{name}.{lang}.{form}.txt"] = text
    for lang in LANGUAGES:
        files[f"incident_file_disputed.{lang}.readable.txt"] = disputed().render(lang=lang)
    return files


def disputed() -> IncidentFile:
    first = examples()["incident_report"]
    assert isinstance(first.notification, IncidentReport)
    answer = first.notification.model_copy(
        update={
            "account_of": MessageRef(party="US", number=44),
            "narrative": OriginalText(
                lang="ru",
                text="Истребители Су-27 сопровождали БПЛА и оружие не применяли.\n"
                "Контакта с БПЛА не было.",
            ),
            "evidence": (),
        }
    )
    context = first.context.model_copy(update={"sender": "RU", "recipients": ("US",), "number": 22})
    return IncidentFile.of([Account(first.notification, first.context), Account(answer, context)])


EXPECTED = expected_files()


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_rendering_matches_golden_file(filename: str) -> None:
    path = HERE / filename
    if UPDATE:
        path.write_text(EXPECTED[filename], encoding="utf-8")
    assert path.is_file(), f"{filename} is missing; run with HOTLINE_UPDATE_GOLDEN=1"
    assert path.read_text(encoding="utf-8") == EXPECTED[filename]


def test_every_type_has_every_language_in_both_forms_and_nothing_stale() -> None:
    on_disk = {p.name for p in HERE.glob("*.txt")}
    wanted = {f"{n}.{lang}.{f}.txt" for n in CATALOGUE.names for lang in LANGUAGES for f in FORMS}
    assert wanted <= on_disk
    assert on_disk == set(EXPECTED), "golden files without a rendering: remove them"
    assert len(LANGUAGES) == 3
