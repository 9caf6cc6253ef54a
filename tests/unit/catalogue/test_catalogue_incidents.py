"""An incident and the other party's account: kept side by side, marked DISPUTED."""

from __future__ import annotations

import pytest

from hotline.catalogue import IncidentReport, InvalidNotificationError, MessageRef, OriginalText
from hotline.catalogue.examples import examples
from hotline.catalogue.incidents import Account, IncidentFile
from hotline.protocol.types import Precedence


def accounts() -> list[Account]:
    first = examples()["incident_report"]
    assert isinstance(first.notification, IncidentReport)
    answer = first.notification.model_copy(
        update={
            "account_of": MessageRef(party="US", number=44),
            "narrative": OriginalText(
                lang="ru",
                text="Истребители Су-27 сопровождали БПЛА и оружие не применяли. "
                "Контакта с БПЛА не было; он потерял управление сам.",
            ),
            "evidence": (),
        }
    )
    context = first.context.model_copy(
        update={
            "sender": "RU",
            "recipients": ("US",),
            "number": 22,
            "precedence": Precedence.IMMEDIATE,
        }
    )
    return [Account(first.notification, first.context), Account(answer, context)]


def test_one_partys_report_is_reported_two_parties_make_it_disputed() -> None:
    both = accounts()
    assert IncidentFile.of(both[:1]).status == "REPORTED"
    assert IncidentFile.of(both).status == "DISPUTED"


@pytest.mark.parametrize(
    ("lang", "status", "heading"),
    [
        (
            "en",
            "STATUS: DISPUTED: the parties' accounts differ",
            "ACCOUNT 2 OF 2: FROM RU, MESSAGE RU-0022",
        ),
        (
            "ru",
            "СТАТУС: СПОРНЫЙ: версии сторон расходятся",
            "ВЕРСИЯ 2 ИЗ 2: ОТ RU, СООБЩЕНИЕ RU-0022",
        ),
        (
            "uk",
            "СТАТУС: СПІРНИЙ: версії сторін розходяться",
            "ВЕРСІЯ 2 З 2: ВІД RU, ПОВІДОМЛЕННЯ RU-0022",
        ),
    ],
)
def test_both_accounts_are_shown_in_full_under_the_disputed_status(
    lang: str, status: str, heading: str
) -> None:
    text = IncidentFile.of(accounts()).render(lang=lang)
    assert text.startswith(status)
    assert heading in text
    assert "| Two Su-27 aircraft intercepted the MQ-9A over international waters." in text
    assert "| Истребители Су-27 сопровождали БПЛА и оружие не применяли." in text
    assert text.index("US-0044") < text.index("RU-0022")


def test_an_account_must_answer_the_first_report() -> None:
    first, answer = accounts()
    stray = Account(
        answer.report.model_copy(update={"account_of": MessageRef(party="US", number=9)}),
        answer.context,
    )
    with pytest.raises(
        InvalidNotificationError, match="account 2 must name the first report, US-0044"
    ):
        IncidentFile.of([first, stray])
    with pytest.raises(InvalidNotificationError, match="the first report must be"):
        IncidentFile.of([answer])
