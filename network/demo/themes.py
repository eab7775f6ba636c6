"""Health-tech themes the demo companies and offers work on, with phrases in da, nb and en.

Each language's phrase tuple is (product, users, setting, benefit, topic), written so the
templates in texts.py can build sentences from them.
"""

from dataclasses import dataclass

PREVENTION = "prevention-predictive-health"
NEAR_CITIZEN = "equality-near-citizen"
HEALTH_DATA = "health-data"
PERSONALISED = "personalised-treatment"
CHARTER_SLUGS = (PREVENTION, NEAR_CITIZEN, HEALTH_DATA, PERSONALISED)


@dataclass(frozen=True)
class Theme:
    key: str
    focus: tuple
    tags: dict  # language -> tag names
    phrases: dict  # language -> (product, users, setting, benefit, topic)
    sites: tuple  # test-site types where the theme is usually tried out


def _t(key, focus, tags, da, nb, en, sites):
    return Theme(key, tuple(focus), tags, {"da": da, "nb": nb, "en": en}, tuple(sites))


# fmt: off
THEMES = [
    _t("fall", [PREVENTION, NEAR_CITIZEN],
       {"da": ["faldforebyggelse", "sensorer", "ældrepleje"], "nb": ["fallforebygging", "sensorer", "eldreomsorg"], "en": ["fall detection", "IoT"]},
       ("et sensorbaseret system, der opdager fald og alarmerer personalet", "ældre i eget hjem og på plejecentre", "hjemmeplejen og plejecentrene", "hurtigere hjælp efter fald og færre indlæggelser", "faldforebyggelse og faldregistrering"),
       ("et sensorbasert system som oppdager fall og varsler personalet", "eldre som bor hjemme og på sykehjem", "hjemmetjenesten og sykehjemmene", "raskere hjelp etter fall og færre innleggelser", "fallforebygging og fallvarsling"),
       ("a sensor-based system that detects falls and alerts staff", "older adults living at home and in care homes", "home care and nursing homes", "faster help after a fall and fewer admissions", "fall prevention and fall detection"),
       ["home_care", "nursing_home", "citizen_home", "living_lab"]),
    _t("telemedicine", [NEAR_CITIZEN, HEALTH_DATA],
       {"da": ["telemedicin", "hjemmemonitorering"], "nb": ["telemedisin", "digital hjemmeoppfølging"], "en": ["remote monitoring", "video consultation"]},
       ("en platform til videokonsultationer og hjemmemonitorering", "patienter med kroniske sygdomme", "hospitalernes ambulatorier og den kommunale sygepleje", "færre unødige fremmøder og mere tryghed i hjemmet", "telemedicin og hjemmemonitorering"),
       ("en plattform for videokonsultasjoner og hjemmeoppfølging", "pasienter med kroniske sykdommer", "sykehusenes poliklinikker og den kommunale hjemmesykepleien", "færre unødvendige oppmøter og mer trygghet hjemme", "digital hjemmeoppfølging og telemedisin"),
       ("a platform for video consultations and remote monitoring", "patients with chronic conditions", "hospital outpatient clinics and community nursing", "fewer unnecessary visits and more confidence at home", "telemedicine and remote patient monitoring"),
       ["outpatient_clinic", "citizen_home", "home_care", "health_centre"]),
    _t("medication", [NEAR_CITIZEN, PREVENTION],
       {"da": ["medicinhåndtering", "medicindispenser"], "nb": ["legemiddelhåndtering", "medisindispenser"], "en": ["medication adherence"]},
       ("en automatisk medicindispenser med påmindelser og besked til personalet ved glemte doser", "borgere, der får hjælp til medicin af hjemmeplejen", "hjemmeplejen", "færre glemte doser og frigjort tid til plejepersonalet", "medicinhåndtering og medicindispensering"),
       ("en automatisk medisindispenser med påminnelser og varsel til personalet ved glemte doser", "hjemmeboende som får hjelp med medisiner", "hjemmetjenesten", "færre glemte doser og frigjort tid for helsepersonellet", "legemiddelhåndtering og medisindispensere"),
       ("an automatic medication dispenser with reminders and alerts to staff about missed doses", "people who receive help with medication at home", "home care services", "fewer missed doses and more time for care staff", "medication management and automated dispensing"),
       ["home_care", "citizen_home", "nursing_home"]),
    _t("rehabilitation", [NEAR_CITIZEN, PERSONALISED],
       {"da": ["genoptræning", "rehabilitering"], "nb": ["rehabilitering", "opptrening"], "en": ["digital therapeutics"]},
       ("en app med videoguidede genoptræningsøvelser og målinger af fremskridt", "borgere i genoptræning efter operation eller sygdom", "de kommunale genoptræningscentre", "mere træning mellem besøgene og hurtigere tilbagevenden til hverdagen", "digital genoptræning og rehabilitering"),
       ("en app med videobaserte treningsøvelser og måling av fremgang", "pasienter i rehabilitering etter operasjon eller sykdom", "de kommunale rehabiliteringstjenestene", "mer trening mellom timene og raskere tilbake til hverdagen", "digital rehabilitering og opptrening"),
       ("an app with video-guided exercises and progress tracking", "people in rehabilitation after surgery or illness", "municipal rehabilitation services", "more exercise between sessions and a faster return to everyday life", "digital rehabilitation"),
       ["rehabilitation", "citizen_home", "health_centre", "living_lab"]),
    _t("diabetes", [PREVENTION, PERSONALISED],
       {"da": ["diabetes", "egenomsorg"], "nb": ["diabetes", "egenmestring"], "en": ["wearables"]},
       ("et digitalt værktøj, der samler blodsukkermålinger, kost og aktivitet", "mennesker med type 1- og type 2-diabetes", "diabetesambulatorierne og almen praksis", "mere stabilt blodsukker og bedre samtaler med behandleren", "diabetesbehandling og egenomsorg"),
       ("et digitalt verktøy som samler blodsukkermålinger, kosthold og aktivitet", "personer med type 1- og type 2-diabetes", "diabetespoliklinikkene og fastlegekontorene", "jevnere blodsukker og bedre samtaler med behandleren", "diabetesbehandling og egenmestring"),
       ("a digital tool that brings together glucose readings, diet and activity", "people living with type 1 and type 2 diabetes", "diabetes clinics and general practice", "steadier blood glucose and better conversations with clinicians", "diabetes care and self-management"),
       ["outpatient_clinic", "citizen_home", "health_centre"]),
    _t("copd", [PREVENTION, NEAR_CITIZEN],
       {"da": ["KOL", "lungesygdom"], "nb": ["kols", "lungesykdom"], "en": ["COPD"]},
       ("et telemedicinsk forløb med målinger af iltmætning og symptomer", "borgere med KOL", "de lungemedicinske afdelinger og kommunale sundhedscentre", "tidligere opsporing af forværringer og færre genindlæggelser", "KOL og lungesygdomme"),
       ("et digitalt oppfølgingsforløp med måling av oksygenmetning og symptomer", "personer med kols", "lungeavdelingene og de kommunale helsetjenestene", "tidligere oppdagelse av forverringer og færre reinnleggelser", "kols og lungesykdommer"),
       ("a remote care programme that tracks oxygen saturation and symptoms", "people living with COPD", "respiratory departments and community health centres", "earlier detection of exacerbations and fewer readmissions", "COPD and chronic lung disease"),
       ["hospital_ward", "outpatient_clinic", "health_centre", "citizen_home"]),
    _t("dementia", [NEAR_CITIZEN, PREVENTION],
       {"da": ["demens", "pårørende"], "nb": ["demens", "pårørende"], "en": ["GPS"]},
       ("en GPS-løsning og en tablet med genkendelige billeder og påmindelser", "mennesker med demens og deres pårørende", "demensplejen på plejecentre og i hjemmet", "mere tryghed, frihed og ro i hverdagen", "demens og kognitiv svækkelse"),
       ("en GPS-løsning og et nettbrett med kjente bilder og påminnelser", "personer med demens og deres pårørende", "demensomsorgen på sykehjem og i hjemmet", "mer trygghet, frihet og ro i hverdagen", "demens og kognitiv svikt"),
       ("a GPS tracker and a tablet with familiar pictures and reminders", "people with dementia and their families", "dementia care in nursing homes and at home", "more safety, freedom and calm in daily life", "dementia and cognitive decline"),
       ["nursing_home", "citizen_home", "living_lab", "home_care"]),
    _t("sensors", [NEAR_CITIZEN, HEALTH_DATA],
       {"da": ["sensorer", "nattetilsyn", "inkontinens"], "nb": ["sensorer", "digitalt tilsyn", "inkontinens"], "en": ["IoT"]},
       ("trådløse sensorer, der måler søvn, bevægelse og inkontinens om natten", "beboere på plejecentre", "plejecentrenes nattevagter", "færre unødige tilsyn om natten og bedre søvn for beboerne", "sensorteknologi i plejen"),
       ("trådløse sensorer som måler søvn, bevegelse og inkontinens om natten", "beboere på sykehjem", "nattevaktene på sykehjemmene", "færre unødvendige nattlige tilsyn og bedre søvn for beboerne", "sensorteknologi i omsorgen"),
       ("wireless sensors that measure sleep, movement and incontinence at night", "nursing home residents", "night staff in nursing homes", "fewer unnecessary night checks and better sleep for residents", "sensor technology in care"),
       ["nursing_home", "living_lab", "home_care"]),
    _t("radiology_ai", [HEALTH_DATA, PERSONALISED],
       {"da": ["billeddiagnostik", "kunstig intelligens"], "nb": ["bildediagnostikk", "kunstig intelligens"], "en": ["AI", "machine learning"]},
       ("en AI-model, der prioriterer og markerer fund på røntgen- og CT-billeder", "radiologer og læger i akutmodtagelser", "de radiologiske afdelinger", "kortere svartider og færre oversete fund", "kunstig intelligens i billeddiagnostik"),
       ("en KI-modell som prioriterer og markerer funn på røntgen- og CT-bilder", "radiologer og leger i akuttmottak", "de radiologiske avdelingene", "kortere svartid og færre oversette funn", "kunstig intelligens i bildediagnostikk"),
       ("an AI model that triages and highlights findings on X-ray and CT images", "radiologists and emergency physicians", "radiology departments", "shorter reporting times and fewer missed findings", "AI for medical imaging"),
       ["hospital_ward", "data_platform", "emergency"]),
    _t("health_data", [HEALTH_DATA],
       {"da": ["sundhedsdata", "interoperabilitet"], "nb": ["helsedata", "samhandling"], "en": ["FHIR", "cloud"]},
       ("en sikker platform, der samler sundhedsdata på tværs af sektorer via åbne standarder", "hospitaler, kommuner og forskere", "sundheds-it-afdelingerne", "bedre overblik over patientforløb og lettere adgang til data til forskning", "sundhedsdata og interoperabilitet"),
       ("en sikker plattform som samler helsedata på tvers av nivåer via åpne standarder", "sykehus, kommuner og forskere", "IKT-avdelingene i helsetjenesten", "bedre oversikt over pasientforløp og enklere tilgang til data for forskning", "helsedata og samhandling"),
       ("a secure platform that joins health data across sectors using open standards", "hospitals, municipalities and researchers", "health IT departments", "a clearer view of patient pathways and easier access to research data", "health data and interoperability"),
       ["data_platform"]),
    _t("cancer_dx", [PREVENTION, PERSONALISED],
       {"da": ["kræft", "diagnostik"], "nb": ["kreft", "diagnostikk"], "en": ["biomarkers"]},
       ("en blodprøvebaseret test, der kan opdage kræft i et tidligt stadie", "patienter i pakkeforløb for kræft", "de onkologiske og patologiske afdelinger", "tidligere diagnose og mere skånsomme undersøgelser", "kræftdiagnostik og tidlig opsporing"),
       ("en blodprøvebasert test som kan oppdage kreft på et tidlig stadium", "pasienter i pakkeforløp for kreft", "kreftavdelingene og patologiavdelingene", "tidligere diagnose og mer skånsomme undersøkelser", "kreftdiagnostikk og tidlig oppdagelse"),
       ("a blood-based test that can detect cancer at an early stage", "patients on cancer pathways", "oncology and pathology departments", "earlier diagnosis and gentler examinations", "cancer diagnostics and early detection"),
       ["hospital_ward", "outpatient_clinic"]),
    _t("mental_health", [NEAR_CITIZEN, PERSONALISED],
       {"da": ["mental sundhed", "psykiatri"], "nb": ["psykisk helse", "psykiatri"], "en": ["digital therapeutics"]},
       ("et internetbaseret behandlingsforløb med kognitiv terapi og støtte fra en behandler", "unge og voksne med angst, stress eller depression", "psykiatrien og de kommunale tilbud", "kortere ventetid og hjælp, når der er brug for den", "digital mental sundhed"),
       ("et nettbasert behandlingsforløp med kognitiv terapi og støtte fra en behandler", "unge og voksne med angst, stress eller depresjon", "psykisk helsevern og de kommunale tjenestene", "kortere ventetid og hjelp når det trengs", "digital psykisk helse"),
       ("an internet-delivered treatment programme with cognitive therapy and therapist support", "young people and adults with anxiety, stress or depression", "mental health services", "shorter waiting times and help when it is needed", "digital mental health"),
       ["outpatient_clinic", "citizen_home", "health_centre"]),
    _t("robotics", [NEAR_CITIZEN],
       {"da": ["robotteknologi", "arbejdsmiljø", "hjælpemidler"], "nb": ["robotteknologi", "arbeidsmiljø", "hjelpemidler"], "en": ["robotics"]},
       ("en robotassisteret forflytningsløsning til sengeliggende borgere", "plejepersonale og borgere med nedsat mobilitet", "plejecentre og hospitalsafsnit", "færre arbejdsskader og mere værdige forflytninger", "forflytning og robotteknologi"),
       ("en robotassistert forflytningsløsning for sengeliggende pasienter", "helsepersonell og brukere med nedsatt mobilitet", "sykehjem og sengeposter", "færre belastningsskader og mer verdige forflytninger", "forflytning og robotteknologi"),
       ("a robot-assisted transfer solution for bedbound patients", "care staff and people with reduced mobility", "nursing homes and hospital wards", "fewer staff injuries and more dignified transfers", "patient handling and care robotics"),
       ["nursing_home", "hospital_ward", "simulation_lab", "living_lab"]),
    _t("cardiology", [PREVENTION, HEALTH_DATA],
       {"da": ["hjertesygdom", "EKG"], "nb": ["hjertesykdom", "EKG"], "en": ["wearables"]},
       ("et trådløst EKG-plaster, der overvåger hjerterytmen i op til to uger", "patienter med mistanke om hjerterytmeforstyrrelser", "de kardiologiske ambulatorier", "hurtigere diagnose af atrieflimren og færre ambulatoriebesøg", "hjerterytme og kardiologi"),
       ("et trådløst EKG-plaster som overvåker hjerterytmen i opptil to uker", "pasienter med mistanke om hjerterytmeforstyrrelser", "hjertepoliklinikkene", "raskere diagnose av atrieflimmer og færre polikliniske besøk", "hjerterytme og kardiologi"),
       ("a wireless ECG patch that monitors heart rhythm for up to two weeks", "patients with suspected arrhythmia", "cardiology outpatient clinics", "faster diagnosis of atrial fibrillation and fewer clinic visits", "heart rhythm monitoring and cardiology"),
       ["outpatient_clinic", "hospital_ward", "citizen_home"]),
    _t("wound_care", [NEAR_CITIZEN, HEALTH_DATA],
       {"da": ["sårpleje", "hjemmesygepleje"], "nb": ["sårbehandling", "hjemmesykepleie"], "en": ["computer vision"]},
       ("en app, der fotograferer og måler sår og deler billederne med sårspecialister", "borgere med kroniske og diabetiske sår", "hjemmesygeplejen og sårambulatorierne", "hurtigere heling og færre kørsler for sygeplejerskerne", "sårpleje og telemedicinsk sårvurdering"),
       ("en app som fotograferer og måler sår og deler bildene med sårspesialister", "pasienter med kroniske og diabetiske sår", "hjemmesykepleien og sårpoliklinikkene", "raskere tilheling og færre kjøreturer for sykepleierne", "sårbehandling og digital sårvurdering"),
       ("an app that photographs and measures wounds and shares images with wound specialists", "people with chronic and diabetic wounds", "community nursing and wound clinics", "faster healing and fewer trips for nurses", "wound care and remote wound assessment"),
       ["home_care", "outpatient_clinic", "health_centre"]),
    _t("logistics", [HEALTH_DATA],
       {"da": ["logistik", "sporing"], "nb": ["logistikk", "sporing"], "en": ["RFID"]},
       ("et system til sporing af udstyr, prøver og patienter i realtid", "hospitalernes service- og logistikafdelinger", "de nye hospitalsbyggerier", "mindre tid brugt på at lede efter udstyr og mere effektiv logistik", "hospitalslogistik og sporing"),
       ("et system for sporing av utstyr, prøver og pasienter i sanntid", "sykehusenes service- og logistikkavdelinger", "de nye sykehusbyggene", "mindre tid brukt på å lete etter utstyr og mer effektiv logistikk", "sykehuslogistikk og sporing"),
       ("a real-time tracking system for equipment, samples and patients", "hospital service and logistics departments", "new hospital buildings", "less time spent searching for equipment and leaner logistics", "hospital logistics and tracking"),
       ["hospital_ward", "emergency", "simulation_lab"]),
    _t("care_coordination", [NEAR_CITIZEN, HEALTH_DATA],
       {"da": ["pårørende", "sammenhængende forløb"], "nb": ["pårørende", "pasientforløp"], "en": ["app"]},
       ("en app, der deler plejeplaner og beskeder mellem borger, pårørende og personale", "ældre borgere med mange kontakter i sundhedsvæsenet", "hjemmeplejen og de praktiserende læger", "bedre sammenhæng i forløbet og færre misforståelser", "sammenhængende forløb og kommunikation"),
       ("en app som deler pleieplaner og meldinger mellom bruker, pårørende og helsepersonell", "eldre med mange kontakter i helsetjenesten", "hjemmetjenesten og fastlegene", "bedre sammenheng i forløpet og færre misforståelser", "sammenhengende tjenester og kommunikasjon"),
       ("an app that shares care plans and messages between patients, relatives and staff", "older people with many contacts in the health service", "home care and general practice", "better continuity of care and fewer misunderstandings", "care coordination and communication"),
       ["home_care", "health_centre", "citizen_home"]),
    _t("nutrition", [PREVENTION],
       {"da": ["ernæring", "forebyggelse"], "nb": ["ernæring", "forebygging"], "en": ["screening"]},
       ("et digitalt værktøj til screening og opfølgning på ernæring", "ældre i risiko for underernæring", "plejecentre og kommunale køkkener", "færre tilfælde af underernæring og flere kræfter i hverdagen", "ernæring og forebyggelse af underernæring"),
       ("et digitalt verktøy for kartlegging og oppfølging av ernæring", "eldre som står i fare for underernæring", "sykehjem og kommunale kjøkken", "færre tilfeller av underernæring og bedre krefter i hverdagen", "ernæring og forebygging av underernæring"),
       ("a digital tool for nutrition screening and follow-up", "older people at risk of malnutrition", "nursing homes and municipal kitchens", "less malnutrition and more strength in daily life", "nutrition and malnutrition prevention"),
       ["nursing_home", "home_care", "health_centre"]),
    _t("precision_medicine", [PERSONALISED, HEALTH_DATA],
       {"da": ["præcisionsmedicin", "genomik"], "nb": ["presisjonsmedisin", "genomikk"], "en": ["machine learning"]},
       ("et beslutningsstøtteværktøj, der kobler genetiske data med kliniske oplysninger", "læger, der vælger behandling til patienter med kræft eller sjældne sygdomme", "de klinisk genetiske og onkologiske afdelinger", "mere målrettet behandling og færre bivirkninger", "præcisionsmedicin og genomik"),
       ("et beslutningsstøtteverktøy som kobler genetiske data med kliniske opplysninger", "leger som velger behandling for pasienter med kreft eller sjeldne sykdommer", "avdelingene for medisinsk genetikk og kreftbehandling", "mer målrettet behandling og færre bivirkninger", "presisjonsmedisin og genomikk"),
       ("a decision-support tool that links genetic data with clinical information", "doctors choosing treatment for patients with cancer or rare diseases", "clinical genetics and oncology departments", "more targeted treatment and fewer side effects", "precision medicine and genomics"),
       ["data_platform", "outpatient_clinic"]),
    _t("maternal_health", [NEAR_CITIZEN, PERSONALISED],
       {"da": ["graviditet", "hjemmemonitorering"], "nb": ["svangerskap", "digital hjemmeoppfølging"], "en": ["remote monitoring"]},
       ("en løsning til hjemmemonitorering af gravide med blodtryk og fosterlyd", "gravide med øget risiko", "fødeafdelingerne og jordemodercentrene", "færre indlæggelser under graviditeten og mere ro derhjemme", "graviditet og fødsel"),
       ("en løsning for hjemmeoppfølging av gravide med blodtrykk og fosterlyd", "gravide med økt risiko", "fødeavdelingene og jordmortjenesten", "færre innleggelser i svangerskapet og mer ro hjemme", "svangerskap og fødsel"),
       ("a home monitoring solution for pregnant women with blood pressure and fetal heart rate", "pregnant women at increased risk", "maternity wards and midwifery services", "fewer admissions during pregnancy and more calm at home", "pregnancy and childbirth"),
       ["outpatient_clinic", "hospital_ward", "citizen_home"]),
]
# fmt: on
THEMES_BY_KEY = {theme.key: theme for theme in THEMES}

# Tags about the trade, added to a company's theme tags.
# fmt: off
TRADE_TAGS = {
    "da": [
        "velfærdsteknologi", "medicoteknik", "sundheds-it", "klinisk afprøvning",
        "brugerinddragelse", "CE-mærkning",
    ],
    "nb": [
        "velferdsteknologi", "medisinsk teknologi", "e-helse", "klinisk utprøving",
        "brukermedvirkning", "CE-merking",
    ],
    "en": ["AI", "IoT", "SaaS", "MDR", "cloud", "app", "wearables", "machine learning"],
}
# The setting tags an organisation of a kind usually carries, per language.
SETTING_TAGS = {
    "da": {
        "municipality": ["hjemmepleje", "plejecenter", "velfærdsteknologi", "borgernær sundhed"],
        "hospital": ["hospital", "klinisk afprøvning", "medicoteknik"],
        "region": ["hospital", "sundheds-it", "almen praksis"],
    },
    "nb": {
        "municipality": ["hjemmetjeneste", "sykehjem", "velferdsteknologi", "helsetjenester nær innbyggeren"],
        "hospital": ["sykehus", "klinisk utprøving", "medisinsk teknologi"],
        "region": ["sykehus", "e-helse", "fastlege"],
    },
}
# fmt: on


def tag_vocabulary() -> list[str]:
    """Every tag name the demo uses, each once, in a stable order."""
    names = []
    for theme in THEMES:
        for language in ("da", "nb", "en"):
            names.extend(theme.tags[language])
    for language in ("da", "nb", "en"):
        names.extend(TRADE_TAGS[language])
    for language in ("da", "nb"):
        for kind_tags in SETTING_TAGS[language].values():
            names.extend(kind_tags)
    return list(dict.fromkeys(names))


def theme_tags(rng, theme: Theme, language: str) -> list[str]:
    """The theme's tags in the profile's language, a trade tag, sometimes an English one."""
    local = "da" if language == "da" else "nb" if language == "nb" else "en"
    names = list(theme.tags[local])
    names.append(rng.choice(TRADE_TAGS[local]))
    if local != "en" and rng.random() < 0.5:
        names.append(rng.choice(theme.tags["en"]))
    return list(dict.fromkeys(names))


def theme_focus(rng, theme: Theme) -> list[str]:
    """One or two charter focus areas: the theme's first, sometimes its second."""
    if len(theme.focus) > 1 and rng.random() < 0.55:
        return list(theme.focus[:2])
    return [theme.focus[0]]
