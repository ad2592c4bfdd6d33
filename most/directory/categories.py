"""The network's own taxonomies, given to every catalogue: the kinds of service migrants and
professionals look for, and the features the finder filters on. Their ids are fixed (derived
from their codes), so that every installation and every published dataset names them alike.

Data, and `write`, which puts it in the database through the models it is given (migration
0002's historical ones, or the current ones for a database emptied since).
"""

import uuid

NAMESPACE = uuid.UUID("6f1f3c52-6a4e-4d3e-9b8e-3d7c0d1e2a10")
LANGUAGES = ("sl", "en", "uk", "ar", "fa", "sq", "ru")


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{code}")


def taxonomy_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"taxonomy:{code}")


# Languages a service may be used in (HSDS `languages`), by ISO 639-1 code: the network's most
# asked for first. Their English names are what the catalogue records; pages name them in the
# visitor's language.
SPOKEN_LANGUAGES = {
    "sl": "Slovenian",
    "en": "English",
    "uk": "Ukrainian",
    "ru": "Russian",
    "ar": "Arabic",
    "fa": "Persian",
    "ps": "Pashto",
    "ur": "Urdu",
    "sq": "Albanian",
    "bs": "Bosnian",
    "sr": "Serbian",
    "hr": "Croatian",
    "mk": "Macedonian",
    "tr": "Turkish",
    "it": "Italian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "zh": "Chinese",
    "hi": "Hindi",
    "bn": "Bengali",
    "ti": "Tigrinya",
    "so": "Somali",
}

CATEGORIES = "most-service-categories"
FEATURES = "most-service-features"

TAXONOMIES = {
    CATEGORIES: {
        "name": "Most: service categories",
        "description": "The kinds of service of the network of organisations that help "
        "migrants integrate in Slovenia.",
        "version": "1",
    },
    FEATURES: {
        "name": "Most: service features",
        "description": "What a visitor may need of a service or its place: free of charge, "
        "wheelchair access.",
        "version": "1",
    },
}

# code: names in sl, en, uk, ar, fa, sq, ru.
TERMS = {
    CATEGORIES: {
        "legal-aid": (
            "Pravna pomoč",
            "Legal aid",
            "Правова допомога",
            "المساعدة القانونية",
            "کمک حقوقی",
            "Ndihmë juridike",
            "Юридическая помощь",
        ),
        "language-course": (
            "Tečaj jezika",
            "Language course",
            "Мовні курси",
            "دورة لغة",
            "کلاس زبان",
            "Kurs gjuhe",
            "Языковые курсы",
        ),
        "integration-counselling": (
            "Integracijsko svetovanje",
            "Integration counselling",
            "Консультації з інтеграції",
            "استشارات الاندماج",
            "مشاوره برای ادغام",
            "Këshillim për integrim",
            "Консультации по интеграции",
        ),
        "psychosocial-support": (
            "Psihosocialna podpora",
            "Psychosocial support",
            "Психосоціальна підтримка",
            "الدعم النفسي والاجتماعي",
            "حمایت روانی-اجتماعی",
            "Mbështetje psikosociale",
            "Психосоциальная поддержка",
        ),
        "daily-centre": (
            "Dnevni center",
            "Daily centre",
            "Денний центр",
            "مركز نهاري",
            "مرکز روزانه",
            "Qendër ditore",
            "Дневной центр",
        ),
        "health": (
            "Zdravje",
            "Health",
            "Здоров'я",
            "الصحة",
            "سلامت",
            "Shëndetësi",
            "Здоровье",
        ),
        "education": (
            "Izobraževanje",
            "Education",
            "Освіта",
            "التعليم",
            "آموزش",
            "Arsim",
            "Образование",
        ),
        "employment": (
            "Zaposlovanje",
            "Employment",
            "Працевлаштування",
            "التوظيف",
            "اشتغال",
            "Punësim",
            "Трудоустройство",
        ),
        "housing": (
            "Nastanitev",
            "Housing",
            "Житло",
            "السكن",
            "مسکن",
            "Strehim",
            "Жильё",
        ),
        "mediation": (
            "Medkulturna mediacija",
            "Intercultural mediation",
            "Міжкультурне посередництво",
            "الوساطة بين الثقافات",
            "میانجیگری بین‌فرهنگی",
            "Ndërmjetësim ndërkulturor",
            "Межкультурное посредничество",
        ),
        "interpretation": (
            "Tolmačenje",
            "Interpreting",
            "Усний переклад",
            "الترجمة الشفوية",
            "ترجمه شفاهی",
            "Përkthim me gojë",
            "Устный перевод",
        ),
        "information": (
            "Informiranje",
            "Information",
            "Інформування",
            "المعلومات",
            "اطلاع‌رسانی",
            "Informim",
            "Информирование",
        ),
    },
    FEATURES: {
        "free-of-charge": (
            "Brezplačno",
            "Free of charge",
            "Безкоштовно",
            "مجاني",
            "رایگان",
            "Falas",
            "Бесплатно",
        ),
        "wheelchair-access": (
            "Dostop z invalidskim vozičkom",
            "Wheelchair access",
            "Доступ на інвалідному візку",
            "مدخل للكراسي المتحركة",
            "دسترسی با ویلچر",
            "Qasje me karrige me rrota",
            "Доступ на инвалидной коляске",
        ),
    },
}


def term_rows():
    """(taxonomy code, term code, id, the Slovenian name, {language: name})."""
    for taxonomy, terms in TERMS.items():
        for code, names in terms.items():
            yield taxonomy, code, term_id(code), names[0], dict(zip(LANGUAGES, names, strict=True))


def write(Taxonomy, TaxonomyTerm):  # noqa: N803 - the models, historical or current
    """The network's taxonomies and terms, inserted or brought up to date."""
    for code, fields in TAXONOMIES.items():
        Taxonomy.objects.update_or_create(id=taxonomy_id(code), defaults=fields)
    for taxonomy, code, pk, name, names in term_rows():
        TaxonomyTerm.objects.update_or_create(
            id=pk,
            defaults={
                "code": code,
                "name": name,
                "description": names["en"],
                "taxonomy": TAXONOMIES[taxonomy]["name"],
                "taxonomy_detail_id": taxonomy_id(taxonomy),
                "language": "sl",
                "translations": names,
            },
        )
