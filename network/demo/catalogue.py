"""Institutions of the demo: real public bodies under their real names, plus invented labs and
investors. Streets are given only where the reference data holds the institution's postcode;
otherwise the profile shows the municipality alone. Real institutions get no registry number.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Institution:
    name: str
    kind: str
    country: str
    municipality: str | None  # municipality name in the reference data
    town: str | None = None  # a town of that municipality, with its postcode
    street: str = ""
    short: str = ""
    region: str | None = None  # region code, for bodies without a municipality
    invented: bool = False

    @property
    def label(self) -> str:
        return self.short or self.name


def _many(kind, country, rows, invented=False):
    """Rows of (name, municipality[, town[, street[, short]]])."""
    institutions = []
    for name, municipality, *rest in rows:
        town, street, short = [*rest, None, None, None][:3]
        institutions.append(
            Institution(
                name,
                kind,
                country,
                municipality,
                town,
                street or "",
                short or "",
                invented=invented,
            )
        )
    return institutions


REGIONS = [
    Institution(
        "Region Nordjylland", "region", "DK", "Aalborg", "Aalborg Øst", "Niels Bohrs Vej 30"
    ),
    Institution("Region Midtjylland", "region", "DK", "Viborg", "Viborg", "Skottenborg 26"),
    Institution("Region Syddanmark", "region", "DK", "Vejle", "Vejle", "Damhaven 12"),
    Institution("Region Hovedstaden", "region", "DK", "Hillerød", "Hillerød", "Kongens Vænge 2"),
    Institution("Region Sjælland", "region", "DK", "Sorø", "Sorø", "Alleen 15"),
    Institution("Helse Sør-Øst RHF", "region", "NO", "Hamar"),
    Institution("Helse Vest RHF", "region", "NO", "Stavanger"),
    Institution("Helse Midt-Norge RHF", "region", "NO", None, region="50"),
    Institution("Helse Nord RHF", "region", "NO", "Bodø"),
]

# (name, municipality, town, street, short)
HOSPITALS = _many(
    "hospital",
    "DK",
    [
        ("Rigshospitalet", "København", "København Ø", "Blegdamsvej 9", "Rigshospitalet"),
        ("Odense Universitetshospital", "Odense", "Odense C", "J.B. Winsløws Vej 4", "OUH"),
        (
            "Aarhus Universitetshospital",
            "Aarhus",
            "Aarhus N",
            "Palle Juul-Jensens Boulevard 99",
            "AUH",
        ),
        ("Aalborg Universitetshospital", "Aalborg", "Aalborg", "Hobrovej 18-22", "AAUH"),
        ("Herlev og Gentofte Hospital", "Herlev", "Herlev", "Borgmester Ib Juuls Vej 1", "HGH"),
        ("Bispebjerg og Frederiksberg Hospital", "København", None, "", "BFH"),
        ("Amager og Hvidovre Hospital", "Hvidovre", "Hvidovre", "Kettegård Allé 30", "AHH"),
        ("Nordsjællands Hospital", "Hillerød", "Hillerød", "Dyrehavevej 29", "NOH"),
        ("Sjællands Universitetshospital", "Køge", "Køge", "Lykkebækvej 1", "SUH"),
        ("Holbæk Sygehus", "Holbæk", "Holbæk", "Smedelundsgade 60"),
        ("Nykøbing F. Sygehus", "Guldborgsund", "Nykøbing F", "Fjordvej 15"),
        ("Regionshospitalet Gødstrup", "Herning", "Herning", "Hospitalsparken 15", "Gødstrup"),
        ("Regionshospitalet Randers", "Randers", None, "", "RHR"),
        ("Regionshospitalet Horsens", "Horsens", "Horsens", "Sundvej 30", "RH Horsens"),
        ("Regionshospitalet Viborg", "Viborg", "Viborg", "Heibergs Allé 4", "RH Viborg"),
        ("Sygehus Lillebælt", "Vejle", "Vejle", "Beriderbakken 4"),
        ("Sydvestjysk Sygehus", "Esbjerg", "Esbjerg", "Finsensgade 35", "SVS"),
        ("Sygehus Sønderjylland", "Aabenraa", "Aabenraa", "Kresten Philipsens Vej 15", "SHS"),
        ("Regionshospital Nordjylland", "Hjørring", "Hjørring", "Bispensgade 37"),
        ("Bornholms Hospital", "Bornholm", "Rønne", "Ullasvej 8"),
    ],
) + _many(
    "hospital",
    "NO",
    [
        ("Oslo universitetssykehus", "Oslo", None, "", "OUS"),
        ("Akershus universitetssykehus", "Lørenskog", "Lørenskog", "Sykehusveien 25", "Ahus"),
        ("Haukeland universitetssjukehus", "Bergen", None, "", "Haukeland"),
        ("St. Olavs hospital", "Trondheim", None, "", "St. Olavs"),
        ("Universitetssykehuset Nord-Norge", "Tromsø", None, "", "UNN"),
        ("Stavanger universitetssjukehus", "Stavanger", None, "", "SUS"),
        ("Sykehuset Østfold", "Sarpsborg", None, "", "SØ"),
        ("Drammen sykehus", "Drammen"),
        ("Sykehuset i Vestfold", "Tønsberg", None, "", "SiV"),
        ("Sørlandet sykehus", "Kristiansand", None, "", "SSHF"),
        ("Sykehuset Innlandet", "Hamar"),
        ("Nordlandssykehuset", "Bodø"),
        ("Ålesund sjukehus", "Ålesund"),
        ("Sykehuset Telemark", "Skien"),
    ],
)

UNIVERSITIES = _many(
    "university",
    "DK",
    [
        (
            "Danmarks Tekniske Universitet",
            "Lyngby-Taarbæk",
            "Kongens Lyngby",
            "Anker Engelunds Vej 1",
            "DTU",
        ),
        ("Københavns Universitet", "København", None, "", "KU"),
        ("Syddansk Universitet", "Odense", "Odense M", "Campusvej 55", "SDU"),
        ("Aarhus Universitet", "Aarhus", "Aarhus C", "Nordre Ringgade 1", "AU"),
        ("Aalborg Universitet", "Aalborg", "Aalborg Øst", "Fredrik Bajers Vej 5", "AAU"),
    ],
) + _many(
    "university",
    "NO",
    [
        ("Universitetet i Oslo", "Oslo", None, "", "UiO"),
        ("Universitetet i Bergen", "Bergen", None, "", "UiB"),
        ("Norges teknisk-naturvitenskapelige universitet", "Trondheim", None, "", "NTNU"),
        ("UiT Norges arktiske universitet", "Tromsø", None, "", "UiT"),
        ("OsloMet – storbyuniversitetet", "Oslo", None, "", "OsloMet"),
        ("Universitetet i Stavanger", "Stavanger", None, "", "UiS"),
        ("Universitetet i Agder", "Kristiansand", None, "", "UiA"),
        ("Nord universitet", "Bodø", None, "", "Nord"),
    ],
)

GTS_INSTITUTES = _many(
    "gts_institute",
    "DK",
    [
        ("FORCE Technology", "Brøndby", "Brøndby", "Park Allé 345", "FORCE"),
        (
            "Teknologisk Institut",
            "Høje-Taastrup",
            "Taastrup",
            "Gregersensvej 1",
            "Teknologisk Institut",
        ),
    ],
) + _many(
    "gts_institute",
    "NO",
    [
        ("SINTEF", "Trondheim", None, "", "SINTEF"),
        ("NORCE Norwegian Research Centre", "Bergen", None, "", "NORCE"),
    ],
)

UNIVERSITY_COLLEGES = _many(
    "university_college",
    "DK",
    [
        ("VIA University College", "Aarhus", "Aarhus N", "Hedeager 2", "VIA"),
        (
            "UCN – Professionshøjskolen University College Nordjylland",
            "Aalborg",
            "Aalborg Øst",
            "Selma Lagerløfs Vej 2",
            "UCN",
        ),
        ("Københavns Professionshøjskole", "København", None, "", "KP"),
        ("Professionshøjskolen UC SYD", "Esbjerg", None, "", "UC SYD"),
        (
            "UCL Erhvervsakademi og Professionshøjskole",
            "Odense",
            "Odense M",
            "Niels Bohrs Allé 1",
            "UCL",
        ),
        ("Professionshøjskolen Absalon", "Sorø", "Sorø", "Slagelsevej 7", "Absalon"),
    ],
) + _many(
    "university_college",
    "NO",
    [
        ("Høgskulen på Vestlandet", "Bergen", None, "", "HVL"),
        ("VID vitenskapelige høgskole", "Oslo", None, "", "VID"),
        ("Høgskolen i Østfold", "Halden", None, "", "HiØ"),
        ("Høgskolen i Innlandet", "Hamar", None, "", "INN"),
    ],
)

PATIENT_ORGANISATIONS = _many(
    "patient_organisation",
    "DK",
    [
        ("Diabetesforeningen", "Odense"),
        ("Lungeforeningen", "København"),
        ("Kræftens Bekæmpelse", "København", "København Ø", "Strandboulevarden 49"),
        ("Hjerteforeningen", "København"),
        ("Alzheimerforeningen", "København"),
        ("Danske Patienter", "København"),
        ("Ældre Sagen", "København"),
    ],
) + _many(
    "patient_organisation",
    "NO",
    [
        ("Kreftforeningen", "Oslo"),
        ("Diabetesforbundet", "Oslo"),
        ("LHL", "Oslo"),
        ("Nasjonalforeningen for folkehelsen", "Oslo"),
        ("Mental Helse", "Oslo"),
        ("Funksjonshemmedes Fellesorganisasjon", "Oslo"),
    ],
)

# Invented: names made up for the demo, so they get invented registry numbers and streets.
LIVING_LABS = _many(
    "living_lab",
    "DK",
    [
        ("Velfærdsteknologisk Living Lab Odense", "Odense"),
        ("Sundhedsinnovationslab Aalborg", "Aalborg"),
        ("Testlejligheden Aarhus", "Aarhus"),
        ("Borgernær Living Lab Sønderborg", "Sønderborg"),
        ("Living Lab Nordsjælland", "Hillerød"),
        ("Plejecenterlab Næstved", "Næstved"),
        ("Demenslab Vejle", "Vejle"),
    ],
    invented=True,
) + _many(
    "living_lab",
    "NO",
    [
        ("Helselab Trondheim", "Trondheim"),
        ("Omsorgslab Drammen", "Drammen"),
        ("Velferdsteknologisk testarena Stavanger", "Stavanger"),
        ("Smarthjemmet Kristiansand", "Kristiansand"),
        ("Helseinnovasjonslab Bergen", "Bergen"),
    ],
    invented=True,
)

INVESTORS = _many(
    "investor",
    "DK",
    [
        ("Nordhavn Health Ventures ApS", "København"),
        ("Sundhedskapital Fyn A/S", "Odense"),
        ("Limfjord Life Invest ApS", "Aalborg"),
        ("Kattegat Medtech Partners ApS", "Aarhus"),
        ("Øresund Care Capital A/S", "Gentofte"),
    ],
    invented=True,
) + _many(
    "investor",
    "NO",
    [
        ("Fjordkapital Helse AS", "Oslo"),
        ("Nordlys Health Invest AS", "Tromsø"),
        ("Vestlandet Medtech Ventures AS", "Bergen"),
    ],
    invented=True,
)

INSTITUTIONS = (
    REGIONS
    + HOSPITALS
    + UNIVERSITIES
    + GTS_INSTITUTES
    + UNIVERSITY_COLLEGES
    + PATIENT_ORGANISATIONS
    + LIVING_LABS
    + INVESTORS
)


def municipality_org_name(country: str, name: str) -> str:
    """'Odense Kommune', 'Københavns Kommune', 'Bergen kommune'."""
    if country == "NO":
        return f"{name} kommune"
    special = {"København": "Københavns Kommune", "Bornholm": "Bornholms Regionskommune"}
    return special.get(name, f"{name} Kommune")


# The company every SME demo login belongs to: hand-written so guides can refer to it.
SHOWCASE_SME = {
    "name": "Faldvagt ApS",
    "municipality": "Odense",
    "town": "Odense C",
    "street": "Forskerparken 10",
    "theme": "fall",
    "readiness_level": 7,
    "employees": 14,
    "founded": 2019,
    "description": (
        "Faldvagt udvikler en diskret sensor til loftet, der opdager fald i borgerens hjem uden "
        "kamera og straks sender besked til hjemmeplejen. Løsningen er afprøvet i flere fynske "
        "kommuner og er klar til udbredelse. Vi søger kommuner og plejecentre, der vil være med "
        "til at dokumentere effekten på antallet af indlæggelser efter fald."
    ),
}
