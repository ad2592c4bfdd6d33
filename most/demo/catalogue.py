"""The demo's service catalogue: about forty services in Ljubljana, Maribor, Koper, Jesenice and
Škofja Loka, some kept by the demo's network members, some by providers outside it. Names and
addresses are invented; the towns' coordinates are real. Written through the HSDS import, as a
network would bring its catalogue in.
"""

import datetime
import json
import uuid

from django.utils import timezone

from most.accounts.models import Organisation
from most.directory import categories, hsds_import
from most.directory.models import Service
from most.directory.services import (
    catalogue_import,
    network_taxonomies_ensure,
    service_translate,
)

NAMESPACE = uuid.UUID("0c7d7a4e-2b8f-4f0e-8d3c-5e1a9b6c4d21")

# Town: (latitude, longitude of the centre, postcode, region).
TOWNS = {
    "Ljubljana": (46.0511, 14.5051, "1000", "Osrednjeslovenska"),
    "Maribor": (46.5547, 15.6467, "2000", "Podravska"),
    "Koper": (45.5481, 13.7302, "6000", "Obalno-kraška"),
    "Jesenice": (46.4367, 14.0526, "4270", "Gorenjska"),
    "Škofja Loka": (46.1655, 14.3064, "4220", "Gorenjska"),
}

WEEKDAYS = "MO,TU,WE,TH,FR"
# Opening hours: (days, opens, closes).
OFFICE = [(WEEKDAYS, "09:00", "15:00")]
AFTERNOONS = [("TU,TH", "14:00", "18:00")]
LONG_DAYS = [(WEEKDAYS, "08:00", "20:00"), ("SA", "09:00", "13:00")]
MORNINGS = [("MO,WE,FR", "08:30", "12:00")]

# Providers: name, the demo member that keeps them (None: outside the network), description.
PROVIDERS = {
    "vez": ("Društvo Vez", "Društvo Vez", "Nevladna organizacija za vključevanje priseljencev."),
    "odprta": (
        "Zavod Odprta vrata",
        "Zavod Odprta vrata",
        "Zavod, ki vodi dnevni center in tečaje za priseljence v Mariboru.",
    ),
    "urad": (
        "Urad za vključevanje migrantov",
        "Urad za vključevanje migrantov",
        "Državni urad, ki skrbi za vključevanje priseljencev in tečaje slovenščine.",
    ),
    "lipa": ("Osnovna šola Lipa", "Osnovna šola Lipa", "Osnovna šola v Kopru."),
    "jesenice": (
        "Medkulturni center Jesenice",
        "Medkulturni center Jesenice",
        "Medkulturna mediacija, tolmačenje in dnevni center na Jesenicah.",
    ),
    "pravni": (
        "Pravni center Sidro",
        None,
        "Brezplačna pravna pomoč za priseljence in prosilce za mednarodno zaščito.",
    ),
    "soncnica": (
        "Ambulanta Sončnica",
        None,
        "Zdravstvena ambulanta za osebe brez obveznega zdravstvenega zavarovanja.",
    ),
    "korak": (
        "Karierno središče Korak",
        None,
        "Svetovanje pri iskanju zaposlitve, priprava življenjepisa, stik z delodajalci.",
    ),
    "zavetje": (
        "Stanovanjska pisarna Zavetje",
        None,
        "Pomoč pri iskanju stanovanja in pri najemnih pogodbah.",
    ),
    "morje": (
        "Učni center Morje",
        None,
        "Izobraževanje odraslih na Obali: jeziki, računalništvo, poklicno usposabljanje.",
    ),
    "loka": (
        "Loška svetovalnica",
        None,
        "Svetovalnica za priseljence in njihove družine v Škofji Loki.",
    ),
}

# Services: provider, town, street, category, languages spoken, hours, free?, wheelchair?,
# Slovenian name and description, {language: (name, description)}, what to bring.
EN = "en"
SERVICES = [
    (
        "vez",
        "Ljubljana",
        "Lipova ulica 7",
        "integration-counselling",
        ["sl", "en", "ar", "fa", "uk"],
        OFFICE,
        True,
        True,
        "Integracijsko svetovanje",
        "Pomoč pri urejanju dokumentov, zdravstvenega zavarovanja, vpisa otrok v šolo in "
        "pri prvih korakih v Sloveniji.",
        {
            EN: (
                "Integration counselling",
                "Help with documents, health insurance, enrolling children in school and the "
                "first steps in Slovenia.",
            ),
            "ar": (
                "استشارات الاندماج",
                "المساعدة في الوثائق والتأمين الصحي وتسجيل الأطفال في المدرسة والخطوات الأولى "
                "في سلوفينيا.",
            ),
            "fa": (
                "مشاوره برای ادغام",
                "کمک در امور مدارک، بیمه درمانی، ثبت‌نام فرزندان در مدرسه و نخستین گام‌ها در "
                "اسلوونی.",
            ),
            "uk": (
                "Консультації з інтеграції",
                "Допомога з документами, медичним страхуванням, записом дітей до школи та "
                "першими кроками у Словенії.",
            ),
        },
        "Osebni dokument ali dovoljenje za prebivanje.",
    ),
    (
        "vez",
        "Ljubljana",
        "Lipova ulica 7",
        "psychosocial-support",
        ["sl", "en", "ar", "uk"],
        AFTERNOONS,
        True,
        True,
        "Psihosocialna podpora",
        "Pogovor s svetovalko v varnem prostoru, skupine za ženske in za starše.",
        {
            EN: (
                "Psychosocial support",
                "Talking with a counsellor in a safe place; groups for women and for parents.",
            ),
            "uk": (
                "Психосоціальна підтримка",
                "Розмова з консультанткою в безпечному місці, групи для жінок і батьків.",
            ),
        },
        "",
    ),
    (
        "vez",
        "Ljubljana",
        "Lipova ulica 7",
        "language-course",
        ["sl", "en"],
        [("MO,WE", "17:00", "19:00")],
        True,
        True,
        "Tečaj slovenščine za začetnike",
        "Slovenščina od prvih besed do ravni A1, v skupinah do dvanajst udeležencev.",
        {
            EN: (
                "Slovenian for beginners",
                "Slovenian from the first words to level A1, in groups of up to twelve.",
            ),
            "ru": (
                "Словенский язык для начинающих",
                "Словенский язык с первых слов до уровня A1, в группах до двенадцати человек.",
            ),
            "sq": (
                "Sllovenisht për fillestarë",
                "Sllovenisht nga fjalët e para deri në nivelin A1, në grupe deri në dymbëdhjetë "
                "vetë.",
            ),
        },
        "",
    ),
    (
        "vez",
        "Maribor",
        "Slomškov trg 3",
        "information",
        ["sl", "en", "sq", "bs"],
        MORNINGS,
        True,
        False,
        "Informacijska točka za priseljence",
        "Kratke informacije o pravicah in dolžnostih, kam se obrniti in kako.",
        {EN: ("Information point for migrants", "Short answers on rights and duties.")},
        "",
    ),
    (
        "odprta",
        "Maribor",
        "Vetrinjska ulica 12",
        "daily-centre",
        ["sl", "en", "ar", "fa", "ur", "ps"],
        LONG_DAYS,
        True,
        True,
        "Dnevni center Odprta vrata",
        "Prostor za druženje, pralnica, tuš, računalniki, pomoč pri vsakdanjih opravkih.",
        {
            EN: (
                "Open Doors daily centre",
                "A place to meet, laundry, shower, computers, help with everyday errands.",
            ),
            "ar": (
                "المركز النهاري الأبواب المفتوحة",
                "مكان للقاء، غسيل الملابس، حمام، حواسيب، مساعدة في الأمور اليومية.",
            ),
            "fa": (
                "مرکز روزانه درهای باز",
                "مکانی برای دیدار، لباسشویی، دوش، رایانه و کمک در کارهای روزمره.",
            ),
        },
        "",
    ),
    (
        "odprta",
        "Maribor",
        "Vetrinjska ulica 12",
        "language-course",
        ["sl", "en", "uk", "ru"],
        [("TU,TH", "09:00", "11:30")],
        True,
        True,
        "Slovenščina v dnevnem centru",
        "Jutranji tečaj slovenščine z varstvom otrok med poukom.",
        {EN: ("Slovenian at the daily centre", "A morning course with childcare during class.")},
        "",
    ),
    (
        "odprta",
        "Maribor",
        "Vetrinjska ulica 12",
        "integration-counselling",
        ["sl", "en", "ar"],
        OFFICE,
        True,
        True,
        "Svetovanje za nove prebivalce Maribora",
        "Pomoč pri prijavi prebivališča, zdravstvenem zavarovanju in vpisu v vrtec ali šolo.",
        {
            EN: (
                "Counselling for Maribor's new residents",
                "Help with registering an address, health insurance, kindergarten and school.",
            ),
            "ar": (
                "استشارات لسكان ماريبور الجدد",
                "المساعدة في تسجيل العنوان والتأمين الصحي والتسجيل في الروضة أو المدرسة.",
            ),
        },
        "Potrdilo o prijavi prebivališča, če ga že imate.",
    ),
    (
        "urad",
        "Ljubljana",
        "Cankarjeva ulica 21",
        "language-course",
        ["sl", "en"],
        [(WEEKDAYS, "08:00", "12:00")],
        True,
        True,
        "Začetni tečaj slovenščine za priseljence",
        "Brezplačen tečaj slovenskega jezika za državljane tretjih držav z dovoljenjem za "
        "prebivanje, s preizkusom znanja na koncu.",
        {
            EN: (
                "Slovenian course for newcomers",
                "A free Slovenian course for third-country nationals with a residence permit, "
                "with a test at the end.",
            ),
            "uk": (
                "Курс словенської мови для новоприбулих",
                "Безкоштовний курс словенської мови для громадян третіх країн з дозволом на "
                "проживання, з іспитом наприкінці.",
            ),
            "ar": (
                "دورة اللغة السلوفينية للقادمين الجدد",
                "دورة مجانية في اللغة السلوفينية لمواطني الدول الثالثة الحاصلين على تصريح إقامة، "
                "مع اختبار في النهاية.",
            ),
            "fa": (
                "دوره زبان اسلوونیایی برای تازه‌واردان",
                "دوره رایگان زبان اسلوونیایی برای اتباع کشورهای ثالث دارای اجازه اقامت، با آزمون "
                "در پایان.",
            ),
            "sq": (
                "Kurs sllovenishteje për të sapoardhurit",
                "Kurs falas i gjuhës sllovene për shtetasit e vendeve të treta me leje qëndrimi, "
                "me provim në fund.",
            ),
            "ru": (
                "Курс словенского языка для новоприбывших",
                "Бесплатный курс словенского языка для граждан третьих стран с видом на "
                "жительство, с экзаменом в конце.",
            ),
        },
        "Dovoljenje za prebivanje.",
    ),
    (
        "urad",
        "Koper",
        "Pristaniška ulica 4",
        "language-course",
        ["sl", "en", "it"],
        [("MO,TU,WE", "16:00", "19:00")],
        True,
        True,
        "Tečaj slovenščine za priseljence, Koper",
        "Popoldanski tečaj slovenščine za zaposlene priseljence.",
        {EN: ("Slovenian course for migrants, Koper", "An afternoon course for working people.")},
        "Dovoljenje za prebivanje.",
    ),
    (
        "urad",
        "Ljubljana",
        "Cankarjeva ulica 21",
        "information",
        ["sl", "en", "ar", "uk", "ru", "fa", "sq"],
        OFFICE,
        True,
        True,
        "Informacije o pravicah in dolžnostih",
        "Kaj prinaša dovoljenje za prebivanje, združevanje družine, delo, zdravje, šola.",
        {
            EN: (
                "Information on rights and duties",
                "What a residence permit brings, family reunification, work, health, school.",
            ),
            "ar": (
                "معلومات عن الحقوق والواجبات",
                "ما يترتب على تصريح الإقامة، لمّ شمل الأسرة، العمل، الصحة، المدرسة.",
            ),
            "uk": (
                "Інформація про права та обов'язки",
                "Що дає дозвіл на проживання, возз'єднання сім'ї, робота, здоров'я, школа.",
            ),
        },
        "",
    ),
    (
        "urad",
        "Maribor",
        "Partizanska cesta 5",
        "integration-counselling",
        ["sl", "en", "sq", "bs"],
        [("TU,TH", "09:00", "14:00")],
        True,
        True,
        "Svetovanje za vključevanje, Maribor",
        "Posvet o poti do dovoljenja, tečajih in zaposlitvi.",
        {EN: ("Integration counselling, Maribor", "Advice on permits, courses and work.")},
        "",
    ),
    (
        "lipa",
        "Koper",
        "Šolska ulica 2",
        "education",
        ["sl", "it", "en", "uk", "sq"],
        MORNINGS,
        True,
        True,
        "Vpis otrok priseljencev v šolo",
        "Kako vpisati otroka v šolo med letom, dodatne ure slovenščine, pomoč učencem.",
        {
            EN: (
                "Enrolling migrant children in school",
                "How to enrol a child during the school year, extra Slovenian lessons, help for "
                "pupils.",
            ),
            "uk": (
                "Запис дітей мігрантів до школи",
                "Як записати дитину до школи протягом року, додаткові уроки словенської.",
            ),
        },
        "Rojstni list otroka, spričevala, potrdilo o prebivališču.",
    ),
    (
        "lipa",
        "Koper",
        "Šolska ulica 2",
        "language-course",
        ["sl", "it"],
        [("MO,TH", "13:00", "14:30")],
        True,
        True,
        "Slovenščina za učence",
        "Dodatne ure slovenščine za učence priseljence v prvih dveh letih.",
        {EN: ("Slovenian for pupils", "Extra Slovenian lessons for migrant pupils.")},
        "",
    ),
    (
        "jesenice",
        "Jesenice",
        "Cesta železarjev 9",
        "mediation",
        ["sl", "sq", "bs", "mk", "en"],
        OFFICE,
        True,
        False,
        "Medkulturna mediacija v šolah in vrtcih",
        "Mediatorka se pridruži pogovoru med starši in šolo, vrtcem ali zdravstvenim domom.",
        {
            EN: (
                "Intercultural mediation at schools and kindergartens",
                "A mediator joins talks between parents and the school, kindergarten or "
                "health centre.",
            ),
            "sq": (
                "Ndërmjetësim ndërkulturor në shkolla dhe kopshte",
                "Ndërmjetësja merr pjesë në bisedat mes prindërve dhe shkollës, kopshtit ose "
                "qendrës shëndetësore.",
            ),
        },
        "",
    ),
    (
        "jesenice",
        "Jesenice",
        "Cesta železarjev 9",
        "interpretation",
        ["sl", "sq", "bs", "mk", "ar"],
        OFFICE,
        True,
        False,
        "Tolmačenje za družine",
        "Tolmačenje pri zdravniku, na upravni enoti in v šoli, po dogovoru.",
        {EN: ("Interpreting for families", "Interpreting at the doctor's, offices and school.")},
        "",
    ),
    (
        "jesenice",
        "Jesenice",
        "Cesta železarjev 9",
        "daily-centre",
        ["sl", "sq", "bs"],
        [(WEEKDAYS, "10:00", "18:00")],
        True,
        False,
        "Dnevni center za ženske in otroke",
        "Srečanja, ustvarjalne delavnice, pomoč pri domačih nalogah.",
        {
            EN: ("Daily centre for women and children", "Meetings, workshops, homework help."),
            "sq": (
                "Qendër ditore për gra dhe fëmijë",
                "Takime, punëtori krijuese, ndihmë me detyrat e shtëpisë.",
            ),
        },
        "",
    ),
    (
        "pravni",
        "Ljubljana",
        "Komenskega ulica 14",
        "legal-aid",
        ["sl", "en", "ar", "fa", "fr"],
        [("MO,WE", "10:00", "16:00")],
        True,
        True,
        "Brezplačna pravna pomoč",
        "Pravniki svetujejo pri dovoljenjih za prebivanje, združevanju družine, mednarodni "
        "zaščiti in delovnih pravicah.",
        {
            EN: (
                "Free legal aid",
                "Lawyers advise on residence permits, family reunification, international "
                "protection and workers' rights.",
            ),
            "ar": (
                "مساعدة قانونية مجانية",
                "يقدم المحامون المشورة بشأن تصاريح الإقامة ولمّ شمل الأسرة والحماية الدولية "
                "وحقوق العمال.",
            ),
            "fa": (
                "کمک حقوقی رایگان",
                "حقوقدانان درباره اجازه اقامت، پیوستن خانواده، حمایت بین‌المللی و حقوق کارگران "
                "مشاوره می‌دهند.",
            ),
        },
        "Vse odločbe in dopise, ki ste jih prejeli, ter osebni dokument.",
    ),
    (
        "pravni",
        "Maribor",
        "Gosposka ulica 20",
        "legal-aid",
        ["sl", "en", "ar", "ps"],
        [("TH", "12:00", "17:00")],
        True,
        False,
        "Pravna pomoč v Mariboru",
        "Pravno svetovanje enkrat tedensko, brez naročanja.",
        {
            EN: ("Legal aid in Maribor", "Legal advice once a week, no appointment needed."),
            "ar": ("مساعدة قانونية في ماريبور", "استشارة قانونية مرة في الأسبوع، دون موعد."),
        },
        "Vse odločbe in dopise, ki ste jih prejeli.",
    ),
    (
        "pravni",
        "Koper",
        "Kidričeva ulica 30",
        "legal-aid",
        ["sl", "en", "it"],
        [("FR", "09:00", "13:00")],
        True,
        True,
        "Pravna pomoč na Obali",
        "Svetovanje o dovoljenjih in delovnih pravicah, v petek dopoldne.",
        {EN: ("Legal aid on the coast", "Advice on permits and workers' rights, Friday mornings.")},
        "",
    ),
    (
        "pravni",
        "Jesenice",
        "Titova cesta 40",
        "legal-aid",
        ["sl", "sq", "bs"],
        [("TU", "14:00", "17:00")],
        True,
        False,
        "Pravna pomoč na Jesenicah",
        "Pravno svetovanje vsak drugi torek, v prostorih medkulturnega centra.",
        {EN: ("Legal aid in Jesenice", "Legal advice every second Tuesday.")},
        "",
    ),
    (
        "pravni",
        "Ljubljana",
        "Komenskega ulica 14",
        "legal-aid",
        ["sl", "uk", "ru", "en"],
        [("TU,TH", "09:00", "13:00")],
        True,
        True,
        "Pravna pomoč za osebe z začasno zaščito",
        "Svetovanje osebam z začasno zaščito iz Ukrajine: pravice, delo, podaljšanje.",
        {
            EN: (
                "Legal aid for people under temporary protection",
                "Advice for people under temporary protection from Ukraine: rights, work, "
                "extension.",
            ),
            "uk": (
                "Правова допомога для осіб з тимчасовим захистом",
                "Консультації для осіб з тимчасовим захистом з України: права, робота, "
                "продовження.",
            ),
            "ru": (
                "Юридическая помощь для лиц с временной защитой",
                "Консультации для лиц с временной защитой из Украины: права, работа, продление.",
            ),
        },
        "Izkaznica osebe z začasno zaščito.",
    ),
    (
        "soncnica",
        "Ljubljana",
        "Ulica Sončnic 3",
        "health",
        ["sl", "en", "ar", "fa", "ru"],
        [("MO,TU,TH", "12:00", "18:00")],
        True,
        True,
        "Ambulanta za osebe brez zdravstvenega zavarovanja",
        "Splošni zdravnik in medicinska sestra za osebe brez obveznega zavarovanja.",
        {
            EN: (
                "Surgery for people without health insurance",
                "A general practitioner and a nurse for people without compulsory insurance.",
            ),
            "ar": (
                "عيادة للأشخاص بدون تأمين صحي",
                "طبيب عام وممرضة للأشخاص الذين ليس لديهم تأمين إلزامي.",
            ),
            "fa": (
                "درمانگاه برای افراد بدون بیمه درمانی",
                "پزشک عمومی و پرستار برای افرادی که بیمه اجباری ندارند.",
            ),
        },
        "Kar imate od zdravstvenih izvidov.",
    ),
    (
        "soncnica",
        "Maribor",
        "Ulica Sončnic 8",
        "health",
        ["sl", "en"],
        [("WE", "13:00", "18:00")],
        True,
        True,
        "Ambulanta Sončnica Maribor",
        "Zdravniški pregled za osebe brez zavarovanja, ob sredah.",
        {EN: ("Sončnica surgery Maribor", "Check-ups for people without insurance.")},
        "",
    ),
    (
        "soncnica",
        "Ljubljana",
        "Ulica Sončnic 3",
        "psychosocial-support",
        ["sl", "en", "ar", "uk"],
        [("FR", "10:00", "14:00")],
        True,
        True,
        "Psihološka pomoč po travmatičnih izkušnjah",
        "Pogovor s psihologinjo, po potrebi s tolmačem.",
        {
            EN: (
                "Psychological help after traumatic experiences",
                "Talking with a psychologist, with an interpreter when needed.",
            ),
            "uk": (
                "Психологічна допомога після травматичного досвіду",
                "Розмова з психологинею, за потреби з перекладачем.",
            ),
        },
        "",
    ),
    (
        "korak",
        "Ljubljana",
        "Tržaška cesta 50",
        "employment",
        ["sl", "en", "uk", "ru", "bs"],
        OFFICE,
        True,
        True,
        "Svetovanje pri iskanju zaposlitve",
        "Življenjepis, priznavanje izobrazbe, priprava na razgovor, stik z delodajalci.",
        {
            EN: (
                "Help finding work",
                "CV, recognition of qualifications, interview practice, contact with employers.",
            ),
            "uk": (
                "Допомога в пошуку роботи",
                "Резюме, визнання освіти, підготовка до співбесіди, контакти з роботодавцями.",
            ),
            "ru": (
                "Помощь в поиске работы",
                "Резюме, признание образования, подготовка к собеседованию, связь с "
                "работодателями.",
            ),
        },
        "Spričevala in diplome, če jih imate.",
    ),
    (
        "korak",
        "Maribor",
        "Tržaška cesta 2",
        "employment",
        ["sl", "en", "bs", "sq"],
        OFFICE,
        True,
        True,
        "Karierno svetovanje Maribor",
        "Pomoč pri prijavi na delovna mesta in pri pogodbah o zaposlitvi.",
        {EN: ("Career advice Maribor", "Help with applications and employment contracts.")},
        "",
    ),
    (
        "korak",
        "Koper",
        "Ferrarska ulica 10",
        "employment",
        ["sl", "it", "en"],
        [("MO,WE", "09:00", "13:00")],
        True,
        True,
        "Karierno svetovanje Koper",
        "Sezonsko delo, turizem, pristanišče: kje iskati in kako se prijaviti.",
        {EN: ("Career advice Koper", "Seasonal work, tourism, the port: where to look.")},
        "",
    ),
    (
        "korak",
        "Jesenice",
        "Titova cesta 40",
        "employment",
        ["sl", "sq", "bs", "mk"],
        [("TH", "09:00", "15:00")],
        True,
        False,
        "Karierno svetovanje Jesenice",
        "Svetovanje za zaposlitev v industriji in gradbeništvu.",
        {EN: ("Career advice Jesenice", "Advice on jobs in industry and construction.")},
        "",
    ),
    (
        "korak",
        "Škofja Loka",
        "Kapucinski trg 5",
        "employment",
        ["sl", "en", "bs"],
        [("TU", "09:00", "15:00")],
        True,
        True,
        "Karierno svetovanje Škofja Loka",
        "Srečanje s svetovalko vsak torek.",
        {EN: ("Career advice Škofja Loka", "Meet a career adviser every Tuesday.")},
        "",
    ),
    (
        "zavetje",
        "Ljubljana",
        "Poljanska cesta 26",
        "housing",
        ["sl", "en", "ar", "uk"],
        AFTERNOONS,
        True,
        False,
        "Pomoč pri iskanju stanovanja",
        "Kje iskati stanovanje, kaj mora vsebovati najemna pogodba, subvencija najemnine.",
        {
            EN: (
                "Help finding a home",
                "Where to look for a flat, what a lease must say, rent subsidy.",
            ),
            "ar": (
                "المساعدة في إيجاد سكن",
                "أين تبحث عن شقة، ماذا يجب أن يتضمن عقد الإيجار، دعم الإيجار.",
            ),
        },
        "Dovoljenje za prebivanje in dokazila o dohodkih.",
    ),
    (
        "zavetje",
        "Maribor",
        "Ptujska cesta 18",
        "housing",
        ["sl", "en"],
        [("WE", "14:00", "18:00")],
        True,
        False,
        "Stanovanjska pisarna Maribor",
        "Svetovanje o najemu in pravicah najemnikov.",
        {EN: ("Housing office Maribor", "Advice on renting and tenants' rights.")},
        "",
    ),
    (
        "morje",
        "Koper",
        "Cankarjeva ulica 8",
        "education",
        ["sl", "it", "en"],
        [("MO,TU,WE,TH", "16:00", "20:00")],
        False,
        True,
        "Računalniško opismenjevanje",
        "Osnove dela z računalnikom in e-upravo, deset srečanj.",
        {EN: ("Computer literacy", "Computer and e-government basics, ten meetings.")},
        "",
    ),
    (
        "morje",
        "Koper",
        "Cankarjeva ulica 8",
        "language-course",
        ["sl", "it", "en", "ru"],
        [("TU,TH", "17:00", "19:00")],
        False,
        True,
        "Slovenščina A2 in B1",
        "Nadaljevalni tečaj slovenščine za izpit na ravni A2 ali B1.",
        {
            EN: ("Slovenian A2 and B1", "A course towards the A2 or B1 exam."),
            "ru": ("Словенский язык A2 и B1", "Курс для подготовки к экзамену A2 или B1."),
        },
        "",
    ),
    (
        "morje",
        "Koper",
        "Cankarjeva ulica 8",
        "education",
        ["sl", "en"],
        [("SA", "09:00", "13:00")],
        False,
        True,
        "Priprava na nacionalno poklicno kvalifikacijo",
        "Usposabljanje za poklicno kvalifikacijo v gostinstvu in negi.",
        {
            EN: (
                "Preparing for a national vocational qualification",
                "Training for a vocational qualification in catering and care.",
            )
        },
        "",
    ),
    (
        "loka",
        "Škofja Loka",
        "Mestni trg 17",
        "integration-counselling",
        ["sl", "en", "bs", "sq", "uk"],
        [("MO,WE", "09:00", "14:00")],
        True,
        False,
        "Svetovalnica za priseljence",
        "Pomoč pri dokumentih, vpisu v vrtec in šolo ter pri iskanju tečajev.",
        {
            EN: (
                "Counselling for migrants",
                "Help with documents, kindergarten and school, and finding courses.",
            ),
            "uk": (
                "Консультації для мігрантів",
                "Допомога з документами, записом до садочка і школи та пошуком курсів.",
            ),
        },
        "",
    ),
    (
        "loka",
        "Škofja Loka",
        "Mestni trg 17",
        "mediation",
        ["sl", "sq", "bs"],
        [("TH", "13:00", "17:00")],
        True,
        False,
        "Mediacija za družine",
        "Mediatorka pomaga pri pogovorih s šolo in vrtcem.",
        {EN: ("Mediation for families", "A mediator helps in talks with school and kindergarten.")},
        "",
    ),
    (
        "loka",
        "Škofja Loka",
        "Spodnji trg 2",
        "language-course",
        ["sl", "en"],
        [("TU,TH", "18:00", "20:00")],
        True,
        True,
        "Večerni tečaj slovenščine",
        "Tečaj slovenščine za zaposlene, dvakrat tedensko zvečer.",
        {EN: ("Evening Slovenian course", "Slovenian for working people, two evenings a week.")},
        "",
    ),
    (
        "loka",
        "Škofja Loka",
        "Spodnji trg 2",
        "information",
        ["sl", "en", "sq"],
        MORNINGS,
        True,
        True,
        "Info točka Loka",
        "Informacije o storitvah v Škofji Loki in okolici.",
        {EN: ("Loka information point", "Information on services in and around Škofja Loka.")},
        "",
    ),
    (
        "vez",
        "Ljubljana",
        "Lipova ulica 7",
        "interpretation",
        ["sl", "ar", "fa", "ps", "ur", "tr"],
        OFFICE,
        True,
        True,
        "Tolmačenje na daljavo",
        "Tolmač po telefonu ali videoklicu, za ustanove in posameznike, po dogovoru.",
        {
            EN: (
                "Remote interpreting",
                "An interpreter by phone or video call, for institutions and individuals.",
            ),
            "fa": ("ترجمه شفاهی از راه دور", "مترجم از طریق تلفن یا تماس تصویری، با هماهنگی."),
        },
        "",
    ),
    (
        "odprta",
        "Maribor",
        "Vetrinjska ulica 12",
        "psychosocial-support",
        ["sl", "en", "ar", "fa"],
        [("MO", "15:00", "19:00")],
        True,
        True,
        "Skupina za moške",
        "Pogovorna skupina za moške, ki so prišli sami.",
        {EN: ("Men's group", "A talking group for men who came alone.")},
        "",
    ),
    (
        "jesenice",
        "Jesenice",
        "Cesta železarjev 9",
        "language-course",
        ["sl", "sq", "bs", "mk"],
        [("MO,WE", "17:00", "19:00")],
        True,
        False,
        "Slovenščina za starše",
        "Tečaj slovenščine za starše šolskih otrok, z varstvom otrok.",
        {
            EN: ("Slovenian for parents", "Slovenian for parents of pupils, with childcare."),
            "sq": (
                "Sllovenisht për prindërit",
                "Kurs sllovenishteje për prindërit e nxënësve, me kujdes për fëmijët.",
            ),
        },
        "",
    ),
]

LANGUAGE_NAMES = {
    "sl": "Slovenian",
    "en": "English",
    "ar": "Arabic",
    "fa": "Persian",
    "uk": "Ukrainian",
    "ru": "Russian",
    "sq": "Albanian",
    "bs": "Bosnian",
    "mk": "Macedonian",
    "it": "Italian",
    "fr": "French",
    "ps": "Pashto",
    "ur": "Urdu",
    "tr": "Turkish",
}


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _attribute(owner, code):
    return {"id": _id("attribute", owner, code), "taxonomy_term_id": str(categories.term_id(code))}


def _location(provider, town, street, wheelchair):
    latitude, longitude, postcode, region = TOWNS[town]
    # Within a few hundred metres of the town's centre, the same place for the same street.
    offset = (sum(map(ord, street)) % 17 - 8) / 2000
    location_id = _id("location", provider, town, street)
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": f"{PROVIDERS[provider][0]}, {street}",
        "latitude": round(latitude + offset, 5),
        "longitude": round(longitude - offset, 5),
        "transportation": "Mestni avtobus, postaja v bližini." if town != "Škofja Loka" else "",
        "addresses": [
            {
                "id": _id("address", location_id),
                "address_1": street,
                "city": town,
                "state_province": region,
                "postal_code": postcode,
                "country": "SI",
                "address_type": "physical",
            }
        ],
    }
    if wheelchair:
        location["attributes"] = [_attribute(location_id, "wheelchair-access")]
        location["accessibility"] = [
            {"id": _id("access", location_id), "description": "Dostop brez stopnic, dvigalo."}
        ]
    return location


def _documents(today):
    documents = []
    for index, row in enumerate(SERVICES):
        provider, town, street, category, spoken, hours, free, wheelchair, name, text = row[:10]
        bring = row[11]
        service_id = _id("service", index)
        organization = PROVIDERS[provider]
        # Most entries confirmed in the last months; every seventh one long ago.
        verified = today - datetime.timedelta(days=300 + index if index % 7 == 3 else 5 + index * 4)
        attributes = [_attribute(service_id, category)]
        if free:
            attributes.append(_attribute(service_id, "free-of-charge"))
        document = {
            "id": service_id,
            "name": name,
            "description": text,
            "status": "active",
            "email": f"info@{provider}.example",
            "assured_date": verified.isoformat(),
            "organization": {
                "id": _id("organization", provider),
                "name": organization[0],
                "description": organization[2],
                "website": f"https://{provider}.example",
            },
            "languages": [
                {
                    "id": _id("language", service_id, code),
                    "code": code,
                    "name": LANGUAGE_NAMES[code],
                }
                for code in spoken
            ],
            "phones": [
                {
                    "id": _id("phone", service_id),
                    "number": f"+386 {1 + index % 7} {200 + index:03d} {10 + index:02d} 00",
                    "type": "voice",
                }
            ],
            "schedules": [
                {
                    "id": _id("schedule", service_id, n),
                    "freq": "WEEKLY",
                    "byday": days,
                    "opens_at": f"{opens}:00",
                    "closes_at": f"{closes}:00",
                    "description": "Ob državnih praznikih zaprto.",
                }
                for n, (days, opens, closes) in enumerate(hours)
            ],
            "service_areas": [{"id": _id("area", service_id), "name": town}],
            "service_at_locations": [
                {
                    "id": _id("sal", service_id),
                    "location": _location(provider, town, street, wheelchair),
                }
            ],
            "attributes": attributes,
        }
        if not free:
            document["cost_options"] = [
                {
                    "id": _id("cost", service_id),
                    "option": "Tečajnina",
                    "amount": 60,
                    "currency": "EUR",
                    "amount_description": "za ves tečaj",
                }
            ]
            document["fees_description"] = "60 EUR za ves tečaj; za brezposelne brezplačno."
        if bring:
            document["required_documents"] = [
                {"id": _id("document", service_id), "document": bring}
            ]
        documents.append(document)
    return documents


def seed_catalogue(today=None):
    """The demo catalogue, once. Returns how many services it wrote."""
    if Service.objects.exists():
        return 0
    today = today or timezone.localdate()
    network_taxonomies_ensure()
    documents = _documents(today)
    members = {o.name: o for o in Organisation.objects.all()}
    written = 0
    for provider, (name, member, _text) in PROVIDERS.items():
        mine = [d for d in documents if d["organization"]["name"] == name]
        owner = members.get(member) if member else None
        dataset = hsds_import.read_json(json.dumps(mine).encode())
        outcome = catalogue_import(dataset=dataset, name=f"demo-{provider}.json", owner=owner)
        if not outcome.ok:
            raise RuntimeError([str(p) for p in outcome.problems])
        written += len(mine)
    for index, row in enumerate(SERVICES):
        service = Service.objects.get(pk=_id("service", index))
        for language, (name, description) in row[10].items():
            service_translate(service, language, {"name": name, "description": description})
    return written
