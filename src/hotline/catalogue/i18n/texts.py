"""Every text of the catalogue, in English, Russian and Ukrainian, side by side.

Kept in one table so that a reviewer reads the three versions of each text together. Rules:
- Russian uses уведомление (notification) / сообщение (message); Ukrainian uses сповіщення /
  повідомлення, and the 2019 orthography (проєкт).
- Counted nouns come after a label, in the nominative: units are given as
  "one|few|many|fraction" forms (English: "singular|plural" or one invariant abbreviation).
- ICAO abbreviations (FL, SFC, UNL, AMSL) and code letters (ICBM, MGRS) are kept where an
  operator expects them, always with the full wording beside them in readable text.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TEXTS", "T"]


@dataclass(frozen=True)
class T:
    en: str
    ru: str
    uk: str


TEXTS: dict[str, T] = {
    # --- dates, numbers, units -----------------------------------------------------------
    "date": T("{day} {month} {year}", "{day} {month} {year} г.", "{day} {month} {year} р."),
    "datetime": T("{date}, {time} UTC", "{date}, {time} UTC", "{date}, {time} UTC"),
    "month.1": T("January", "января", "січня"),
    "month.2": T("February", "февраля", "лютого"),
    "month.3": T("March", "марта", "березня"),
    "month.4": T("April", "апреля", "квітня"),
    "month.5": T("May", "мая", "травня"),
    "month.6": T("June", "июня", "червня"),
    "month.7": T("July", "июля", "липня"),
    "month.8": T("August", "августа", "серпня"),
    "month.9": T("September", "сентября", "вересня"),
    "month.10": T("October", "октября", "жовтня"),
    "month.11": T("November", "ноября", "листопада"),
    "month.12": T("December", "декабря", "грудня"),
    "yes": T("yes", "да", "так"),
    "no": T("no", "нет", "ні"),
    "unit.km": T("km", "км", "км"),
    "unit.m": T("m", "м", "м"),
    "unit.nm": T(
        "NM",
        "морская миля|морские мили|морских миль|морской мили",
        "морська миля|морські милі|морських миль|морської милі",
    ),
    "unit.ft": T("ft", "фут|фута|футов|фута", "фут|фути|футів|фута"),
    "unit.kt": T("kt", "узел|узла|узлов|узла", "вузол|вузли|вузлів|вузла"),
    "unit.kmh": T("km/h", "км/ч", "км/год"),
    "unit.mhz": T("MHz", "МГц", "МГц"),
    "unit.nanometre": T(
        "nanometre|nanometres",
        "нанометр|нанометра|нанометров|нанометра",
        "нанометр|нанометри|нанометрів|нанометра",
    ),
    "unit.day": T("d", "сут.", "доба|доби|діб|доби"),
    "unit.h": T("h", "ч", "год"),
    "unit.min": T("min", "мин", "хв"),
    "unit.s": T("s", "с", "с"),
    "hemi.N": T("N", "с. ш.", "пн. ш."),
    "hemi.S": T("S", "ю. ш.", "пд. ш."),
    "hemi.E": T("E", "в. д.", "сх. д."),
    "hemi.W": T("W", "з. д.", "зх. д."),
    # --- altitudes --------------------------------------------------------------------------
    "alt.amsl": T("AMSL", "над уровнем моря", "над рівнем моря"),
    "alt.fl": T(
        "FL{fl} (about {feet})",
        "эшелон полёта FL{fl} (около {feet})",
        "ешелон польоту FL{fl} (близько {feet})",
    ),
    "alt.sfc": T("surface (SFC)", "поверхность (SFC)", "поверхня (SFC)"),
    "alt.unl": T("unlimited (UNL)", "без ограничения (UNL)", "без обмеження (UNL)"),
    "alt.lower": T("lower limit", "нижняя граница", "нижня межа"),
    "alt.upper": T("upper limit", "верхняя граница", "верхня межа"),
    # --- times ------------------------------------------------------------------------------
    "time.start": T("start", "начало", "початок"),
    "time.end": T("end", "окончание", "закінчення"),
    "time.duration": T("duration", "продолжительность", "тривалість"),
    "time.open_end": T("until cancelled", "до отмены", "до скасування"),
    "time.until_further_notice": T(
        "until further notice", "до особого распоряжения", "до окремого розпорядження"
    ),
    "time.period": T("period {n}", "период {n}", "період {n}"),
    # --- geometry ---------------------------------------------------------------------------
    "geo.point": T("point", "точка", "точка"),
    "geo.circle": T("circle", "круг", "круг"),
    "geo.centre": T("centre", "центр", "центр"),
    "geo.radius": T("radius", "радиус", "радіус"),
    "geo.polygon": T("polygon; corners:", "многоугольник; вершины:", "багатокутник; вершини:"),
    "geo.hole": T(
        "excluded area {n}; corners:",
        "исключаемый участок {n}; вершины:",
        "виключена ділянка {n}; вершини:",
    ),
    "geo.corridor": T("corridor", "коридор", "коридор"),
    "geo.half_width": T(
        "half-width (centre line to edge)",
        "полуширина (от оси до границы)",
        "напівширина (від осі до межі)",
    ),
    "geo.centre_line": T("centre line:", "ось:", "вісь:"),
    "geo.sea_whole": T(
        "{sea} (no boundary given)", "{sea} (без указания границ)", "{sea} (без зазначення меж)"
    ),
    "geo.sea_part": T(
        "{sea}, the part within:", "{sea}, часть в границах:", "{sea}, частина в межах:"
    ),
    "sea.BLACK_SEA": T("Black Sea", "Чёрное море", "Чорне море"),
    "sea.SEA_OF_AZOV": T("Sea of Azov", "Азовское море", "Азовське море"),
    "sea.KERCH_STRAIT": T("Kerch Strait", "Керченский пролив", "Керченська протока"),
    "sea.BALTIC_SEA": T("Baltic Sea", "Балтийское море", "Балтійське море"),
    "sea.GULF_OF_FINLAND": T("Gulf of Finland", "Финский залив", "Фінська затока"),
    "sea.BARENTS_SEA": T("Barents Sea", "Баренцево море", "Баренцове море"),
    "sea.NORWEGIAN_SEA": T("Norwegian Sea", "Норвежское море", "Норвезьке море"),
    "sea.NORTH_SEA": T("North Sea", "Северное море", "Північне море"),
    "sea.MEDITERRANEAN_SEA": T("Mediterranean Sea", "Средиземное море", "Середземне море"),
    "sea.SEA_OF_OKHOTSK": T("Sea of Okhotsk", "Охотское море", "Охотське море"),
    "sea.BERING_SEA": T("Bering Sea", "Берингово море", "Берингове море"),
    "sea.CASPIAN_SEA": T("Caspian Sea", "Каспийское море", "Каспійське море"),
    # --- header and layout ------------------------------------------------------------------
    "marking.TEST": T(
        "TEST TEST TEST: TEST MESSAGE, NOT REAL",
        "ПРОВЕРКА ПРОВЕРКА ПРОВЕРКА (TEST): ПРОВЕРОЧНОЕ СООБЩЕНИЕ, НЕ РЕАЛЬНОЕ",
        "ПЕРЕВІРКА ПЕРЕВІРКА ПЕРЕВІРКА (TEST): ПЕРЕВІРОЧНЕ ПОВІДОМЛЕННЯ, НЕ РЕАЛЬНЕ",
    ),
    "marking.EXERCISE": T(
        "EXERCISE EXERCISE EXERCISE: EXERCISE MESSAGE, NOT REAL",
        "УЧЕНИЕ УЧЕНИЕ УЧЕНИЕ (EXERCISE): УЧЕБНОЕ СООБЩЕНИЕ, НЕ РЕАЛЬНОЕ",
        "НАВЧАННЯ НАВЧАННЯ НАВЧАННЯ (EXERCISE): НАВЧАЛЬНЕ ПОВІДОМЛЕННЯ, НЕ РЕАЛЬНЕ",
    ),
    "precedence.FLASH": T("FLASH", "FLASH (МОЛНИЯ)", "FLASH (БЛИСКАВКА)"),
    "precedence.IMMEDIATE": T("IMMEDIATE", "IMMEDIATE (НЕМЕДЛЕННАЯ)", "IMMEDIATE (НЕВІДКЛАДНА)"),
    "precedence.PRIORITY": T("PRIORITY", "PRIORITY (ПЕРВООЧЕРЕДНАЯ)", "PRIORITY (ПЕРШОЧЕРГОВА)"),
    "precedence.ROUTINE": T("ROUTINE", "ROUTINE (ОБЫЧНАЯ)", "ROUTINE (ЗВИЧАЙНА)"),
    "hdr.precedence": T("Precedence", "Категория срочности", "Категорія терміновості"),
    "hdr.from": T("From", "От", "Від"),
    "hdr.to": T("To", "Кому", "Кому"),
    "hdr.number": T("Message number", "Номер сообщения", "Номер повідомлення"),
    "hdr.dtg": T("DTG", "Дата-время", "Дата-час"),
    "hdr.released": T("Released", "Время отправки", "Час надсилання"),
    "hdr.references": T("References", "Ссылки", "Посилання"),
    "hdr.subject": T("Subject", "Тема", "Тема"),
    "hdr.basis": T("Basis", "Основание", "Підстава"),
    "hdr.end": T(
        "END OF MESSAGE {number}", "КОНЕЦ СООБЩЕНИЯ {number}", "КІНЕЦЬ ПОВІДОМЛЕННЯ {number}"
    ),
    "hdr.unnumbered": T(
        "(no number yet: draft)",
        "(номер ещё не присвоен: проект)",
        "(номер ще не присвоєно: проєкт)",
    ),
    "hdr.unset": T("(not set: draft)", "(не указано: проект)", "(не зазначено: проєкт)"),
    "hdr.unreleased": T("(not yet released)", "(ещё не отправлено)", "(ще не надіслано)"),
    "hdr.none": T("none", "нет", "немає"),
    "ack.immediate": T(
        "ACKNOWLEDGE IMMEDIATELY: READ AND UNDERSTOOD",
        "НЕМЕДЛЕННО ПОДТВЕРДИТЕ: ПРОЧИТАНО И ПОНЯТО",
        "НЕГАЙНО ПІДТВЕРДЬТЕ: ПРОЧИТАНО Й ЗРОЗУМІЛО",
    ),
    "disclaimer.humanitarian": T(
        "NOTIFICATION IS NOT PERMISSION. This notification is not a request for permission, "
        "and its receipt or acknowledgement is not approval. All parties remain bound by "
        "international humanitarian law to protect humanitarian personnel, sites and "
        "movements, whether notified or not.",
        "УВЕДОМЛЕНИЕ НЕ ЯВЛЯЕТСЯ РАЗРЕШЕНИЕМ. Настоящее уведомление не является запросом "
        "разрешения, а его получение или подтверждение не означает согласования. Все стороны "
        "по-прежнему обязаны в соответствии с международным гуманитарным правом защищать "
        "гуманитарный персонал, объекты и передвижения независимо от того, было ли о них "
        "уведомлено.",
        "СПОВІЩЕННЯ НЕ Є ДОЗВОЛОМ. Це сповіщення не є запитом на дозвіл, а його отримання чи "
        "підтвердження не означає погодження. Усі сторони й надалі зобов’язані відповідно до "
        "міжнародного гуманітарного права захищати гуманітарний персонал, об’єкти та "
        "пересування незалежно від того, чи було про них сповіщено.",
    ),
    "unformatted.banner": T(
        "UNFORMATTED MESSAGE: FREE TEXT, NOT MACHINE-TRANSLATED",
        "НЕФОРМАЛИЗОВАННОЕ СООБЩЕНИЕ: СВОБОДНЫЙ ТЕКСТ, МАШИННЫЙ ПЕРЕВОД НЕ ВЫПОЛНЯЛСЯ",
        "НЕФОРМАЛІЗОВАНЕ ПОВІДОМЛЕННЯ: ДОВІЛЬНИЙ ТЕКСТ, МАШИННИЙ ПЕРЕКЛАД НЕ ЗДІЙСНЮВАВСЯ",
    ),
    "original.language": T("Original language", "Язык оригинала", "Мова оригіналу"),
    "original.compact": T(
        "[ORIGINAL TEXT, {lang}, NOT TRANSLATED]",
        "[ИСХОДНЫЙ ТЕКСТ, {lang}, БЕЗ ПЕРЕВОДА]",
        "[ОРИГІНАЛЬНИЙ ТЕКСТ, {lang}, БЕЗ ПЕРЕКЛАДУ]",
    ),
    "original.readable": T(
        "(original text {lang_in}, not translated)",
        "(исходный текст {lang_in}, без перевода)",
        "(оригінальний текст {lang_in}, без перекладу)",
    ),
    "lang.en.name": T("English", "английский", "англійська"),
    "lang.ru.name": T("Russian", "русский", "російська"),
    "lang.uk.name": T("Ukrainian", "украинский", "українська"),
    "lang.other.name": T("language code «{code}»", "код языка «{code}»", "код мови «{code}»"),
    "lang.en.in": T("in English", "на английском языке", "англійською мовою"),
    "lang.ru.in": T("in Russian", "на русском языке", "російською мовою"),
    "lang.uk.in": T("in Ukrainian", "на украинском языке", "українською мовою"),
    "lang.other.in": T(
        "in the language with code «{code}»", "на языке с кодом «{code}»", "мовою з кодом «{code}»"
    ),
    "newer.note": T(
        "NOTE: this message was written in a newer version ({version}) of its format. These "
        "fields are not shown here: {fields}. Upgrade hotline to see them; the signed original "
        "is kept in full.",
        "ВНИМАНИЕ: сообщение составлено в более новой версии ({version}) формата. Эти поля "
        "здесь не показаны: {fields}. Чтобы их увидеть, обновите hotline; подписанный оригинал "
        "сохранён полностью.",
        "УВАГА: повідомлення складено в новішій версії ({version}) формату. Ці поля тут не "
        "показано: {fields}. Щоб їх побачити, оновіть hotline; підписаний оригінал збережено "
        "повністю.",
    ),
    # --- type titles and their basis --------------------------------------------------------
    "type.missile_launch": T(
        "Ballistic missile launch notification",
        "Уведомление о пуске баллистической ракеты",
        "Сповіщення про пуск балістичної ракети",
    ),
    "type.hazard_warning": T(
        "Navigational warning: hazard at sea",
        "Навигационное предупреждение об опасности",
        "Навігаційне попередження про небезпеку",
    ),
    "type.naval_exercise": T(
        "Naval exercise notice",
        "Уведомление о военно-морском учении",
        "Сповіщення про військово-морське навчання",
    ),
    "type.flight_notice": T(
        "Planned air activity notice",
        "Уведомление о планируемой деятельности авиации",
        "Сповіщення про заплановану діяльність авіації",
    ),
    "type.special_caution_area": T(
        "Special caution area", "Район особой осторожности", "Район особливої обережності"
    ),
    "type.laser_notice": T(
        "Laser use notice",
        "Уведомление о применении лазера",
        "Сповіщення про застосування лазера",
    ),
    "type.humanitarian_site": T(
        "Humanitarian site notification",
        "Уведомление о гуманитарном объекте",
        "Сповіщення про гуманітарний об’єкт",
    ),
    "type.humanitarian_movement": T(
        "Humanitarian movement notification",
        "Уведомление о гуманитарном передвижении",
        "Сповіщення про гуманітарне пересування",
    ),
    "type.incident_report": T(
        "Incident report", "Донесение об инциденте", "Донесення про інцидент"
    ),
    "type.proximity_alert": T(
        "Proximity alert",
        "Предупреждение об опасном сближении",
        "Попередження про небезпечне зближення",
    ),
    "type.stop_check_fire": T(
        "STOP: CHECK FIRE", "СТОЙ: ПРЕКРАТИТЬ ОГОНЬ", "СТІЙ: ПРИПИНИТИ ВОГОНЬ"
    ),
    "type.rfi": T("Request for information", "Запрос информации", "Запит інформації"),
    "type.rfi_response": T(
        "Response to a request for information",
        "Ответ на запрос информации",
        "Відповідь на запит інформації",
    ),
    "type.short_message": T(
        "Pre-agreed short message",
        "Согласованное краткое сообщение",
        "Узгоджене коротке повідомлення",
    ),
    "type.free_text": T(
        "Free text (unformatted)",
        "Свободный текст (неформализованное сообщение)",
        "Довільний текст (неформалізоване повідомлення)",
    ),
    "type.amendment": T("Amendment", "Изменение уведомления", "Зміна сповіщення"),
    "type.cancellation": T("Cancellation", "Отмена уведомления", "Скасування сповіщення"),
    "type.supersession": T("Supersession (replacement)", "Замена уведомления", "Заміна сповіщення"),
    "basis.bmlna_1988": T(
        "1988 Ballistic Missile Launch Notification Agreement",
        "Соглашение 1988 г. об уведомлениях о пусках межконтинентальных баллистических ракет "
        "и баллистических ракет подводных лодок",
        "Угода 1988 р. про сповіщення про пуски міжконтинентальних балістичних ракет і "
        "балістичних ракет підводних човнів",
    ),
    "basis.incsea_1972": T(
        "1972 Agreement on the Prevention of Incidents On and Over the High Seas",
        "Соглашение 1972 г. о предотвращении инцидентов в открытом море и в воздушном "
        "пространстве над ним",
        "Угода 1972 р. про запобігання інцидентам у відкритому морі та в повітряному просторі "
        "над ним",
    ),
    "basis.dma_1989": T(
        "1989 Agreement on the Prevention of Dangerous Military Activities",
        "Соглашение 1989 г. о предотвращении опасной военной деятельности",
        "Угода 1989 р. про запобігання небезпечній військовій діяльності",
    ),
    "basis.ocha_hns": T(
        "OCHA Humanitarian Notification System",
        "Система гуманитарных уведомлений УКГВ ООН",
        "Система гуманітарних сповіщень УКГС ООН",
    ),
    # --- field labels -----------------------------------------------------------------------
    "field.missile_class": T("Missile class", "Класс ракеты", "Клас ракети"),
    "field.launch_count": T("Number of launches", "Количество пусков", "Кількість пусків"),
    "field.launch_window": T("Launch window", "Период пуска", "Період пуску"),
    "field.launch_area": T("Launch area", "Район пуска", "Район пуску"),
    "field.impact_area": T("Impact area", "Район падения", "Район падіння"),
    "field.remarks": T("Remarks", "Примечания", "Примітки"),
    "field.hazard": T("Nature of hazard", "Характер опасности", "Характер небезпеки"),
    "field.area": T("Area", "Район", "Район"),
    "field.windows": T("Periods of activity", "Периоды проведения", "Періоди проведення"),
    "field.window": T("Time window", "Время проведения", "Час проведення"),
    "field.altitude": T("Altitude band", "Диапазон высот", "Діапазон висот"),
    "field.remain_clear": T("Advice", "Рекомендация", "Рекомендація"),
    "remain_clear.yes": T(
        "ships and aircraft are requested to remain clear of the area",
        "кораблям, судам и воздушным судам просьба не входить в район",
        "кораблям, суднам і повітряним суднам прохання не заходити в район",
    ),
    "remain_clear.no": T(
        "none: the area is not closed; keep a sharp lookout",
        "нет: район не закрыт; соблюдать повышенную бдительность",
        "немає: район не закрито; дотримуватися підвищеної пильності",
    ),
    "field.exercise_name": T("Exercise name", "Наименование учения", "Назва навчання"),
    "field.activities": T("Activities", "Виды деятельности", "Види діяльності"),
    "field.participants": T("Forces taking part", "Привлекаемые силы", "Залучені сили"),
    "field.purpose": T("Purpose", "Цель", "Мета"),
    "field.aircraft": T("Aircraft", "Воздушные суда", "Повітряні судна"),
    "field.callsigns": T("callsigns", "позывные", "позивні"),
    "field.icao24": T("ICAO addresses", "адреса ICAO", "адреси ICAO"),
    "field.validity": T("Valid", "Срок действия", "Термін дії"),
    "field.measures": T("Measures", "Меры", "Заходи"),
    "field.radio_frequencies_mhz": T("Radio frequencies", "Радиочастоты", "Радіочастоти"),
    "field.laser_class": T(
        "Laser class (IEC 60825-1)", "Класс лазера (МЭК 60825-1)", "Клас лазера (МЕК 60825-1)"
    ),
    "field.wavelength_nanometres": T("Wavelength", "Длина волны", "Довжина хвилі"),
    "field.nohd_m": T(
        "Nominal ocular hazard distance (NOHD)",
        "Номинальное расстояние, опасное для глаз (NOHD)",
        "Номінальна відстань, небезпечна для очей (NOHD)",
    ),
    "field.organisation": T("Organisation", "Организация", "Організація"),
    "field.site_name": T("Site name", "Наименование объекта", "Назва об’єкта"),
    "field.site_kind": T("Type of site", "Тип объекта", "Тип об’єкта"),
    "field.location": T("Location", "Местоположение", "Місцезнаходження"),
    "field.persons_on_site": T(
        "Persons on site", "Количество людей на объекте", "Кількість людей на об’єкті"
    ),
    "field.emblems": T("Emblems displayed", "Отличительные эмблемы", "Розпізнавальні емблеми"),
    "field.markings": T("Markings", "Обозначения", "Позначення"),
    "field.contact": T("Contact", "Контакт для связи", "Контакт для зв’язку"),
    "field.movement_id": T(
        "Movement ID", "Идентификатор передвижения", "Ідентифікатор пересування"
    ),
    "field.origin": T("Origin", "Пункт отправления", "Пункт відправлення"),
    "field.destination": T("Destination", "Пункт назначения", "Пункт призначення"),
    "field.route": T("Route", "Маршрут", "Маршрут"),
    "field.vehicles": T("Vehicles", "Транспортные средства", "Транспортні засоби"),
    "field.persons": T("Persons", "Количество людей", "Кількість людей"),
    "field.cargo": T("Cargo", "Груз", "Вантаж"),
    "field.category": T("Type of incident", "Вид инцидента", "Вид інциденту"),
    "field.occurred_at": T("Time of incident", "Время инцидента", "Час інциденту"),
    "field.assets": T("Assets involved", "Участники", "Учасники"),
    "field.identifier": T("callsign or number", "позывной или номер", "позивний або номер"),
    "field.narrative": T("What happened", "Описание события", "Опис події"),
    "field.evidence": T("Evidence", "Подтверждающие материалы", "Підтверджувальні матеріали"),
    "field.account_of": T(
        "Own account of the incident reported in",
        "Собственная версия событий по инциденту из сообщения",
        "Власна версія подій щодо інциденту з повідомлення",
    ),
    "field.computed_at": T("Computed at", "Время расчёта", "Час розрахунку"),
    "field.tracked": T("Asset {n}", "Участник {n}", "Учасник {n}"),
    "field.source": T("source", "источник", "джерело"),
    "field.party": T("party", "сторона", "сторона"),
    "field.position": T("position", "местоположение", "місцезнаходження"),
    "field.alt_ft": T("altitude", "высота", "висота"),
    "field.ground_speed_kt": T("ground speed", "путевая скорость", "шляхова швидкість"),
    "field.track_deg": T("track", "путевой угол", "шляховий кут"),
    "field.cpa_time": T(
        "Time of closest approach",
        "Время кратчайшего сближения",
        "Час найкоротшого зближення",
    ),
    "field.time_to_cpa": T(
        "Time to closest approach (TCPA)",
        "Время до кратчайшего сближения (TCPA)",
        "Час до найкоротшого зближення (TCPA)",
    ),
    "field.cpa_distance_m": T(
        "Distance at closest approach (CPA)",
        "Дистанция кратчайшего сближения (CPA)",
        "Дистанція найкоротшого зближення (CPA)",
    ),
    "field.cpa_vertical_ft": T(
        "Vertical separation at closest approach",
        "Вертикальное расстояние при кратчайшем сближении",
        "Вертикальна відстань при найкоротшому зближенні",
    ),
    "field.cpa_position": T(
        "Point of closest approach", "Точка кратчайшего сближения", "Точка найкоротшого зближення"
    ),
    "stop.order": T(
        "CEASE FIRE IMMEDIATELY.", "НЕМЕДЛЕННО ПРЕКРАТИТЬ ОГОНЬ.", "НЕГАЙНО ПРИПИНИТИ ВОГОНЬ."
    ),
    "stop.everywhere": T(
        "everywhere (no area limit)",
        "везде (без ограничения района)",
        "скрізь (без обмеження району)",
    ),
    "field.reason": T("Reason", "Причина", "Причина"),
    "field.until": T("In force until", "Действует до", "Діє до"),
    "field.related": T("Related message", "Связанное сообщение", "Пов’язане повідомлення"),
    "field.topic": T("Topic", "Тема запроса", "Тема запиту"),
    "field.question": T("Question", "Вопрос", "Питання"),
    "field.about": T("Concerning message", "По сообщению", "Щодо повідомлення"),
    "field.reply_by": T("Reply by", "Срок ответа", "Термін відповіді"),
    "field.responds_to": T(
        "In response to message", "Ответ на сообщение", "Відповідь на повідомлення"
    ),
    "field.outcome": T("Outcome", "Результат", "Результат"),
    "field.answer": T("Answer", "Ответ", "Відповідь"),
    "field.phrase": T(
        "Pre-agreed message {code}",
        "Согласованное сообщение {code}",
        "Узгоджене повідомлення {code}",
    ),
    "phrase.unknown": T(
        "the text of {code} is not in this version's list of pre-agreed messages; ask the "
        "sender, or upgrade hotline",
        "текст сообщения {code} отсутствует в перечне согласованных сообщений этой версии; "
        "запросите отправителя или обновите hotline",
        "текст повідомлення {code} відсутній у переліку узгоджених повідомлень цієї версії; "
        "запитайте відправника або оновіть hotline",
    ),
    "field.text": T("Text", "Текст", "Текст"),
    "field.code_word": T("Code word", "Кодовое слово", "Кодове слово"),
    "field.number": T("Number", "Номер", "Номер"),
    "field.notification": T("Notification", "Уведомление", "Сповіщення"),
    "field.amends": T("Amends message", "Изменяет сообщение", "Змінює повідомлення"),
    "field.changed": T("Changed", "Изменено", "Змінено"),
    "amended.heading": T(
        "NOTIFICATION AS AMENDED (changed items marked »)",
        "УВЕДОМЛЕНИЕ С УЧЁТОМ ИЗМЕНЕНИЙ (изменённые пункты отмечены »)",
        "СПОВІЩЕННЯ З УРАХУВАННЯМ ЗМІН (змінені пункти позначено »)",
    ),
    "field.cancels": T("Cancels message", "Отменяет сообщение", "Скасовує повідомлення"),
    "field.supersedes": T("Supersedes message", "Заменяет сообщение", "Замінює повідомлення"),
    "superseded.heading": T(
        "NEW NOTIFICATION (replaces the earlier one entirely)",
        "НОВОЕ УВЕДОМЛЕНИЕ (полностью заменяет прежнее)",
        "НОВЕ СПОВІЩЕННЯ (повністю замінює попереднє)",
    ),
    # --- incident accounts side by side -----------------------------------------------------
    "incident.status.REPORTED": T(
        "STATUS: REPORTED BY ONE PARTY",
        "СТАТУС: СООБЩЕНО ОДНОЙ СТОРОНОЙ",
        "СТАТУС: ПОВІДОМЛЕНО ОДНІЄЮ СТОРОНОЮ",
    ),
    "incident.status.DISPUTED": T(
        "STATUS: DISPUTED: the parties' accounts differ; each is shown as sent, neither is "
        "endorsed",
        "СТАТУС: СПОРНЫЙ: версии сторон расходятся; каждая приведена в том виде, в каком "
        "была направлена, ни одна не подтверждается",
        "СТАТУС: СПІРНИЙ: версії сторін розходяться; кожну наведено в тому вигляді, у якому "
        "її надіслано, жодну не підтверджено",
    ),
    "incident.account": T(
        "ACCOUNT {i} OF {n}: FROM {party}, MESSAGE {number}",
        "ВЕРСИЯ {i} ИЗ {n}: ОТ {party}, СООБЩЕНИЕ {number}",
        "ВЕРСІЯ {i} З {n}: ВІД {party}, ПОВІДОМЛЕННЯ {number}",
    ),
    # --- vocabularies -----------------------------------------------------------------------
    "MissileClass.ICBM": T(
        "ICBM (intercontinental ballistic missile)",
        "МБР (межконтинентальная баллистическая ракета)",
        "МБР (міжконтинентальна балістична ракета)",
    ),
    "MissileClass.SLBM": T(
        "SLBM (submarine-launched ballistic missile)",
        "БРПЛ (баллистическая ракета подводных лодок)",
        "БРПЧ (балістична ракета підводних човнів)",
    ),
    "MissileClass.IRBM": T(
        "IRBM (intermediate-range ballistic missile)",
        "БРСД (баллистическая ракета средней дальности)",
        "БРСД (балістична ракета середньої дальності)",
    ),
    "MissileClass.SRBM": T(
        "SRBM (short-range ballistic missile)",
        "БРМД (баллистическая ракета малой дальности)",
        "БРМД (балістична ракета малої дальності)",
    ),
    "MissileClass.SPACE_LAUNCH_VEHICLE": T(
        "space launch vehicle",
        "ракета космического назначения (РКН)",
        "ракета космічного призначення (РКП)",
    ),
    "HazardKind.GUNNERY": T("gunnery firing", "артиллерийские стрельбы", "артилерійські стрільби"),
    "HazardKind.MISSILE_FIRING": T("missile firing", "ракетные стрельбы", "ракетні стрільби"),
    "HazardKind.TORPEDO_FIRING": T("torpedo firing", "торпедные стрельбы", "торпедні стрільби"),
    "HazardKind.MINE_COUNTERMEASURES": T(
        "mine countermeasures", "противоминные действия", "протимінні дії"
    ),
    "HazardKind.UNDERWATER_DEMOLITION": T(
        "underwater demolition (explosions)",
        "подводные взрывные работы",
        "підводні вибухові роботи",
    ),
    "HazardKind.SUBMARINE_OPERATIONS": T(
        "submarine operations", "действия подводных лодок", "дії підводних човнів"
    ),
    "HazardKind.FLIGHT_OPERATIONS": T(
        "intensive flight operations", "интенсивные полёты авиации", "інтенсивні польоти авіації"
    ),
    "HazardKind.FALLING_DEBRIS": T(
        "falling debris (rocket stages, fragments)",
        "падение обломков (ступеней ракет, фрагментов)",
        "падіння уламків (ступенів ракет, фрагментів)",
    ),
    "HazardKind.OTHER": T("other (see remarks)", "иное (см. примечания)", "інше (див. примітки)"),
    "UnitKind.SURFACE_SHIP": T("surface ship", "надводный корабль", "надводний корабель"),
    "UnitKind.SUBMARINE": T("submarine", "подводная лодка", "підводний човен"),
    "UnitKind.FIXED_WING_AIRCRAFT": T("fixed-wing aircraft", "самолёт", "літак"),
    "UnitKind.HELICOPTER": T("helicopter", "вертолёт", "гелікоптер"),
    "UnitKind.UNCREWED_AIRCRAFT": T(
        "uncrewed aircraft (UAV)",
        "беспилотный летательный аппарат (БПЛА)",
        "безпілотний літальний апарат (БпЛА)",
    ),
    "UnitKind.UNCREWED_SURFACE_VESSEL": T(
        "uncrewed surface vessel", "безэкипажный катер", "безекіпажний катер"
    ),
    "FlightPurpose.RECONNAISSANCE": T(
        "reconnaissance (ISR)", "воздушная разведка", "повітряна розвідка"
    ),
    "FlightPurpose.PATROL": T("patrol", "патрулирование", "патрулювання"),
    "FlightPurpose.TRAINING": T("training flights", "учебные полёты", "навчальні польоти"),
    "FlightPurpose.TRANSPORT": T("air transport", "воздушные перевозки", "повітряні перевезення"),
    "FlightPurpose.AIR_REFUELLING": T(
        "air-to-air refuelling", "дозаправка в воздухе", "дозаправлення в повітрі"
    ),
    "FlightPurpose.SEARCH_AND_RESCUE": T(
        "search and rescue", "поиск и спасание", "пошук і рятування"
    ),
    "FlightPurpose.MEDICAL_EVACUATION": T(
        "medical evacuation", "медицинская эвакуация", "медична евакуація"
    ),
    "FlightPurpose.FERRY": T("ferry flight", "перелёт (перегонка)", "переліт (перегонка)"),
    "FlightPurpose.TEST_FLIGHT": T("test flight", "испытательный полёт", "випробувальний політ"),
    "FlightPurpose.OTHER": T(
        "other (see remarks)", "иное (см. примечания)", "інше (див. примітки)"
    ),
    "CautionMeasure.ESTABLISH_COMMUNICATIONS": T(
        "establish and keep radio contact",
        "установить и поддерживать радиосвязь",
        "встановити й підтримувати радіозв’язок",
    ),
    "CautionMeasure.NO_WEAPON_AIMING": T(
        "do not aim weapons at the other side's personnel or equipment",
        "не наводить оружие на личный состав и технику другой стороны",
        "не наводити зброю на особовий склад і техніку іншої сторони",
    ),
    "CautionMeasure.NO_LASER_USE": T(
        "do not use lasers against the other side",
        "не применять лазеры против другой стороны",
        "не застосовувати лазери проти іншої сторони",
    ),
    "CautionMeasure.KEEP_SAFE_DISTANCE": T(
        "keep a safe distance",
        "соблюдать безопасную дистанцию",
        "дотримуватися безпечної дистанції",
    ),
    "CautionMeasure.REPORT_ENTRY": T(
        "report entry into the area", "сообщать о входе в район", "повідомляти про вхід у район"
    ),
    "LaserPurpose.RANGE_FINDING": T(
        "range finding", "измерение дальности", "вимірювання дальності"
    ),
    "LaserPurpose.TARGET_DESIGNATION": T("target designation", "целеуказание", "цілевказування"),
    "LaserPurpose.COMMUNICATION": T("communication", "связь", "зв’язок"),
    "LaserPurpose.COUNTERMEASURE": T(
        "countermeasure (dazzling)", "противодействие (ослепление)", "протидія (засліплення)"
    ),
    "LaserPurpose.TESTING": T("testing", "испытания", "випробування"),
    "LaserPurpose.OTHER": T("other (see remarks)", "иное (см. примечания)", "інше (див. примітки)"),
    "laser_class": T("class {c}", "класс {c}", "клас {c}"),
    "SiteKind.HOSPITAL": T("hospital", "больница", "лікарня"),
    "SiteKind.CLINIC": T("clinic", "медицинский пункт", "медичний пункт"),
    "SiteKind.SCHOOL": T("school", "школа", "школа"),
    "SiteKind.SHELTER": T("shelter", "укрытие", "укриття"),
    "SiteKind.CAMP": T(
        "camp for displaced persons",
        "лагерь для перемещённых лиц",
        "табір для переміщених осіб",
    ),
    "SiteKind.WAREHOUSE": T("warehouse", "склад", "склад"),
    "SiteKind.OFFICE": T("office", "офис", "офіс"),
    "SiteKind.STAFF_RESIDENCE": T(
        "staff residence", "жилые помещения персонала", "житло персоналу"
    ),
    "SiteKind.DISTRIBUTION_POINT": T(
        "aid distribution point", "пункт раздачи помощи", "пункт видачі допомоги"
    ),
    "SiteKind.WATER_FACILITY": T("water facility", "объект водоснабжения", "об’єкт водопостачання"),
    "SiteKind.OTHER": T("other", "иное", "інше"),
    "Emblem.RED_CROSS": T("red cross", "красный крест", "червоний хрест"),
    "Emblem.RED_CRESCENT": T("red crescent", "красный полумесяц", "червоний півмісяць"),
    "Emblem.RED_CRYSTAL": T("red crystal", "красный кристалл", "червоний кристал"),
    "Emblem.UNITED_NATIONS": T("United Nations emblem", "эмблема ООН", "емблема ООН"),
    "Emblem.CIVIL_DEFENCE": T(
        "civil defence sign (blue triangle on orange)",
        "знак гражданской обороны (синий треугольник на оранжевом фоне)",
        "знак цивільного захисту (синій трикутник на помаранчевому тлі)",
    ),
    "Emblem.CULTURAL_PROPERTY": T(
        "cultural property sign (blue and white shield)",
        "знак культурных ценностей (сине-белый щит)",
        "знак культурних цінностей (синьо-білий щит)",
    ),
    "Emblem.ORGANISATION_LOGO": T(
        "organisation's logo", "логотип организации", "логотип організації"
    ),
    "VehicleKind.TRUCK": T("truck", "грузовой автомобиль", "вантажівка"),
    "VehicleKind.CAR": T("car", "легковой автомобиль", "легковий автомобіль"),
    "VehicleKind.AMBULANCE": T("ambulance", "санитарный автомобиль", "санітарний автомобіль"),
    "VehicleKind.BUS": T("bus", "автобус", "автобус"),
    "VehicleKind.BOAT": T("boat", "катер", "катер"),
    "CargoKind.FOOD": T("food", "продовольствие", "продовольство"),
    "CargoKind.WATER": T("water", "вода", "вода"),
    "CargoKind.MEDICAL": T("medical supplies", "медикаменты", "медикаменти"),
    "CargoKind.SHELTER": T(
        "shelter materials", "материалы для временного жилья", "матеріали для тимчасового житла"
    ),
    "CargoKind.FUEL": T("fuel", "топливо", "пальне"),
    "CargoKind.PERSONNEL": T("personnel only", "только персонал", "лише персонал"),
    "CargoKind.EVACUEES": T("evacuees", "эвакуируемые лица", "евакуйовані особи"),
    "IncidentKind.UNSAFE_INTERCEPT": T(
        "unsafe intercept", "небезопасный перехват", "небезпечне перехоплення"
    ),
    "IncidentKind.NEAR_COLLISION": T(
        "dangerous approach (near collision)",
        "опасное сближение (угроза столкновения)",
        "небезпечне зближення (загроза зіткнення)",
    ),
    "IncidentKind.COLLISION": T("collision", "столкновение", "зіткнення"),
    "IncidentKind.LASER_ILLUMINATION": T(
        "laser illumination", "облучение лазером", "опромінення лазером"
    ),
    "IncidentKind.WEAPON_AIMING": T("weapon aiming", "наведение оружия", "наведення зброї"),
    "IncidentKind.WEAPONS_FIRE": T(
        "weapons fire", "применение оружия (огонь)", "застосування зброї (вогонь)"
    ),
    "IncidentKind.AIRSPACE_VIOLATION": T(
        "airspace violation", "нарушение воздушного пространства", "порушення повітряного простору"
    ),
    "IncidentKind.GNSS_INTERFERENCE": T(
        "GNSS interference (GPS, GLONASS, Galileo)",
        "помехи ГНСС (GPS, ГЛОНАСС, Galileo)",
        "завади ГНСС (GPS, ГЛОНАСС, Galileo)",
    ),
    "IncidentKind.RADIO_INTERFERENCE": T("radio interference", "радиопомехи", "радіозавади"),
    "IncidentKind.STRIKE_NEAR_NOTIFIED_SITE": T(
        "strike at or near a notified site",
        "удар по объекту, о котором было уведомлено, или вблизи него",
        "удар по об’єкту, про який було сповіщено, або поблизу нього",
    ),
    "IncidentKind.OTHER": T("other (see narrative)", "иное (см. описание)", "інше (див. опис)"),
    "AssetKind.AIRCRAFT": T("aircraft", "воздушное судно", "повітряне судно"),
    "AssetKind.UNCREWED_AIRCRAFT": T(
        "uncrewed aircraft (UAV)",
        "БПЛА (беспилотный летательный аппарат)",
        "БпЛА (безпілотний літальний апарат)",
    ),
    "AssetKind.HELICOPTER": T("helicopter", "вертолёт", "гелікоптер"),
    "AssetKind.SHIP": T("ship or vessel", "корабль (судно)", "корабель (судно)"),
    "AssetKind.SUBMARINE": T("submarine", "подводная лодка", "підводний човен"),
    "AssetKind.GROUND_UNIT": T("ground unit", "наземное подразделение", "наземний підрозділ"),
    "AssetKind.VEHICLE": T("vehicle", "транспортное средство", "транспортний засіб"),
    "AssetKind.FACILITY": T("facility", "объект", "об’єкт"),
    "EvidenceKind.VIDEO": T("video", "видеозапись", "відеозапис"),
    "EvidenceKind.PHOTO": T("photograph", "фотоснимок", "фотознімок"),
    "EvidenceKind.RADAR_DATA": T("radar data", "радиолокационные данные", "радіолокаційні дані"),
    "EvidenceKind.ADS_B_DATA": T("ADS-B data", "данные ADS-B", "дані ADS-B"),
    "EvidenceKind.AIS_DATA": T("AIS data", "данные АИС (AIS)", "дані АІС (AIS)"),
    "EvidenceKind.RADIO_RECORDING": T(
        "radio recording", "запись радиопереговоров", "запис радіообміну"
    ),
    "EvidenceKind.DOCUMENT": T("document", "документ", "документ"),
    "TrackSource.ADS_B": T("ADS-B", "ADS-B", "ADS-B"),
    "TrackSource.AIS": T("AIS", "АИС (AIS)", "АІС (AIS)"),
    "TrackSource.PARTY_FEED": T("a party's own feed", "данные стороны", "дані сторони"),
    "TrackSource.MANUAL": T("manual entry", "ручной ввод", "ручне введення"),
    "StopReason.PROTECTED_SITE_AT_RISK": T(
        "a protected site is at risk",
        "угроза объекту, находящемуся под защитой",
        "загроза об’єкту, що перебуває під захистом",
    ),
    "StopReason.HUMANITARIAN_MOVEMENT_AT_RISK": T(
        "a humanitarian movement is at risk",
        "угроза гуманитарному передвижению",
        "загроза гуманітарному пересуванню",
    ),
    "StopReason.CIVILIANS_AT_RISK": T(
        "civilians are at risk", "угроза мирному населению", "загроза цивільному населенню"
    ),
    "StopReason.OWN_FORCES_AT_RISK": T(
        "our forces are at risk", "угроза нашим силам", "загроза нашим силам"
    ),
    "StopReason.AIRCRAFT_AT_RISK": T(
        "an aircraft is at risk", "угроза воздушному судну", "загроза повітряному судну"
    ),
    "StopReason.VESSEL_AT_RISK": T(
        "a ship or vessel is at risk", "угроза кораблю (судну)", "загроза кораблю (судну)"
    ),
    "StopReason.OTHER": T("other (see remarks)", "иное (см. примечания)", "інше (див. примітки)"),
    "RfiTopic.LOCATION": T("location", "местоположение", "місцезнаходження"),
    "RfiTopic.TIMING": T("timing", "сроки", "строки"),
    "RfiTopic.IDENTITY": T(
        "identity (whose asset)", "опознавание (принадлежность)", "ідентифікація (належність)"
    ),
    "RfiTopic.INTENTIONS": T("intentions", "намерения", "наміри"),
    "RfiTopic.ACTIVITY_STATUS": T(
        "status of a notified activity",
        "состояние деятельности, о которой было уведомлено",
        "стан діяльності, про яку було сповіщено",
    ),
    "RfiTopic.OTHER": T("other", "иное", "інше"),
    "ResponseKind.ANSWERED": T("answered in full", "дан полный ответ", "надано повну відповідь"),
    "ResponseKind.PARTIAL": T(
        "answered in part", "дан частичный ответ", "надано часткову відповідь"
    ),
    "ResponseKind.UNABLE": T("unable to answer", "ответить невозможно", "відповісти неможливо"),
    "ResponseKind.DECLINED": T("declined to answer", "в ответе отказано", "у відповіді відмовлено"),
    "CancelReason.ACTIVITY_CANCELLED": T(
        "the activity is cancelled", "деятельность отменена", "діяльність скасовано"
    ),
    "CancelReason.ACTIVITY_POSTPONED": T(
        "the activity is postponed; a new notification will follow",
        "деятельность переносится; новое уведомление будет направлено дополнительно",
        "діяльність переноситься; нове сповіщення буде надіслано додатково",
    ),
    "CancelReason.ACTIVITY_COMPLETED": T(
        "the activity has been completed", "деятельность завершена", "діяльність завершено"
    ),
    "CancelReason.ISSUED_IN_ERROR": T(
        "the notification was sent in error",
        "уведомление направлено ошибочно",
        "сповіщення надіслано помилково",
    ),
    "CancelReason.OTHER": T("other (see remarks)", "иное (см. примечания)", "інше (див. примітки)"),
}
