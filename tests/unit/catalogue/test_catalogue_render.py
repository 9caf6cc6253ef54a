"""Renderings: every type in every language and form; markings, disclaimers, headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotline.catalogue import CATALOGUE, LANGUAGES, OriginalText, RenderContext, dtg, render
from hotline.catalogue.examples import examples
from hotline.catalogue.i18n import language
from hotline.catalogue.i18n.texts import TEXTS
from hotline.protocol.types import Marking, Precedence

FORMS = ("compact", "readable")


def test_every_type_has_an_example() -> None:
    assert sorted(examples()) == sorted(CATALOGUE.names)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("name", CATALOGUE.names)
def test_every_type_renders_in_every_language_and_form(name: str, lang: str) -> None:
    """Each rendering names the type in that language and ends with the end marker."""
    example = examples()[name]
    title = TEXTS[f"type.{name}"]
    for form in FORMS:
        text = render(example.notification, example.context, lang=lang, form=form)
        assert getattr(title, lang).upper() in text
        assert language(lang).t("hdr.end", number=example.context.message_id) in text
        if lang != "en":  # nothing of the English header is left in another language
            for key in ("hdr.precedence", "hdr.references", "hdr.subject"):
                assert TEXTS[key].en.upper() not in text.upper()


@pytest.mark.parametrize("marking", [Marking.TEST, Marking.EXERCISE])
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_test_and_exercise_open_and_close_every_rendering(marking: Marking, lang: str) -> None:
    banner = language(lang).t(f"marking.{marking.value}")
    assert marking.value in banner  # the English word is there whatever the language
    for name in CATALOGUE.names:
        example = examples()[name]
        context = example.context.model_copy(update={"marking": marking})
        for form in FORMS:
            lines = render(example.notification, context, lang=lang, form=form).splitlines()
            assert lines[0] == banner
            assert lines[-1] == banner


def test_real_messages_carry_no_banner() -> None:
    example = examples()["flight_notice"]
    assert example.context.marking is Marking.REAL
    text = render(example.notification, example.context)
    assert "TEST" not in text
    assert "EXERCISE" not in text
    assert text.splitlines()[0] == "PLANNED AIR ACTIVITY NOTICE"


@pytest.mark.parametrize(
    ("lang", "banner"),
    [
        ("en", "UNFORMATTED MESSAGE: FREE TEXT, NOT MACHINE-TRANSLATED"),
        ("ru", "НЕФОРМАЛИЗОВАННОЕ СООБЩЕНИЕ: СВОБОДНЫЙ ТЕКСТ, МАШИННЫЙ ПЕРЕВОД НЕ ВЫПОЛНЯЛСЯ"),
        ("uk", "НЕФОРМАЛІЗОВАНЕ ПОВІДОМЛЕННЯ: ДОВІЛЬНИЙ ТЕКСТ, МАШИННИЙ ПЕРЕКЛАД НЕ ЗДІЙСНЮВАВСЯ"),
    ],
)
def test_free_text_is_marked_unformatted_and_shown_exactly(lang: str, banner: str) -> None:
    example = examples()["free_text"]
    original = example.notification.text.text  # type: ignore[attr-defined]
    for form in FORMS:
        text = render(example.notification, example.context, lang=lang, form=form)
        assert text.count(banner) == 2
        for line in original.splitlines():
            assert line in text


@pytest.mark.parametrize("name", ["humanitarian_site", "humanitarian_movement"])
@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_humanitarian_notices_always_say_notification_is_not_permission(
    name: str, lang: str
) -> None:
    example = examples()[name]
    disclaimer = language(lang).t("disclaimer.humanitarian")
    for form in FORMS:
        assert disclaimer in render(example.notification, example.context, lang=lang, form=form)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_stop_check_fire_demands_immediate_acknowledgement(lang: str) -> None:
    example = examples()["stop_check_fire"]
    demand = language(lang).t("ack.immediate")
    for form in FORMS:
        lines = render(example.notification, example.context, lang=lang, form=form).splitlines()
        assert lines[0] == demand
        assert lines[-1] == demand


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 11, 25, 14, 30, tzinfo=UTC), "251430ZNOV26"),
        (datetime(2027, 1, 3, 0, 5, 59, tzinfo=UTC), "030005ZJAN27"),
        (datetime(2030, 12, 31, 23, 59, tzinfo=UTC), "312359ZDEC30"),
    ],
)
def test_date_time_group(when: datetime, expected: str) -> None:
    assert dtg(when) == expected


def test_compact_header_lines() -> None:
    example = examples()["missile_launch"]
    lines = render(example.notification, example.context, form="compact").splitlines()
    assert lines[1:9] == [
        "PRECEDENCE: PRIORITY",
        "FROM: RU",
        "TO: US",
        "MESSAGE NUMBER: RU-0017",
        "DTG: 251430ZNOV26 (2026-11-25 14:30 UTC)",
        "REFERENCES: none",
        "SUBJECT: BALLISTIC MISSILE LAUNCH NOTIFICATION",
        "BASIS: 1988 Ballistic Missile Launch Notification Agreement",
    ]
    assert lines[-2] == "END OF MESSAGE RU-0017"


def test_references_merge_envelope_and_body_references_without_repeats() -> None:
    example = examples()["rfi"]
    context = example.context.model_copy(
        update={"references": (example.notification.references()[0],)}
    )
    text = render(example.notification, context, lang="ru", form="compact")
    assert "ССЫЛКИ: US-0041\n" in text


def test_a_draft_renders_with_its_missing_facts_named() -> None:
    example = examples()["laser_notice"]
    draft = RenderContext(precedence=Precedence.PRIORITY, marking=Marking.TEST)
    text = render(example.notification, draft, lang="uk", form="compact")
    assert "ВІД: (не зазначено: проєкт)" in text
    assert "НОМЕР ПОВІДОМЛЕННЯ: (номер ще не присвоєно: проєкт)" in text
    assert "ДАТА-ЧАС: (ще не надіслано)" in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Impact area: circle, radius 25 NM (46.3 km), centre:"),
        ("ru", "Район падения: круг, радиус 25 морских миль (46,3 км), центр:"),
        ("uk", "Район падіння: круг, радіус 25 морських миль (46,3 км), центр:"),
    ],
)
def test_distances_show_both_units_author_unit_first(lang: str, expected: str) -> None:
    example = examples()["missile_launch"]
    assert expected in render(example.notification, example.context, lang=lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "57.60000° N 160.85000° E | 57°36′00.0″ N 160°51′00.0″ E | MGRS 57V XD 10560 85685"),
        (
            "ru",
            "57,60000° с. ш. 160,85000° в. д. | 57°36′00,0″ с. ш. 160°51′00,0″ в. д. | "
            "MGRS 57V XD 10560 85685",
        ),
        (
            "uk",
            "57,60000° пн. ш. 160,85000° сх. д. | 57°36′00,0″ пн. ш. 160°51′00,0″ сх. д. | "
            "MGRS 57V XD 10560 85685",
        ),
    ],
)
def test_positions_in_three_forms_latitude_first_with_hemispheres(lang: str, expected: str) -> None:
    example = examples()["missile_launch"]
    assert expected in render(example.notification, example.context, lang=lang)


def test_altitudes_show_feet_and_metres_and_flight_levels_as_written() -> None:
    laser, flight = examples()["laser_notice"], examples()["flight_notice"]
    assert "верхняя граница  3000 м (9843 фута) над уровнем моря" in render(
        laser.notification, laser.context, lang="ru"
    )
    assert "upper limit  FL350 (about 35,000 ft)" in render(flight.notification, flight.context)
    assert "3. ALTITUDE BAND: FL250 – FL350" in render(
        flight.notification, flight.context, form="compact"
    )


def test_amended_items_are_marked() -> None:
    example = examples()["amendment"]
    text = render(example.notification, example.context, form="compact")
    assert "» 4.4. TIME WINDOW: 2026-11-26 08:00 UTC – 2026-11-26 14:00 UTC (6 h)" in text
    assert "   4.3. ALTITUDE BAND" in text  # unchanged items carry no mark


def test_original_text_is_never_translated_and_always_labelled() -> None:
    example = examples()["rfi"]
    question = "Просим сообщить, планируется ли продление полёта после 12:00 UTC."
    for lang, label in (
        ("en", "(original text in Russian, not translated)"),
        ("ru", "(исходный текст на русском языке, без перевода)"),
        ("uk", "(оригінальний текст російською мовою, без перекладу)"),
    ):
        text = render(example.notification, example.context, lang=lang)
        assert label in text
        assert f"| {question}" in text


def test_no_line_of_a_peers_text_can_pass_for_a_line_of_the_message() -> None:
    example = examples()["free_text"]
    forged = "Agreed.\nEND OF MESSAGE UA-0008\nSUBJECT: STOP: CHECK FIRE"
    notification = example.notification.model_copy(
        update={"text": OriginalText(lang="en", text=forged)}
    )
    for lang in sorted(LANGUAGES):
        for form in FORMS:
            lines = render(notification, example.context, lang=lang, form=form).splitlines()
            end = language(lang).t("hdr.end", number="UA-0008")
            assert lines.count(end) == 1
            assert any(line.strip() == "| END OF MESSAGE UA-0008" for line in lines)
            assert not any(line.startswith("SUBJECT: STOP") for line in lines)
