"""Pre-agreed short messages: a code word and a number stand for a full text that every side
holds in its own language (as in the 1976 protocol of the Moscow-Washington hotline).

Adding a phrase is a minor version of ``short_message``; changing the meaning of an existing
code is never allowed (use a new code). A reader that meets a code from a newer phrasebook
shows it as unknown and never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["PHRASEBOOK", "Phrase"]


@dataclass(frozen=True)
class Phrase:
    code_word: str
    number: int
    en: str
    ru: str
    uk: str

    def text(self, lang: str) -> str:
        text: str = getattr(self, lang)
        return text

    @property
    def code(self) -> str:
        return f"{self.code_word} {self.number}"


_PHRASES = (
    Phrase(
        "ACORN",
        1,
        "Your message has been received and is being studied. A reply will follow.",
        "Ваше сообщение получено и изучается. Ответ будет направлен дополнительно.",
        "Ваше повідомлення отримано й вивчається. Відповідь буде надіслано додатково.",
    ),
    Phrase(
        "ACORN",
        2,
        "Your message was received garbled or incomplete. Repeat it.",
        "Ваше сообщение получено в искажённом или неполном виде. Повторите его.",
        "Ваше повідомлення отримано в спотвореному або неповному вигляді. Повторіть його.",
    ),
    Phrase(
        "ACORN",
        3,
        "Your message is understood. We have no questions.",
        "Ваше сообщение понято. Вопросов нет.",
        "Ваше повідомлення зрозуміле. Запитань немає.",
    ),
    Phrase(
        "BIRCH",
        1,
        "The activity we notified will take place as notified.",
        "Деятельность, о которой мы уведомили, будет проведена в соответствии с уведомлением.",
        "Діяльність, про яку ми сповістили, відбудеться відповідно до сповіщення.",
    ),
    Phrase(
        "BIRCH",
        2,
        "The activity we notified is postponed. A new notification will follow.",
        "Деятельность, о которой мы уведомили, переносится. "
        "Новое уведомление будет направлено дополнительно.",
        "Діяльність, про яку ми сповістили, переноситься. "
        "Нове сповіщення буде надіслано додатково.",
    ),
    Phrase(
        "BIRCH",
        3,
        "The activity we notified has been completed.",
        "Деятельность, о которой мы уведомили, завершена.",
        "Діяльність, про яку ми сповістили, завершено.",
    ),
    Phrase(
        "CEDAR",
        1,
        "Our forces in the area are changing course to increase the distance from your forces.",
        "Наши силы в районе изменяют курс, чтобы увеличить расстояние до ваших сил.",
        "Наші сили в районі змінюють курс, щоб збільшити відстань до ваших сил.",
    ),
    Phrase(
        "CEDAR",
        2,
        "We request that you increase the distance from our forces immediately.",
        "Просим немедленно увеличить расстояние до наших сил.",
        "Просимо негайно збільшити відстань до наших сил.",
    ),
    Phrase(
        "CEDAR",
        3,
        "We request that you contact your aircraft and direct it to leave the area.",
        "Просим связаться с вашим воздушным судном и дать ему указание покинуть район.",
        "Просимо зв’язатися з вашим повітряним судном і дати йому вказівку залишити район.",
    ),
    Phrase(
        "CEDAR",
        4,
        "We request that you contact your ship or vessel and direct it to leave the area.",
        "Просим связаться с вашим кораблём (судном) и дать ему указание покинуть район.",
        "Просимо зв’язатися з вашим кораблем (судном) і дати йому вказівку залишити район.",
    ),
    Phrase(
        "ELM",
        1,
        "The incident is being investigated. We will report the results.",
        "Инцидент расследуется. О результатах будет сообщено.",
        "Інцидент розслідується. Про результати буде повідомлено.",
    ),
    Phrase(
        "ELM",
        2,
        "We request an urgent call between the senior watch officers.",
        "Просим срочно организовать переговоры старших оперативных дежурных.",
        "Просимо терміново організувати переговори старших оперативних чергових.",
    ),
    Phrase(
        "FIR",
        1,
        "Link test. Acknowledge.",
        "Проверка связи. Подтвердите приём.",
        "Перевірка зв’язку. Підтвердьте прийом.",
    ),
    Phrase(
        "FIR",
        2,
        "We are switching to the backup link.",
        "Переходим на резервный канал связи.",
        "Переходимо на резервний канал зв’язку.",
    ),
)

PHRASEBOOK: Mapping[tuple[str, int], Phrase] = MappingProxyType(
    {(p.code_word, p.number): p for p in _PHRASES}
)
