"""Text templates for company and institution profiles and membership applications."""

from network.demo.themes import Theme

# --- Company profiles --------------------------------------------------------------------------
INTROS = {
    "da": [
        "{name} udvikler {product} til {users}.",
        "{name} er en virksomhed fra {town}, der har udviklet {product} til {users}.",
        "{name} blev stiftet i {founded} og leverer {product} til {users}.",
        "Med udgangspunkt i {town} arbejder {name} med {product} til {users}.",
    ],
    "nb": [
        "{name} utvikler {product} for {users}.",
        "{name} er en bedrift fra {town} som har utviklet {product} for {users}.",
        "{name} ble etablert i {founded} og leverer {product} for {users}.",
        "Fra {town} arbeider {name} med {product} for {users}.",
    ],
    "en": [
        "{name} develops {product} for {users}.",
        "{name} is a company based in {town} that has built {product} for {users}.",
        "Founded in {founded}, {name} offers {product} for {users}.",
        "From its base in {town}, {name} works on {product} for {users}.",
    ],
}
BENEFITS = {
    "da": ["Løsningen giver {benefit}.", "Målet er {benefit}.", "Brugerne får {benefit}."],
    "nb": ["Løsningen gir {benefit}.", "Målet er {benefit}.", "Brukerne får {benefit}."],
    "en": ["The solution delivers {benefit}.", "The aim is {benefit}.", "Users get {benefit}."],
}
SETTINGS = {
    "da": [
        "Vi arbejder tæt sammen med {setting} om at tilpasse løsningen til hverdagens arbejdsgange.",
        "Løsningen er udviklet sammen med medarbejdere i {setting}.",
        "Løsningen er bygget til at passe ind i arbejdsgangene i {setting}.",
    ],
    "nb": [
        "Vi samarbeider tett med {setting} for å tilpasse løsningen til arbeidshverdagen.",
        "Løsningen er utviklet sammen med ansatte i {setting}.",
        "Løsningen er laget for å passe inn i arbeidsflyten i {setting}.",
    ],
    "en": [
        "We work closely with {setting} to fit the solution into everyday routines.",
        "The solution was designed together with staff in {setting}.",
        "The solution is built to fit the workflows of {setting}.",
    ],
}
# By technology readiness: 3-4, 5-6, 7-8, 9.
STATUS = {
    "da": [
        [
            "Vi er i gang med de første prototyper og søger partnere til tidlige brugertest.",
            "Konceptet er afprøvet i laboratoriet, og næste skridt er test med rigtige brugere.",
        ],
        [
            "Løsningen afprøves i et pilotprojekt, og vi søger flere testpartnere.",
            "En prototype er testet i et realistisk miljø, og vi forbereder en klinisk afprøvning.",
        ],
        [
            "Løsningen er afprøvet i drift og klar til bredere udbredelse.",
            "De første kunder bruger løsningen i dag, og vi arbejder på at skalere.",
        ],
        [
            "Løsningen er på markedet og bruges af kunder i flere lande.",
            "Produktet er i fast drift hos kommuner og hospitaler i store dele af landet.",
        ],
    ],
    "nb": [
        [
            "Vi arbeider med de første prototypene og søker partnere til tidlig brukertesting.",
            "Konseptet er testet i laboratoriet, og neste steg er testing med ekte brukere.",
        ],
        [
            "Løsningen prøves ut i et pilotprosjekt, og vi søker flere testpartnere.",
            "En prototype er testet i et realistisk miljø, og vi forbereder en klinisk utprøving.",
        ],
        [
            "Løsningen er prøvd ut i drift og klar for bredere spredning.",
            "De første kundene bruker løsningen i dag, og vi jobber med å skalere.",
        ],
        [
            "Løsningen er på markedet og brukes av kunder i flere land.",
            "Produktet er i fast drift i kommuner og helseforetak over hele landet.",
        ],
    ],
    "en": [
        [
            "We are building the first prototypes and are looking for partners for early user tests.",
            "The concept has been proven in the lab; the next step is testing with real users.",
        ],
        [
            "The solution is being piloted, and we are looking for more test partners.",
            "A prototype has been tested in a realistic setting and a clinical study is being prepared.",
        ],
        [
            "The solution has been proven in operation and is ready for wider roll-out.",
            "Our first customers use the solution today, and we are now scaling up.",
        ],
        [
            "The solution is on the market and used by customers in several countries.",
            "The product is in everyday use by municipalities and hospitals across the country.",
        ],
    ],
}
ASKS = {
    "da": [
        "Vi søger kommuner, der vil være med til at afprøve løsningen.",
        "Vi vil gerne samarbejde med forskere om at dokumentere effekten.",
        "Vi søger investorer til næste vækstfase.",
        "Vi vil gerne i kontakt med hospitaler, der vil validere løsningen klinisk.",
        "Vi deltager gerne i offentlig-private innovationsprojekter.",
    ],
    "nb": [
        "Vi søker kommuner som vil være med på å prøve ut løsningen.",
        "Vi ønsker samarbeid med forskere for å dokumentere effekten.",
        "Vi søker investorer til neste vekstfase.",
        "Vi vil gjerne komme i kontakt med sykehus som vil validere løsningen klinisk.",
        "Vi deltar gjerne i innovasjonspartnerskap med det offentlige.",
    ],
    "en": [
        "We are looking for municipalities that want to trial the solution.",
        "We would like to work with researchers to document the effect.",
        "We are raising investment for our next growth stage.",
        "We would like to hear from hospitals interested in a clinical validation.",
        "We are keen to join public-private innovation projects.",
    ],
}


def _status_band(trl: int) -> int:
    return 0 if trl <= 4 else 1 if trl <= 6 else 2 if trl <= 8 else 3


def company_description(
    rng, *, language: str, theme: Theme, name: str, town: str, founded: int, trl: int
) -> str:
    product, users, setting, benefit, _topic = theme.phrases[language]
    legal_free = name.rsplit(" ", 1)[0]
    parts = [
        rng.choice(INTROS[language]).format(
            name=legal_free, product=product, users=users, town=town, founded=founded
        ),
        rng.choice(BENEFITS[language]).format(benefit=benefit),
    ]
    if rng.random() < 0.7:
        parts.append(rng.choice(SETTINGS[language]).format(setting=setting))
    parts.append(rng.choice(STATUS[language][_status_band(trl)]))
    if rng.random() < 0.6:
        parts.append(rng.choice(ASKS[language]))
    return " ".join(parts)


# --- Membership applications -------------------------------------------------------------------
MOTIVATIONS = {
    "da": [
        "Vi søger medlemskab af {cluster} for at komme i kontakt med kommuner og hospitaler, der "
        "kan teste vores løsning inden for {topic}.",
        "Som ung virksomhed inden for {topic} håber vi på sparring, netværk og adgang til "
        "klyngens testmiljøer.",
        "Vi vil gerne være en del af {cluster} for at finde samarbejdspartnere til et "
        "innovationsprojekt om {topic}.",
    ],
    "nb": [
        "Vi søker medlemskap i {cluster} for å komme i kontakt med kommuner og sykehus som kan "
        "teste løsningen vår innen {topic}.",
        "Som ung bedrift innen {topic} håper vi på sparring, nettverk og tilgang til klyngens "
        "testarenaer.",
        "Vi ønsker å bli med i {cluster} for å finne partnere til et innovasjonsprosjekt om "
        "{topic}.",
    ],
    "en": [
        "We are applying to {cluster} to meet municipalities and hospitals that could test our "
        "work on {topic}.",
        "As a young company in {topic}, we hope for advice, contacts and access to the "
        "cluster's test facilities.",
        "We would like to join {cluster} to find partners for an innovation project on {topic}.",
    ],
}


def motivation(rng, *, language: str, cluster: str, theme: Theme | None) -> str:
    topic = (
        theme.phrases[language][4]
        if theme
        else {"da": "sundhedsteknologi", "nb": "helseteknologi", "en": "health technology"}[
            language
        ]
    )
    return rng.choice(MOTIVATIONS[language]).format(cluster=cluster, topic=topic)


# --- Institutions ------------------------------------------------------------------------------
INSTITUTION_TEXTS = {
    "da": {
        "municipality": [
            "{name} arbejder målrettet med velfærdsteknologi i ældreplejen og genoptræningen og "
            "inviterer virksomheder til at afprøve nye løsninger sammen med borgere og medarbejdere.",
            "I {name} er digitale hjælpemidler en fast del af hjemmeplejen. Kommunen deltager "
            "gerne i offentlig-private innovationsprojekter og deler sine erfaringer.",
        ],
        "region": [
            "{name} driver regionens hospitaler og arbejder for et sammenhængende sundhedsvæsen. "
            "Regionen samarbejder med virksomheder om innovation, indkøb og sundhedsforskning.",
        ],
        "hospital": [
            "{name} har en innovationsenhed, der hjælper virksomheder med at teste løsninger i "
            "klinikken og bringer dem i kontakt med klinikere og forskere.",
            "På {name} afprøves nye løsninger i tæt samarbejde mellem klinikere, patienter og "
            "virksomheder, fra tidlige behovsafklaringer til kliniske studier.",
        ],
        "university": [
            "{name} forsker i sundhedsteknologi, data og klinisk innovation og stiller viden, "
            "laboratorier og studerende til rådighed for virksomheder.",
        ],
        "gts_institute": [
            "{name} er et godkendt teknologisk serviceinstitut, der hjælper virksomheder med test, "
            "certificering og udvikling af medicoteknisk udstyr.",
        ],
        "university_college": [
            "{name} uddanner sygeplejersker, terapeuter og andre sundhedsprofessionelle og "
            "samarbejder med virksomheder om praksisnær afprøvning af nye løsninger.",
        ],
        "living_lab": [
            "{name} er et testmiljø, hvor virksomheder kan afprøve velfærdsteknologi i realistiske "
            "omgivelser sammen med borgere og fagpersoner.",
        ],
        "investor": [
            "{name} investerer i tidlige og voksende virksomheder inden for sundhedsteknologi og "
            "medicoteknik i Norden.",
        ],
        "patient_organisation": [
            "{name} repræsenterer patienter og pårørende og bidrager med brugerperspektivet, når "
            "nye løsninger udvikles og afprøves.",
        ],
    },
    "nb": {
        "municipality": [
            "{name} satser på velferdsteknologi i helse- og omsorgstjenestene og inviterer "
            "bedrifter til å prøve ut nye løsninger sammen med innbyggere og ansatte.",
            "I {name} er digitale hjelpemidler en fast del av hjemmetjenesten. Kommunen deltar "
            "gjerne i innovasjonspartnerskap og deler sine erfaringer.",
        ],
        "region": [
            "{name} har ansvar for spesialisthelsetjenesten i regionen og samarbeider med "
            "næringslivet om innovasjon, innkjøp og forskning.",
        ],
        "hospital": [
            "{name} har en innovasjonsavdeling som hjelper bedrifter med å teste løsninger i "
            "klinikken og kobler dem med klinikere og forskere.",
            "Ved {name} prøves nye løsninger ut i tett samarbeid mellom klinikere, pasienter og "
            "bedrifter, fra behovskartlegging til kliniske studier.",
        ],
        "university": [
            "{name} forsker på helseteknologi, data og klinisk innovasjon og gjør kunnskap, "
            "laboratorier og studenter tilgjengelige for bedrifter.",
        ],
        "gts_institute": [
            "{name} er et uavhengig forskningsinstitutt som hjelper bedrifter med testing, "
            "dokumentasjon og utvikling av medisinsk utstyr.",
        ],
        "university_college": [
            "{name} utdanner sykepleiere, terapeuter og annet helsepersonell og samarbeider med "
            "bedrifter om praksisnær utprøving av nye løsninger.",
        ],
        "living_lab": [
            "{name} er en testarena der bedrifter kan prøve ut velferdsteknologi i realistiske "
            "omgivelser sammen med innbyggere og fagfolk.",
        ],
        "investor": [
            "{name} investerer i tidligfase- og vekstselskaper innen helseteknologi og "
            "medisinsk utstyr i Norden.",
        ],
        "patient_organisation": [
            "{name} representerer pasienter og pårørende og bidrar med brukerperspektivet når nye "
            "løsninger utvikles og testes.",
        ],
    },
}


def institution_description(rng, *, language: str, kind: str, name: str) -> str:
    return rng.choice(INSTITUTION_TEXTS[language][kind]).format(name=name)
