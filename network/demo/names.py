"""Name parts: invented company names, street names, people's names and job titles."""

from network.slugs import slugify

# --- Company names -----------------------------------------------------------------------------
# Pattern 1: an invented compound of two parts ("Gluco" + "Bridge").
# fmt: off
PREFIXES = [
    "Medi", "Care", "Vita", "Puls", "Neuro", "Cardio", "Pneumo", "Derma", "Onco", "Geri", "Rehab",
    "Mobi", "Tele", "Digi", "Nordi", "Bio", "Vital", "Sana", "Cura", "Salu", "Thera", "Ortho",
    "Gluco", "Somno", "Mind", "Calm", "Aero", "Nova", "Lumi", "Kine", "Hemo", "Resp", "Immuno",
    "Geno", "Sono", "Opti", "Ergo", "Vigil", "Clini", "Dose",
]
SUFFIXES = [
    "Sense", "Link", "Care", "Lab", "Tech", "Logic", "Metrics", "Flow", "Scan", "Watch", "Guard",
    "Track", "Med", "Health", "Wise", "Path", "Pulse", "Bridge", "Point", "Works", "Loop", "Signal",
    "Vision", "Mate", "Nest", "Step", "Sync", "Beat", "Cue", "Hub",
]
# Pattern 2: a place-like word and a trade.
PLACE_WORDS = {
    "DK": [
        "Nordic", "Limfjord", "Kattegat", "Øresund", "Vestkyst", "Lillebælt", "Storebælt",
        "Fjordlys", "Bøgeskov", "Hedeland", "Klitmøller", "Havblik", "Engsø", "Skovbryn",
    ],
    "NO": [
        "Nordic", "Fjord", "Nordlys", "Polar", "Aurora", "Vidde", "Skjærgård", "Fjellbris",
        "Havbris", "Midnattsol", "Breeze", "Bølge", "Tindeland", "Lysvik",
    ],
}
TRADES = {
    "DK": [
        "Rehab", "Diagnostics", "Medical", "Health Analytics", "Care Solutions",
        "Velfærdsteknologi", "Sundhedsdata", "Medico", "Telemedicin", "Robotics", "Sensorteknik",
        "Hjælpemidler", "Digital Health", "Biosensors",
    ],
    "NO": [
        "Rehab", "Diagnostics", "Medical", "Health Analytics", "Care Solutions",
        "Velferdsteknologi", "Helsedata", "Medtech", "Telemedisin", "Robotics", "Sensorteknikk",
        "Hjelpemidler", "Digital Health", "Biosensors",
    ],
}
# Pattern 3: a compound in the local language ("Trygvagt", "Sunnpuls").
LOCAL_PREFIXES = {
    "DK": [
        "Tryg", "Sund", "Omsorgs", "Hjem", "Trivsels", "Vel", "Frisk", "Rask", "Hjerte", "Lunge",
        "Rolig", "Klar", "Nær", "Stærk", "Let", "Fri",
    ],
    "NO": [
        "Trygg", "Sunn", "Omsorgs", "Hjem", "Trivsels", "Vel", "Frisk", "Rask", "Hjerte", "Lunge",
        "Rolig", "Klar", "Nær", "Sterk", "Lett", "Fri",
    ],
}
LOCAL_SUFFIXES = {
    "DK": [
        "hjælp", "pleje", "data", "sikring", "teknik", "vagt", "puls", "liv", "dosering", "træning",
        "hverdag", "tilsyn", "søvn", "gang",
    ],
    "NO": [
        "hjelp", "pleie", "data", "sikring", "teknikk", "vakt", "puls", "liv", "dosering",
        "trening", "hverdag", "tilsyn", "søvn", "gange",
    ],
}
DESCRIPTORS = [
    "", "", "", "Solutions", "Technologies", "Health", "Systems", "Medical", "Labs", "Nordic",
    "Analytics", "Diagnostics", "Innovation", "Digital", "Care",
]
# fmt: on
LEGAL_FORMS = {"DK": ["ApS"] * 6 + ["A/S"], "NO": ["AS"] * 12 + ["ASA"]}


def company_name(rng, country: str) -> str:
    """One candidate name; the caller retries on a clash."""
    pattern = rng.random()
    if pattern < 0.5:
        root = rng.choice(PREFIXES) + rng.choice(SUFFIXES).lower()
        if rng.random() < 0.3:
            root = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
    elif pattern < 0.75:
        root = f"{rng.choice(PLACE_WORDS[country])} {rng.choice(TRADES[country])}"
    else:
        root = rng.choice(LOCAL_PREFIXES[country]) + rng.choice(LOCAL_SUFFIXES[country])
    descriptor = rng.choice(DESCRIPTORS)
    if descriptor and descriptor not in root:
        root = f"{root} {descriptor}"
    return f"{root} {rng.choice(LEGAL_FORMS[country])}"


# --- Addresses ---------------------------------------------------------------------------------
# fmt: off
STREETS = {
    "DK": [
        "Vestergade", "Østergade", "Nørregade", "Søndergade", "Algade", "Jernbanegade",
        "Stationsvej", "Skolevej", "Kirkevej", "Industrivej", "Havnegade", "Strandvejen", "Parkvej",
        "Engvej", "Møllevej", "Bygaden", "Lindevej", "Birkevej", "Egevej", "Bøgevej", "Rosenvænget",
        "Fabriksvej", "Værkstedsvej", "Skovvej", "Tværgade", "Kongensgade", "Dronningensgade",
        "Havnepromenaden", "Erhvervsvej", "Teknologivej", "Innovationsvej", "Forskerparken",
        "Hovedgaden", "Banegårdspladsen", "Åboulevarden", "Vestre Ringvej",
    ],
    "NO": [
        "Storgata", "Kirkegata", "Kongens gate", "Dronningens gate", "Industriveien", "Strandveien",
        "Sjøgata", "Parkveien", "Skolegata", "Stasjonsveien", "Torggata", "Fjordveien", "Havnegata",
        "Teknologiveien", "Innovasjonsveien", "Nedre gate", "Øvre gate", "Bjørkeveien", "Granveien",
        "Furuveien", "Lindeveien", "Elvegata", "Fabrikkgata", "Verkstedveien", "Næringsveien",
        "Rådhusgata", "Prinsens gate", "Forskningsveien", "Brugata", "Bakkegata", "Vestre gate",
        "Østre gate",
    ],
}
# fmt: on


def street_address(rng, country: str) -> str:
    number = rng.randint(1, 160)
    if rng.random() < 0.15:
        number = f"{number}{rng.choice('ABC')}"
    return f"{rng.choice(STREETS[country])} {number}"


# --- People ------------------------------------------------------------------------------------
# fmt: off
FIRST_NAMES = {
    "DK": [
        "Anne", "Kirsten", "Hanne", "Helle", "Susanne", "Lene", "Maria", "Louise", "Camilla",
        "Charlotte", "Marianne", "Pia", "Tina", "Rikke", "Sofie", "Ida", "Emma", "Julie", "Laura",
        "Mathilde", "Freja", "Cecilie", "Katrine", "Signe", "Maja", "Line", "Sara", "Karen",
        "Birgitte", "Nanna", "Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan",
        "Niels", "Rasmus", "Martin", "Jesper", "Anders", "Morten", "Mads", "Mikkel", "Frederik",
        "Jonas", "Emil", "Magnus", "Kasper", "Simon", "Jakob", "Nikolaj", "Troels", "Bo", "Kim",
        "Torben", "Asger", "Esben",
    ],
    "NO": [
        "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Hilde",
        "Nina", "Silje", "Ida", "Ingvild", "Marte", "Kristin", "Tone", "Camilla", "Randi", "Emma",
        "Nora", "Sara", "Thea", "Maja", "Ragnhild", "Siri", "Solveig", "Guro", "Tuva", "Synnøve",
        "Per", "Bjørn", "Kjell", "Knut", "Arne", "Svein", "Thomas", "Hans", "Geir", "Espen",
        "Morten", "Erik", "Anders", "Jon", "Trond", "Håkon", "Magnus", "Sindre", "Eirik", "Jonas",
        "Henrik", "Even", "Sverre", "Øystein", "Vegard", "Torbjørn", "Audun", "Steinar", "Tor",
        "Halvard",
    ],
}
LAST_NAMES = {
    "DK": [
        "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Rasmussen",
        "Petersen", "Madsen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller",
        "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Laursen", "Holm", "Schmidt", "Lund",
        "Eriksen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen",
        "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Dam", "Bach", "Skov", "Bertelsen",
        "Overgaard", "Dalsgaard", "Brandt", "Winther", "Krogh", "Lykke", "Ravn", "Juhl", "Bisgaard",
        "Munk", "Thygesen",
    ],
    "NO": [
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Karlsen",
        "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
        "Jacobsen", "Dahl", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Jakobsen", "Moen",
        "Gundersen", "Iversen", "Strand", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen",
        "Bakken", "Mathisen", "Lie", "Amundsen", "Lunde", "Solheim", "Berge", "Moe", "Nygård",
        "Bakke", "Fredriksen", "Holm", "Lien", "Aas", "Myhre", "Tangen", "Sandvik", "Vik",
    ],
}
# Combinations that would name well-known public figures or people in the background
# articles: never generate them.
AVOID_FULL_NAMES = {
    "Anders Andersen", "Carl Holst", "Christian Graversen", "Dorte Stigaard", "Erna Solberg",
    "Hanne Kristensen", "Jens Stoltenberg", "Jonas Støre", "Ketil Widerberg", "Kristoffer From",
    "Lars Jørgensen", "Lars Rasmussen", "Lena Helli", "Magnus Carlsen", "Mette Frederiksen",
    "Ole Christensen", "Stephanie Lose", "Trine Christensen",
}
# fmt: on


def person_name(rng, country: str) -> tuple[str, str]:
    while True:
        first, last = rng.choice(FIRST_NAMES[country]), rng.choice(LAST_NAMES[country])
        if f"{first} {last}" not in AVOID_FULL_NAMES:
            return first, last


# Job titles by language and by the kind of organisation.
# fmt: off
JOB_TITLES = {
    "da": {
        "company": [
            "Administrerende direktør", "Medstifter", "Teknisk direktør", "Produktchef",
            "Salgschef", "Klinisk specialist", "Projektleder", "Udviklingsingeniør",
            "Kvalitets- og regulatorisk ansvarlig",
        ],
        "public": [
            "Velfærdsteknologisk konsulent", "Innovationskonsulent", "Sundhedschef",
            "Sygeplejefaglig konsulent", "Digitaliseringschef", "Ergoterapeut", "Specialkonsulent",
            "Kontorchef",
        ],
        "clinical": [
            "Innovationschef", "Overlæge", "Klinisk sygeplejespecialist", "Forskningsleder",
            "Projektleder, innovation", "Afdelingssygeplejerske",
        ],
        "academic": [
            "Professor", "Lektor", "Adjunkt", "Erhvervskoordinator", "Ph.d.-studerende",
            "Seniorkonsulent", "Teamleder", "Docent",
        ],
        "investor": ["Partner", "Investeringsdirektør", "Investment manager", "Analytiker"],
        "patient": ["Sekretariatschef", "Fagchef", "Konsulent", "Projektleder"],
        "lab": ["Lab-leder", "Lab-koordinator", "Projektleder", "Konsulent"],
    },
    "nb": {
        "company": [
            "Daglig leder", "Medgründer", "Teknisk direktør", "Produktsjef", "Salgssjef",
            "Klinisk spesialist", "Prosjektleder", "Utviklingsingeniør",
            "Kvalitets- og regulatorisk ansvarlig",
        ],
        "public": [
            "Rådgiver velferdsteknologi", "Innovasjonsrådgiver", "Kommunalsjef helse og omsorg",
            "Fagutviklingssykepleier", "Digitaliseringssjef", "Ergoterapeut", "Seniorrådgiver",
        ],
        "clinical": [
            "Innovasjonssjef", "Overlege", "Spesialsykepleier", "Forskningsleder",
            "Prosjektleder innovasjon", "Avdelingssykepleier",
        ],
        "academic": [
            "Professor", "Førsteamanuensis", "Universitetslektor", "Næringslivskoordinator",
            "Stipendiat", "Seniorforsker", "Forskningssjef",
        ],
        "investor": ["Partner", "Investeringsdirektør", "Investment manager", "Analytiker"],
        "patient": ["Generalsekretær", "Fagsjef", "Rådgiver", "Prosjektleder"],
        "lab": ["Lab-leder", "Lab-koordinator", "Prosjektleder", "Rådgiver"],
    },
    "en": {
        "company": [
            "CEO", "Co-founder", "CTO", "Head of Product", "Head of Sales", "Clinical Specialist",
            "Project Manager", "Regulatory Affairs Manager",
        ],
    },
}
TITLE_GROUP = {
    "sme": "company",
    "large_company": "company",
    "investor": "investor",
    "municipality": "public",
    "region": "public",
    "hospital": "clinical",
    "university": "academic",
    "gts_institute": "academic",
    "university_college": "academic",
    "living_lab": "lab",
    "patient_organisation": "patient",
}
# fmt: on


def job_title(rng, language: str, kind: str, *, lead: bool = False) -> str:
    """A title fitting the organisation; `lead` picks one of the first two (its leaders)."""
    group = TITLE_GROUP.get(kind, "company")
    titles = JOB_TITLES.get(language, {}).get(group) or JOB_TITLES["da"][group]
    return rng.choice(titles[:2] if lead else titles[2:])


# --- Slugs and email addresses -----------------------------------------------------------------


def demo_slug(text: str) -> str:
    return slugify(text)[:200]


def email_local(first: str, last: str) -> str:
    return demo_slug(f"{first} {last}").replace("-", ".")
