"""The console's own words (menus, buttons, states) in English, Russian and Ukrainian.

Notification texts come from the catalogue's renderings; these are only the chrome around
them, shown in the operator's language. Each entry keeps its three languages side by side so a
reviewer compares them in one place (the catalogue's rule, docs/decisions.md section 8).
"""

from __future__ import annotations

from typing import Final

__all__ = ["UI_LANGUAGES", "chrome"]

UI_LANGUAGES: Final = ("en", "ru", "uk")

# key: (en, ru, uk)
_TEXTS: Final[dict[str, tuple[str, str, str]]] = {
    "app": ("hotline", "горячая линия", "гаряча лінія"),
    "nav.inbox": ("Messages", "Сообщения", "Повідомлення"),
    "nav.compose": ("Compose", "Составить", "Скласти"),
    "nav.map": ("Map", "Карта", "Мапа"),
    "nav.links": ("Links", "Связь", "Зв’язок"),
    "nav.transcript": ("Transcript", "Стенограмма", "Стенограма"),
    "nav.logout": ("Log out", "Выйти", "Вийти"),
    "login.title": ("Operator log-in", "Вход оператора", "Вхід оператора"),
    "login.name": ("Name", "Имя", "Ім’я"),
    "login.password": ("Password", "Пароль", "Пароль"),
    "login.submit": ("Log in", "Войти", "Увійти"),
    "login.failed": (
        "Name or password not accepted: check both and try again.",
        "Имя или пароль не приняты: проверьте и попробуйте снова.",
        "Ім’я або пароль не прийнято: перевірте і спробуйте ще раз.",
    ),
    "channel": ("Channel", "Канал", "Канал"),
    "no_channels": (
        "No channels yet: a supervisor creates one with the API or CLI.",
        "Каналов пока нет: их создаёт старший смены через API или CLI.",
        "Каналів поки немає: їх створює старший зміни через API або CLI.",
    ),
    "no_messages": (
        "No messages in this channel.",
        "В канале нет сообщений.",
        "У каналі немає повідомлень.",
    ),
    "inbox": ("Inbox", "Входящие", "Вхідні"),
    "outbox": ("Outbox", "Исходящие", "Вихідні"),
    "in": ("received", "получено", "отримано"),
    "out": ("sent", "отправлено", "надіслано"),
    "state.receipt": ("Node receipt", "Квитанция узла", "Квитанція вузла"),
    "state.ack": ("Operator acknowledgement", "Подтверждение оператора", "Підтвердження оператора"),
    "state.reply": ("Reply", "Ответ", "Відповідь"),
    "state.not_approval": (
        "None of these means approval.",
        "Ни одно из этого не означает согласия.",
        "Жодне з цього не означає згоди.",
    ),
    "waiting": ("waiting", "ожидается", "очікується"),
    "none": ("none", "нет", "немає"),
    "due_in": ("due in", "срок через", "строк через"),
    "overdue": ("OVERDUE", "ПРОСРОЧЕНО", "ПРОСТРОЧЕНО"),
    "overdue.banner": (
        "Acknowledgement overdue",
        "Просрочено подтверждение",
        "Прострочено підтвердження",
    ),
    "sound": ("Sound", "Звук", "Звук"),
    "on": ("on", "вкл", "увімк"),
    "off": ("off", "выкл", "вимк"),
    "dark": ("Dark", "Тёмная", "Темна"),
    "acknowledge": ("Acknowledge (a)", "Подтвердить (a)", "Підтвердити (a)"),
    "acknowledged_by_me": ("You acknowledged", "Вы подтвердили", "Ви підтвердили"),
    "reply": ("Reply", "Ответить", "Відповісти"),
    "reply.placeholder": (
        "Free-text reply",
        "Ответ свободным текстом",
        "Відповідь вільним текстом",
    ),
    "original": ("Original", "Оригинал", "Оригінал"),
    "your_language": ("Your language", "Ваш язык", "Ваша мова"),
    "undecodable": (
        "This body could not be decoded; it is kept as received.",
        "Тело сообщения не удалось разобрать; оно сохранено как получено.",
        "Тіло повідомлення не вдалося розібрати; його збережено як отримано.",
    ),
    "compose.type": ("Type", "Тип", "Тип"),
    "compose.precedence": ("Precedence", "Срочность", "Терміновість"),
    "compose.marking": ("Marking", "Пометка", "Позначка"),
    "compose.check": ("Check and preview", "Проверить и просмотреть", "Перевірити й переглянути"),
    "compose.release": ("Release", "Выпустить", "Випустити"),
    "compose.preview": (
        "Preview before release",
        "Просмотр перед выпуском",
        "Перегляд перед випуском",
    ),
    "compose.fix": (
        "Fix the marked fields, then check again.",
        "Исправьте отмеченные поля и проверьте снова.",
        "Виправте позначені поля й перевірте знову.",
    ),
    "compose.sent": ("Released as", "Выпущено как", "Випущено як"),
    "compose.warnings": ("Warnings", "Предупреждения", "Попередження"),
    "compose.add_row": ("Add another", "Добавить ещё", "Додати ще"),
    "compose.remove_row": ("Remove", "Удалить", "Видалити"),
    "compose.add_field": ("Add", "Добавить", "Додати"),
    "compose.remove_field": ("Leave out", "Не указывать", "Не вказувати"),
    "compose.optional": ("optional", "необязательно", "необов’язково"),
    "compose.choose": ("choose…", "выберите…", "оберіть…"),
    "draw.open": ("Draw on map", "Нарисовать на карте", "Намалювати на мапі"),
    "draw.Polygon": ("area", "район", "район"),
    "draw.Circle": ("circle", "круг", "коло"),
    "draw.Corridor": ("corridor", "коридор", "коридор"),
    "draw.help.Polygon": (
        "Click each corner of the area; Finish (or a double click) closes it. "
        "Drag a corner to move it.",
        "Щёлкните по каждой вершине района; «Готово» (или двойной щелчок) замыкает его. "
        "Вершину можно перетащить.",
        "Клацніть по кожній вершині району; «Готово» (або подвійне клацання) замикає його. "
        "Вершину можна перетягнути.",
    ),
    "draw.help.Circle": (
        "Click the centre, then a point on the edge. Drag either to change the circle.",
        "Щёлкните по центру, затем по точке на границе. Обе точки можно перетащить.",
        "Клацніть по центру, потім по точці на межі. Обидві точки можна перетягнути.",
    ),
    "draw.help.Corridor": (
        "Click the centre line point by point; Finish (or a double click) ends it. "
        "The width is the half-width field.",
        "Щёлкайте по осевой линии точка за точкой; «Готово» (или двойной щелчок) завершает её. "
        "Ширина задаётся полем полуширины.",
        "Клацайте по осьовій лінії точка за точкою; «Готово» (або подвійне клацання) завершує її. "
        "Ширина задається полем півширини.",
    ),
    "draw.Point": ("point", "точка", "точка"),
    "draw.help.Point": (
        "Click the position. Drag the marker or click elsewhere to move it.",
        "Щёлкните по месту. Маркер можно перетащить или щёлкнуть в другом месте.",
        "Клацніть по місцю. Маркер можна перетягнути або клацнути в іншому місці.",
    ),
    "draw.finish": ("Finish", "Готово", "Готово"),
    "draw.clear": ("Redraw", "Нарисовать заново", "Намалювати знову"),
    "draw.radius": ("radius", "радиус", "радіус"),
    "draw.half_width": ("half-width", "полуширина", "півширина"),
    "action.amend": ("Amend", "Изменить", "Змінити"),
    "action.cancel": ("Cancel", "Отменить", "Скасувати"),
    "action.reply": ("Reply with a form", "Ответить по форме", "Відповісти за формою"),
    "lineage.amended": ("amended by", "изменено сообщением", "змінено повідомленням"),
    "lineage.superseded": ("superseded by", "заменено сообщением", "замінено повідомленням"),
    "lineage.cancelled": ("cancelled by", "отменено сообщением", "скасовано повідомленням"),
    "lineage.refers": ("refers to", "ссылается на", "посилається на"),
    "ref.verb.amend": ("amends", "изменяет", "змінює"),
    "ref.verb.cancel": ("cancels", "отменяет", "скасовує"),
    "ref.verb.reply": ("replies to", "отвечает на", "відповідає на"),
    "ref.amend_help": (
        "The form shows the notification as it stands: change only what changed. "
        "The changed fields are listed for you.",
        "В форме уведомление в действующей редакции: измените только то, что изменилось. "
        "Изменённые поля перечисляются автоматически.",
        "У формі сповіщення в чинній редакції: змініть лише те, що змінилося. "
        "Змінені поля перелічуються автоматично.",
    ),
    "ref.start_over": ("New message instead", "Новое сообщение", "Нове повідомлення"),
    "ref.reason": ("Reason for the amendment", "Причина изменения", "Причина зміни"),
    "ref.reason_hint": (
        "optional, in your language",
        "необязательно, на вашем языке",
        "необов’язково, вашою мовою",
    ),
    "ref.nothing_changed": (
        "Nothing has changed: change a field (a time, an area) before releasing the amendment.",
        "Ничего не изменено: измените поле (время, район) перед выпуском изменения.",
        "Нічого не змінено: змініть поле (час, район) перед випуском зміни.",
    ),
    "compose.to": ("To", "Кому", "Кому"),
    "compose.to_help": (
        "untick a party to leave it out; none ticked means everyone",
        "снимите отметку, чтобы исключить сторону; без отметок — всем",
        "зніміть позначку, щоб виключити сторону; без позначок — усім",
    ),
    "map.time": ("Time shown", "Показанное время", "Показаний час"),
    "map.now": ("Now", "Сейчас", "Зараз"),
    "map.live": ("live", "в реальном времени", "наживо"),
    "map.shown": ("volumes active", "активных районов", "активних районів"),
    "compose.hold": (
        "Submit for second-person release",
        "Передать на выпуск второму лицу",
        "Передати на випуск другій особі",
    ),
    "compose.held": (
        "Held for second-person release: a supervisor who did not write it must release it.",
        "Задержано до выпуска вторым лицом: выпустить должен старший смены, не составлявший его.",
        "Затримано до випуску другою особою: випустити має старший зміни, який його не складав.",
    ),
    "release.banner": (
        "FLASH awaiting release",
        "FLASH ожидает выпуска",
        "FLASH очікує випуску",
    ),
    "release.draft": ("draft", "черновик", "чернетка"),
    "release.composed_by": ("composed by", "составил", "склав"),
    "release.released_by": ("released by", "выпустил", "випустив"),
    "release.release": ("Release", "Выпустить", "Випустити"),
    "release.withdraw": ("Withdraw", "Отозвать", "Відкликати"),
    "release.reason": ("Reason for withdrawing", "Причина отзыва", "Причина відкликання"),
    "release.withdrawn": ("Withdrawn", "Отозвано", "Відкликано"),
    "release.not_author": (
        "You composed it: a second operator must release it.",
        "Вы его составили: выпустить должен второй оператор.",
        "Ви його склали: випустити має другий оператор.",
    ),
    "release.not_role": (
        "Only a supervisor may release a FLASH.",
        "Выпустить FLASH может только старший смены.",
        "Випустити FLASH може лише старший зміни.",
    ),
    "release.not_withdraw": (
        "Only its author or a supervisor may withdraw it.",
        "Отозвать может только автор или старший смены.",
        "Відкликати може лише автор або старший зміни.",
    ),
    "release.reason_needed": (
        "Say why it is withdrawn.",
        "Укажите причину отзыва.",
        "Вкажіть причину відкликання.",
    ),
    "map.volumes": ("Notified volumes", "Уведомлённые районы", "Повідомлені райони"),
    "map.tracks": ("Tracks", "Треки", "Треки"),
    "map.alerts": ("Alerts", "Оповещения", "Оповіщення"),
    "map.basemap": ("Countries", "Страны", "Країни"),
    "map.click": (
        "Click the map for MGRS.",
        "Нажмите на карту, чтобы получить MGRS.",
        "Натисніть на мапу, щоб отримати MGRS.",
    ),
    "links.peer": ("Peer", "Сторона", "Сторона"),
    "links.bearer": ("Bearer", "Канал связи", "Канал зв’язку"),
    "links.up": ("up", "работает", "працює"),
    "links.down": ("down", "не работает", "не працює"),
    "links.untried": ("not tried", "не проверялся", "не перевірявся"),
    "links.last_ok": ("Last success", "Последний успех", "Останній успіх"),
    "links.rtt": ("Round trip", "Задержка", "Затримка"),
    "links.last_error": ("Last error", "Последняя ошибка", "Остання помилка"),
    "links.last_refusal": ("Peer refused", "Сторона отклонила", "Сторона відхилила"),
    "links.last_test": ("Last link test", "Последняя проверка связи", "Остання перевірка зв’язку"),
    "links.test_overdue": ("TEST OVERDUE", "ПРОВЕРКА ПРОСРОЧЕНА", "ПЕРЕВІРКУ ПРОСТРОЧЕНО"),
    "links.skew": ("Clock skew", "Расхождение часов", "Розбіжність годинників"),
    "links.last_heard": ("Last heard", "Последний приём", "Останній прийом"),
    "links.receipted": ("Receipted up to", "Квитировано до", "Квитовано до"),
    "never": ("never", "никогда", "ніколи"),
    "not_measured": ("not measured", "не измерено", "не виміряно"),
    "transcript.title": ("Transcript", "Стенограмма", "Стенограма"),
    "transcript.note": (
        "Every envelope of every member, in storage order. Export and verify it offline.",
        "Все конверты всех участников в порядке хранения. Экспортируйте и проверьте офлайн.",
        "Усі конверти всіх учасників у порядку зберігання. Експортуйте та перевірте офлайн.",
    ),
    "transcript.chains": (
        "Each member's chain has no gaps",
        "Цепочка каждого участника без пропусков",
        "Ланцюжок кожного учасника без пропусків",
    ),
    "transcript.gaps": (
        "GAP in a member's chain",
        "ПРОПУСК в цепочке участника",
        "ПРОПУСК у ланцюжку учасника",
    ),
    "marking.strip": (
        "traffic on this node is marked and is not real",
        "трафик на этом узле помечен и не является реальным",
        "трафік на цьому вузлі позначено, він не є реальним",
    ),
    "keys": (
        "Keys: j/k next/previous, a acknowledge, g m messages, g p map",
        "Клавиши: j/k следующее/предыдущее, a подтвердить, g m сообщения, g p карта",
        "Клавіші: j/k наступне/попереднє, a підтвердити, g m повідомлення, g p мапа",
    ),
}


def chrome(lang: str) -> dict[str, str]:
    """Every console text in ``lang`` (English for an unknown language)."""
    index = UI_LANGUAGES.index(lang) if lang in UI_LANGUAGES else 0
    return {key: values[index] for key, values in _TEXTS.items()}
