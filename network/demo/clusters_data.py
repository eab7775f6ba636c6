"""The two networks, their eight clusters and the clusters' membership tiers.

Facts (names, founders, focus areas, budget shares) come from public press material; the
descriptions are written for the demo. Fees are invented but in the range clusters charge.
"""

from dataclasses import dataclass

from network.demo.themes import HEALTH_DATA, NEAR_CITIZEN, PERSONALISED, PREVENTION

NETWORKS = [
    {
        "slug": "danish-healthtech",
        "name": "Danish Healthtech",
        "description": (
            "Danish Healthtech er det landsdækkende innovationsnetværk for sundheds- og "
            "velfærdsteknologi. Fire regionale klynger står bag sammen med fem universiteter og "
            "GTS-institutterne FORCE Technology og Teknologisk Institut, og netværket skal gøre "
            "det lettere for små og mellemstore virksomheder at finde samarbejdspartnere i "
            "kommuner, på hospitaler og i forskningsmiljøer i hele landet.\n\n"
            "Indsatsen samler sig om fire fokusområder: forebyggelse og prædiktiv sundhed, lighed "
            "i sundhed og det nære sundhedsvæsen, bedre brug af sundhedsdata og personaliseret "
            "behandling. Den første toårige periode havde et budget på 28 mio. kr.: 14 mio. kr. "
            "fra Uddannelses- og Forskningsministeriet, 2,8 mio. kr. i regional medfinansiering "
            "og 11,2 mio. kr. fra private partnere."
        ),
    },
    {
        "slug": "norwegian-health-clusters",
        "name": "Norwegian health clusters",
        "description": (
            "De fire nasjonale helseklyngene Norway Health Tech, Oslo Cancer Cluster, Norwegian "
            "Smart Care Cluster og The Life Science Cluster samarbeider om felles saker som "
            "finansiering, eksport og digitalisering av helsetjenestene. Sammen har de rundt 530 "
            "medlemmer i hele landet: bedrifter, kommuner, helseforetak, brukerorganisasjoner, "
            "forsknings- og utdanningsinstitusjoner og investorer.\n\n"
            "Klyngene ønsker å løfte samarbeidet videre i en felles superklynge for helse, "
            "finansiert likt av offentlige og private kilder."
        ),
    },
]


@dataclass(frozen=True)
class ClusterData:
    slug: str
    network: str
    name: str
    short_name: str
    country: str
    regions: tuple  # official region codes
    focus: tuple
    themes: tuple  # themes that make a company choose this cluster where regions overlap
    tiers: tuple  # (name, annual fee, audience: small/company/public)
    description: str
    website: str = ""

    @property
    def currency(self) -> str:
        return "DKK" if self.country == "DK" else "NOK"


CLUSTERS = [
    ClusterData(
        "welfare-tech",
        "danish-healthtech",
        "Welfare Tech",
        "Welfare Tech",
        "DK",
        ("1083", "1085"),
        (NEAR_CITIZEN, PREVENTION),
        (),
        (
            ("Iværksætter", 3000, "small"),
            ("Virksomhed", 9500, "company"),
            ("Offentlig partner", 25000, "public"),
        ),
        "Welfare Tech er en medlemsbaseret klyngeorganisation for sundheds- og "
        "velfærdsteknologi med kontorer i Odense og København. Klyngen skaber innovation og "
        "vækst gennem projekter, konferencer, workshops og matchmaking mellem virksomheder, "
        "kommuner, hospitaler og uddannelsesinstitutioner, og den bærer guldmærket i det "
        "europæiske kvalitetsprogram for klynger (ECEI).",
        "https://www.welfaretech.dk",
    ),
    ClusterData(
        "lifescience-innovation-north-denmark",
        "danish-healthtech",
        "LifeScience Innovation North Denmark",
        "LSI",
        "DK",
        ("1081",),
        (NEAR_CITIZEN, HEALTH_DATA),
        (),
        (("Virksomhedsmedlem", 4000, "company"), ("Offentligt medlem", 15000, "public")),
        "LifeScience Innovation North Denmark samler de nordjyske aktører inden for sundheds- og "
        "velfærdsinnovation. Foreningen blev stiftet i 2017 af Region Nordjylland, de nordjyske "
        "kommuner, Aalborg Universitet, UCN, SOSU Nord og landsdelens virksomheder, og den "
        "bygger bro mellem virksomhedernes løsninger og sundhedsvæsenets behov.",
        "https://www.lifescienceinnovation.dk",
    ),
    ClusterData(
        "medtech-innovation-consortium",
        "danish-healthtech",
        "MedTech Innovation Consortium",
        "MTIC",
        "DK",
        ("1082",),
        (PERSONALISED, PREVENTION),
        (),
        (("Startup", 2500, "small"), ("Virksomhed", 7500, "company"), ("Partner", 20000, "public")),
        "MedTech Innovation Consortium er en forening, hvor Region Midtjylland, Aarhus "
        "Universitet, VIA University College og 16 midtjyske kommuner arbejder sammen om "
        "innovation i sundhedsvæsenet. MTIC hjælper virksomheder med at udvikle og afprøve nye "
        "produkter, koncepter og prototyper sammen med klinikere, kommuner og forskere.",
        "https://www.mtic.dk",
    ),
    ClusterData(
        "copenhagen-healthtech-cluster",
        "danish-healthtech",
        "Copenhagen Healthtech Cluster",
        "CHC",
        "DK",
        ("1084",),
        (HEALTH_DATA, PERSONALISED),
        (),
        (
            ("Startup", 5000, "small"),
            ("Scaleup", 12000, "company"),
            ("Strategisk partner", 40000, "public"),
        ),
        "Copenhagen Healthtech Cluster blev etableret af Region Hovedstaden og Københavns "
        "Kommune for at skabe bedre sundhed og vækst ved at bringe sundhedsvæsenet og "
        "virksomhederne tættere sammen. Klyngen arbejder især med at gøre danske sundhedsdata "
        "nyttige og driver partnerskaber, hvor offentlige aktører, patientforeninger og "
        "virksomheder udvikler løsninger sammen.",
        "https://www.cphhealthtech.dk",
    ),
    ClusterData(
        "norwegian-smart-care-cluster",
        "norwegian-health-clusters",
        "Norwegian Smart Care Cluster",
        "NSCC",
        "NO",
        ("11", "42", "46", "39", "40"),
        (NEAR_CITIZEN, HEALTH_DATA),
        ("fall", "medication", "dementia", "sensors", "care_coordination", "nutrition"),
        (
            ("Gründer", 4000, "small"),
            ("Bedrift", 12000, "company"),
            ("Kommune og offentlig", 20000, "public"),
        ),
        "Norwegian Smart Care Cluster samler kommuner, bedrifter og kunnskapsmiljøer som "
        "utvikler velferdsteknologi og digitale helsetjenester. Klyngen legger til rette for "
        "offentlig-privat samarbeid om løsninger som gjør det tryggere å bo hjemme, og for "
        "raskere digitalisering av helse- og omsorgstjenestene.",
    ),
    ClusterData(
        "norway-health-tech",
        "norwegian-health-clusters",
        "Norway Health Tech",
        "NHT",
        "NO",
        ("03", "32", "31", "33", "34", "15", "50", "18", "55", "56"),
        (HEALTH_DATA, NEAR_CITIZEN, PERSONALISED),
        (),
        (
            ("Oppstart", 6000, "small"),
            ("Bedrift", 18000, "company"),
            ("Offentlig og akademisk", 25000, "public"),
        ),
        "Norway Health Tech er en nasjonal klynge for helseteknologi med medlemmer blant "
        "bedrifter, helseforetak, kommuner, forskningsmiljøer og investorer. Klyngen hjelper "
        "medlemmene med å utvikle, teste og ta i bruk nye løsninger i helsetjenesten og "
        "arbeider for mer eksport fra norsk helsenæring.",
    ),
    ClusterData(
        "oslo-cancer-cluster",
        "norwegian-health-clusters",
        "Oslo Cancer Cluster",
        "OCC",
        "NO",
        ("03", "32"),
        (PERSONALISED, PREVENTION),
        ("cancer_dx", "precision_medicine"),
        (("Bedrift", 15000, "company"), ("Partner", 50000, "public")),
        "Oslo Cancer Cluster er en klynge innen kreftbehandling og kreftdiagnostikk som kobler "
        "forskning, klinikk og industri. Målet er at nye kreftbehandlinger og diagnostiske "
        "verktøy skal nå pasientene raskere.",
    ),
    ClusterData(
        "the-life-science-cluster",
        "norwegian-health-clusters",
        "The Life Science Cluster",
        "TLSC",
        "NO",
        ("03", "32"),
        (PERSONALISED, HEALTH_DATA),
        ("radiology_ai", "mental_health", "cardiology", "maternal_health"),
        (("Oppstart", 5000, "small"), ("Medlem", 15000, "company"), ("Partner", 35000, "public")),
        "The Life Science Cluster samler legemiddel-, medtech- og e-helsebedrifter, sykehus og "
        "akademia rundt helseinnovasjon. Klyngen hjelper gründere og etablerte bedrifter med "
        "nettverk, kompetanse og veien fra idé til marked.",
    ),
]
CLUSTERS_BY_SLUG = {cluster.slug: cluster for cluster in CLUSTERS}
# The cluster an organisation joins when no theme points elsewhere, in order of preference.
DEFAULT_ORDER = [cluster.slug for cluster in CLUSTERS]


def home_clusters(country: str, region_code: str | None, theme_key: str | None) -> list[str]:
    """Clusters an organisation of this region and theme would join, best first."""
    local = [c for c in CLUSTERS if c.country == country]
    matching = (
        [c for c in local if region_code in c.regions]
        or [c for c in local if c.slug == "norway-health-tech"]
        or local[:1]
    )
    themed = [c for c in matching if theme_key and theme_key in c.themes]
    plain = [c for c in matching if not c.themes]
    ordered = themed + plain + [c for c in matching if c not in themed and c not in plain]
    return [c.slug for c in ordered]


def tier_for(cluster: ClusterData, kind: str, employees: int | None) -> tuple[int, str, int]:
    """(position, name, fee) of the tier that suits an organisation of this kind and size."""
    public = {
        "municipality",
        "region",
        "hospital",
        "university",
        "university_college",
        "gts_institute",
        "living_lab",
    }
    if kind in public:
        wanted = "public"
    elif kind == "patient_organisation" or (employees or 0) <= 10:
        wanted = "small"
    else:
        wanted = "company"
    audiences = [tier[2] for tier in cluster.tiers]
    for choice in (wanted, "company", "small", "public"):
        if choice in audiences:
            position = audiences.index(choice)
            name, fee, _ = cluster.tiers[position]
            return position, name, fee
    raise AssertionError(cluster.slug)
