"""Names and texts of test sites and knowledge offers, in Danish and Norwegian."""

from network.demo.themes import Theme

# Which kinds of test site an owner of each kind runs.
# fmt: off
SITE_TYPES_BY_OWNER = {
    "municipality": ["home_care", "nursing_home", "rehabilitation", "health_centre", "citizen_home"],
    "region": ["data_platform", "health_centre", "emergency"],
    "hospital": ["hospital_ward", "outpatient_clinic", "emergency", "simulation_lab", "data_platform"],
    "university": ["simulation_lab", "living_lab", "data_platform"],
    "university_college": ["simulation_lab", "living_lab"],
    "living_lab": ["living_lab", "citizen_home"],
}
# Readiness a site asks for: care in real homes wants mature products, labs take early ones.
SITE_TRL_FLOOR = {
    "home_care": 6,
    "nursing_home": 5,
    "rehabilitation": 5,
    "health_centre": 5,
    "citizen_home": 6,
    "hospital_ward": 5,
    "outpatient_clinic": 5,
    "emergency": 6,
    "simulation_lab": 3,
    "living_lab": 3,
    "data_platform": 4,
}

AREAS = {
    "da": ["Nord", "Syd", "Øst", "Vest", "Midt", "Centrum"],
    "nb": ["nord", "sør", "øst", "vest", "midt", "sentrum"],
}
HOMES = {
    "da": [
        "Solgården", "Egebakken", "Lindehuset", "Møllehaven", "Bøgely", "Strandhaven",
        "Kastaniegården", "Rosenhaven", "Skovbrynet", "Engbo", "Fjordbo", "Ahorngården", "Birkebo",
        "Hybenhaven", "Lyngbo", "Toftegården", "Søhuset", "Nørremarken",
    ],
    "nb": [
        "Solbakken", "Granly", "Furulund", "Bjørkely", "Lindeheimen", "Fjellheim", "Sjøtun",
        "Lyngtun", "Eikelund", "Rosenlund", "Haugtun", "Åsheim", "Heimly", "Solstua", "Bakkely",
        "Nordly", "Vangen", "Kirkebakken",
    ],
}
WARDS = {
    "da": [
        "Kardiologisk afdeling", "Lungemedicinsk afdeling", "Geriatrisk afdeling",
        "Ortopædkirurgisk afdeling", "Onkologisk afdeling", "Endokrinologisk afdeling",
        "Neurologisk afdeling", "Medicinsk afdeling", "Børne- og ungeafdelingen",
        "Radiologisk afdeling", "Intensivafdelingen", "Fødeafdelingen",
    ],
    "nb": [
        "Hjertemedisinsk avdeling", "Lungemedisinsk avdeling", "Geriatrisk avdeling",
        "Ortopedisk avdeling", "Kreftavdelingen", "Endokrinologisk avdeling",
        "Nevrologisk avdeling", "Medisinsk avdeling", "Barne- og ungdomsklinikken",
        "Radiologisk avdeling", "Intensivavdelingen", "Fødeavdelingen",
    ],
}
SITE_NAMES = {
    "da": {
        "home_care": ["Hjemmeplejen, distrikt {area}"],
        "nursing_home": ["Plejecenter {home}"],
        "rehabilitation": ["Genoptræningscenter {town}", "Rehabiliteringscenter {home}"],
        "health_centre": ["Sundhedshuset {town}", "Sundhedscenter {town}"],
        "citizen_home": ["Testborgere i eget hjem, {town}"],
        "hospital_ward": ["{label}, {ward}"],
        "outpatient_clinic": ["{label}, {ward} – ambulatorium"],
        "emergency": ["{label}, Akutmodtagelsen", "{label}, Præhospitalt testmiljø"],
        "simulation_lab": ["{label}, Simulationscenter", "{label}, Sundhedsteknologisk testlaboratorium"],
        "living_lab": ["{label}, Testlejlighed", "{label}, Living lab", "{label}, Velfærdsteknologisk værksted"],
        "data_platform": ["{label}, Klinisk dataplatform", "{label}, Forskningsdataplatform"],
    },
    "nb": {
        "home_care": ["Hjemmetjenesten sone {area}"],
        "nursing_home": ["{home} sykehjem"],
        "rehabilitation": ["{town} rehabiliteringssenter", "{home} rehabilitering"],
        "health_centre": ["{town} helsehus", "Helsestasjonen i {town}"],
        "citizen_home": ["Testinnbyggere i eget hjem, {town}"],
        "hospital_ward": ["{label}, {ward}"],
        "outpatient_clinic": ["{label}, {ward} – poliklinikk"],
        "emergency": ["{label}, Akuttmottaket", "{label}, Prehospital testarena"],
        "simulation_lab": ["{label}, Simuleringssenter", "{label}, Testlaboratorium for helseteknologi"],
        "living_lab": ["{label}, Testleilighet", "{label}, Living lab", "{label}, Velferdsteknologisk verksted"],
        "data_platform": ["{label}, Klinisk dataplattform", "{label}, Forskningsdataplattform"],
    },
}
DUPLICATE_SUFFIX = {"da": "enhed", "nb": "enhet"}

CAPABILITIES = {
    "da": {
        "home_care": [
            "borgere, der modtager hjemmepleje",
            "sygeplejersker og social- og sundhedsassistenter, der deltager i afprøvningen",
            "test i dag-, aften- og nattevagter", "erfaring med at måle tidsforbrug",
        ],
        "nursing_home": [
            "beboere med forskellige plejebehov", "boliger med loftlifte og plejesenge",
            "personale med erfaring i velfærdsteknologi", "trådløst netværk i alle boliger",
            "mulighed for test om natten",
        ],
        "rehabilitation": [
            "fysio- og ergoterapeuter", "træningssal med udstyr", "borgere i genoptræningsforløb",
            "målinger af funktionsevne før og efter",
        ],
        "health_centre": [
            "sygeplejeklinik", "patientuddannelse for mennesker med kroniske sygdomme",
            "lokaler til brugertest og interviews", "samarbejde med praktiserende læger",
        ],
        "citizen_home": [
            "et panel af borgere, der tester i eget hjem", "hjælp til installation og support",
            "pårørende, der deltager i afprøvningen", "opfølgende interviews",
        ],
        "hospital_ward": [
            "klinikere, der deltager i afprøvningen", "adgang til patienter efter godkendelse",
            "medicoteknisk afdeling til sikkerhedstjek",
            "forskningsenhed, der hjælper med protokol og etik",
        ],
        "outpatient_clinic": [
            "ambulante patienter med kroniske sygdomme", "lokaler til videokonsultationer",
            "sygeplejersker med telemedicinsk erfaring",
            "opfølgning på patienter over flere måneder",
        ],
        "emergency": [
            "døgnåben akutmodtagelse", "triagedata", "simulering af travle vagter",
            "tæt samarbejde med præhospitalet",
        ],
        "simulation_lab": [
            "fuldskala simulationsrum med patientdukker", "videooptagelse af scenarier",
            "instruktører, der planlægger forløb", "test af arbejdsgange uden patienter",
        ],
        "living_lab": [
            "fuldt møbleret testbolig", "sensorer og netværk til dataopsamling",
            "borgerpanel til brugertest", "studerende, der observerer og interviewer",
        ],
        "data_platform": [
            "pseudonymiserede data i et sikkert analysemiljø", "standarder som FHIR og HL7",
            "hjælp til godkendelser af dataadgang", "regnekraft til AI-modeller",
        ],
    },
    "nb": {
        "home_care": [
            "brukere som mottar hjemmetjenester",
            "sykepleiere og helsefagarbeidere som deltar i utprøvingen",
            "testing på dag-, kveld- og nattevakter", "erfaring med å måle tidsbruk",
        ],
        "nursing_home": [
            "beboere med ulike pleiebehov", "rom med takheis og pleiesenger",
            "ansatte med erfaring fra velferdsteknologi", "trådløst nett i alle rom",
            "mulighet for testing om natten",
        ],
        "rehabilitation": [
            "fysio- og ergoterapeuter", "treningssal med utstyr", "brukere i rehabiliteringsforløp",
            "måling av funksjonsnivå før og etter",
        ],
        "health_centre": [
            "sykepleierklinikk", "pasientopplæring for personer med kroniske sykdommer",
            "lokaler for brukertesting og intervjuer", "samarbeid med fastleger",
        ],
        "citizen_home": [
            "et panel av innbyggere som tester i eget hjem", "hjelp til installasjon og support",
            "pårørende som deltar i utprøvingen", "oppfølgingsintervjuer",
        ],
        "hospital_ward": [
            "klinikere som deltar i utprøvingen", "tilgang til pasienter etter godkjenning",
            "medisinsk-teknisk avdeling for sikkerhetssjekk",
            "forskningsstøtte til protokoll og etikk",
        ],
        "outpatient_clinic": [
            "polikliniske pasienter med kroniske sykdommer", "rom for videokonsultasjoner",
            "sykepleiere med erfaring fra digital oppfølging",
            "oppfølging av pasienter over flere måneder",
        ],
        "emergency": [
            "døgnåpent akuttmottak", "triagedata", "simulering av travle vakter",
            "tett samarbeid med ambulansetjenesten",
        ],
        "simulation_lab": [
            "fullskala simuleringsrom med pasientsimulatorer", "videoopptak av scenarier",
            "instruktører som planlegger forløp", "testing av arbeidsflyt uten pasienter",
        ],
        "living_lab": [
            "fullt møblert testleilighet", "sensorer og nettverk for datainnsamling",
            "innbyggerpanel for brukertesting", "studenter som observerer og intervjuer",
        ],
        "data_platform": [
            "pseudonymiserte data i et sikkert analysemiljø", "standarder som FHIR og HL7",
            "hjelp med søknader om datatilgang", "regnekraft for KI-modeller",
        ],
    },
}
SITE_INTROS = {
    "da": [
        "Testmiljøet er åbent for virksomheder, der vil afprøve nye løsninger inden for {topic}.",
        "Her kan virksomheder afprøve deres løsninger under realistiske forhold, især inden for {topic}.",
        "{label} har erfaring med afprøvninger inden for {topic} og tager gerne imod nye projekter.",
    ],
    "nb": [
        "Testarenaen er åpen for bedrifter som vil prøve ut nye løsninger innen {topic}.",
        "Her kan bedrifter prøve ut løsningene sine under realistiske forhold, særlig innen {topic}.",
        "{label} har erfaring med utprøvinger innen {topic} og tar gjerne imot nye prosjekter.",
    ],
}
SITE_CLOSINGS = {
    "da": [
        "Afprøvninger planlægges sammen med personalet, så de passer ind i hverdagen.",
        "Vi hjælper med at finde deltagere og med at samle erfaringerne op bagefter.",
        "Kontakt os tidligt, så vi kan planlægge forløbet sammen.",
    ],
    "nb": [
        "Utprøvinger planlegges sammen med de ansatte, slik at de passer inn i hverdagen.",
        "Vi hjelper med å rekruttere deltakere og med å oppsummere erfaringene etterpå.",
        "Ta kontakt tidlig, så planlegger vi forløpet sammen.",
    ],
}
# fmt: on


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def site_name(rng, *, language: str, site_type: str, label: str, town: str) -> str:
    template = rng.choice(SITE_NAMES[language][site_type])
    return template.format(
        label=label,
        town=town,
        area=rng.choice(AREAS[language]),
        home=rng.choice(HOMES[language]),
        ward=rng.choice(WARDS[language]),
    )


def site_texts(rng, *, language: str, site_type: str, label: str, theme: Theme) -> tuple[str, str]:
    """(description, capabilities)."""
    topic = theme.phrases[language][4]
    description = " ".join(
        [
            rng.choice(SITE_INTROS[language]).format(label=label, topic=topic),
            rng.choice(SITE_CLOSINGS[language]),
        ]
    )
    pool = CAPABILITIES[language][site_type]
    capabilities = capitalised(", ".join(rng.sample(pool, k=min(3, len(pool))))) + "."
    return description, capabilities


# --- Knowledge offers --------------------------------------------------------------------------
# fmt: off
METHODS_BY_OWNER = {
    "university": [
        "clinical_study", "usability", "data_analysis", "health_economics", "regulatory",
        "prototyping", "education",
    ],
    "gts_institute": ["testing", "regulatory", "prototyping", "usability", "data_analysis"],
    "university_college": ["education", "usability", "prototyping", "clinical_study"],
}
METHOD_TEXTS = {
    "da": {
        "clinical_study": (
            "klinisk afprøvning og effektmåling", "at designe og gennemføre kliniske studier",
            "planlægge og gennemføre kliniske afprøvninger",
        ),
        "usability": (
            "brugerinddragelse og usability-test", "at inddrage brugere og teste brugervenlighed",
            "forstå brugernes behov og forbedre deres produkter",
        ),
        "data_analysis": (
            "dataanalyse og kunstig intelligens",
            "at analysere sundhedsdata og udvikle AI-modeller", "udnytte data og bygge AI-modeller",
        ),
        "health_economics": (
            "sundhedsøkonomisk evaluering",
            "at beregne omkostninger og gevinster ved nye løsninger",
            "dokumentere den økonomiske værdi af deres løsninger",
        ),
        "regulatory": (
            "vejledning om MDR og CE-mærkning", "kravene til medicinsk udstyr efter MDR",
            "navigere i reglerne for medicinsk udstyr",
        ),
        "prototyping": (
            "prototyper og produktudvikling", "hurtig prototypeudvikling og design",
            "bygge og afprøve prototyper",
        ),
        "testing": (
            "teknisk test og certificering", "test af elsikkerhed, EMC og holdbarhed",
            "teste og certificere deres produkter",
        ),
        "education": (
            "studerende i praktik og projekter",
            "at koble virksomheder med studerende og undervisere",
            "finde studerende til projekter og praktikforløb",
        ),
    },
    "nb": {
        "clinical_study": (
            "klinisk utprøving og effektmåling", "å planlegge og gjennomføre kliniske studier",
            "planlegge og gjennomføre kliniske utprøvinger",
        ),
        "usability": (
            "brukermedvirkning og brukervennlighetstesting",
            "å involvere brukere og teste brukervennlighet",
            "forstå brukernes behov og forbedre produktene sine",
        ),
        "data_analysis": (
            "dataanalyse og kunstig intelligens", "å analysere helsedata og utvikle KI-modeller",
            "utnytte data og bygge KI-modeller",
        ),
        "health_economics": (
            "helseøkonomisk evaluering", "å beregne kostnader og gevinster ved nye løsninger",
            "dokumentere den økonomiske verdien av løsningene sine",
        ),
        "regulatory": (
            "veiledning om MDR og CE-merking", "kravene til medisinsk utstyr etter MDR",
            "navigere i regelverket for medisinsk utstyr",
        ),
        "prototyping": (
            "prototyper og produktutvikling", "rask prototyping og design",
            "bygge og prøve ut prototyper",
        ),
        "testing": (
            "teknisk testing og sertifisering", "testing av elektrisk sikkerhet, EMC og holdbarhet",
            "teste og sertifisere produktene sine",
        ),
        "education": (
            "studenter i praksis og prosjekter", "å koble bedrifter med studenter og undervisere",
            "finne studenter til prosjekter og praksisplasser",
        ),
    },
}
OFFER_FORMATS = {
    "da": [
        "", " – forløb for SMV'er", " – workshop", " – forskningssamarbejde",
        " – kort konsulentforløb", " – studenterprojekt",
    ],
    "nb": [
        "", " – forløp for SMB-er", " – workshop", " – forskningssamarbeid",
        " – kort rådgivningsforløp", " – studentprosjekt",
    ],
}
COMPETENCES = {
    "da": [
        "Forskere og specialister hos {label} har viden om {topic} og erfaring med {skill}.",
        "{label} har et fagmiljø inden for {topic} med solid erfaring med {skill}.",
    ],
    "nb": [
        "Forskere og spesialister ved {label} har kunnskap om {topic} og erfaring med {skill}.",
        "{label} har et fagmiljø innen {topic} med solid erfaring med {skill}.",
    ],
}
OFFER_DESCRIPTIONS = {
    "da": [
        "Vi hjælper virksomheder med at {help}, fra den første idé til dokumentation, der kan bruges over for kunder og myndigheder.",
        "Tilbuddet er rettet mod små og mellemstore virksomheder, der vil {help}. Omfang og pris aftales fra sag til sag.",
    ],
    "nb": [
        "Vi hjelper bedrifter med å {help}, fra den første ideen til dokumentasjon som kan brukes overfor kunder og myndigheter.",
        "Tilbudet passer for små og mellomstore bedrifter som vil {help}. Omfang og pris avtales fra sak til sak.",
    ],
}
# fmt: on


def offer_texts(rng, *, language: str, method: str, theme: Theme, label: str) -> dict:
    """title, competence and description of a knowledge offer."""
    title_label, skill, help_with = METHOD_TEXTS[language][method]
    topic = theme.phrases[language][4]
    return {
        "title": f"{capitalised(topic)}: {title_label}{rng.choice(OFFER_FORMATS[language])}",
        "competence": rng.choice(COMPETENCES[language]).format(
            label=label, topic=topic, skill=skill
        ),
        "description": rng.choice(OFFER_DESCRIPTIONS[language]).format(help=help_with),
    }
