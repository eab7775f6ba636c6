"""The domain's generic vocabulary: words nearly every profile, need and offer in health and
welfare technology uses, which say nothing about what a text is about ("søger", "løsningen",
"borgere", "hjemme", "pasienter", "digital"). They rank nothing and never appear in an
explanation; they are dropped like stop words.

The list below was learned and then reviewed: `candidates()` ranks words by the share of
documents that use them (run over the large demo and the judged set, see
benchmarks/match_quality.py), and words were kept here only where a person reading them agreed
that they carry no topic. Words that are frequent but do carry one (demens, diabetes, fald,
sensor) stay out of the list. The matcher also drops, per corpus, terms used by more than
`MAX_SHARE` of the documents (TextModel), so a new generic word does not wait for a review.
"""

from collections import Counter
from collections.abc import Iterable

from network.text.normalise import fold, tokens
from network.text.stemming import stem
from network.text.stopwords import ALL as STOP_WORDS

MAX_SHARE = 0.2

REVIEWED = """
    søger søge søg søker søke leder ser seeking looking look want ønsker ønske vil gerne gjerne
    løsning løsningen løsninger løsningene solution solutions løse solve
    test tester teste testing tests afprøve afprøvning afprøver prøve prøver utprøving utprøve
    trial trials pilot piloting pilotprojekt pilotprosjekt
    flere fleire several many more mere mer
    borger borgere borgerne innbygger innbyggere innbyggerne citizen citizens
    hjem hjemme hjemmet hjemmeboende home homes house
    patient patienter patienterne pasient pasienter pasientene patients
    pleje pleie care caring omsorg
    digital digitale digitalt digitally
    år året dag dage dagen dager døgn year years day days daily daglig
    bruge bruger brugere brugerne bruke bruker brukere brukerne use uses used user users using
    hjælpe hjælp hjelpe hjelp help helps helping
    god godt gode bedre bedst best good better well
    mulig mulige mulighed muligheter possible opportunity
    ny nye nyt new
    arbejde arbejder arbeide arbeider jobber work works working
    samarbejde samarbeid samarbeider collaboration partner partnere partners partnerskap
    kommune kommuner kommunen kommunes municipality municipalities
    region regionen regioner
    virksomhed virksomheder bedrift bedrifter selskap company companies firm
    udvikle udvikler udviklet utvikle utvikler utviklet develop develops developed development
    tilbyde tilbyder tilbyr offer offers
    give giver gir gi give gives provide provides
    tid time times hurtig hurtigt raskt quickly fast
    personale personalet ansatte medarbejdere medarbeidere staff employees
    behov needs need
    teknologi teknologien technology technologies
    sundhed helse health sundhedsvæsenet helsetjenesten healthcare
    ældre eldre older elderly
    system systemet systems platform platformen plattform plattformen
    app appen apps
    data
    kvalitet quality
    hverdag hverdagen hverdagens everyday
    del dele deler part
    får få get gets
    kan kunne could
    mindre mindske less reduce reduces reduced
    bl andet annet
    samt eksempel example fx feks eg
    person personer personen people persons
    følge følger følges følg follow follows following
    vise viser viste show shows showed
    trænger trenger trenge needs
    sende sender sendes send sends
    finde finder finne finner find finds
    enkel enkelt enklere simple simpler easier easy
    tidlig tidligt early earlier
    opdage opdager oppdage oppdager oppdages detect detects
    måle måler måles measure measures measured
    registrere registrerer registreres record records
    fortælle forteller tell tells
    advare advarer warn warns
    færre fewer første først first næste neste next klar ready bredere wider broader kortere
    shorter rigtige riktige right real realistisk realistic solid små small
    passe passer fit fits tilpasse tilpasset tilpasses adapt adapted tailor tailored
    arbejdsgang arbejdsgange arbejdsgangene arbeidsgang workflows routines
    kunde kunder kunderne kundene customer customers klient
    erfaring erfaringer erfaringerne erfaringene experience experiences
    tæt tett close closely kontakt contact
    levere leverer leveres deliver delivers delivered
    bygge bygget bygd build built designe designet designed
    forberede forbereder forbereder prepare prepares preparing
    miljø miljøet environment setting drift operation operations
    stifte stiftet etablert founded established
    kommunal kommunale municipal offentlig offentlige public privat private
    udgangspunkt utgangspunkt base based
    testpartner testpartnere testpartnerne deltage deltager deltar participate
    effekt effekten effect effects validere validerer validate
    samle samler samles collect collects koble kobler connect connects
    udbredelse spredning roll out scale scaling
    planlægge planlegge planlegges plan planned
    koncept konceptet konsept konseptet concept idé ide idea
    vækst vekst vækstfase vekstfase growth stage
    værktøj verktøy tool tools tilbud tilbudet services service
    modell model models produkt produktet product products projekt prosjekt project projects
    menneske mennesker people pris price omfang scope sag sak case aim mål
    nordisk nordic labs eget egen own unødige unødvendige unnecessary
"""


# Concepts of the thesaurus that are as generic as the words above in this domain: a text
# that mentions them says little about its topic.
GENERIC_CONCEPTS = frozenset(
    [
        "treatment",
        "older_people",
        "research",
        "evaluation",
        "follow_up",
        "prevention",
        "productivity",
        "workflow",
        "visits",
        "relatives",
        "safety",
        "quality_of_life",
        "independence",
        "wellbeing",
        "investment",
        "training_staff",
        "students",
        "university",
        "export",
        "startup",
        "prototype",
        "trl",
        "procurement",
        "user_research",
        "communication",
        "social_contact",
    ]
)


def _stems(text: str) -> frozenset:
    return frozenset(stem(word) for word in tokens(text))


GENERIC = _stems(REVIEWED)
STOP = _stems(" ".join(STOP_WORDS))
DROPPED = GENERIC | STOP


def is_generic(word: str) -> bool:
    """A word (as written) that is a stop word or generic in this domain."""
    folded = fold(word)
    return folded in STOP_WORDS or stem(folded) in DROPPED


def candidates(texts: Iterable[str], *, share: float = 0.05, top: int = 200) -> list:
    """Stems used by at least `share` of the texts, most frequent first, with one word as
    written and the share: the list a person reviews before a word joins REVIEWED."""
    frequency, example = Counter(), {}
    n = 0
    for text in texts:
        n += 1
        seen = set()
        for word in tokens(text):
            key = stem(word)
            if key in DROPPED or key in seen:
                continue
            seen.add(key)
            example.setdefault(key, word)
        frequency.update(seen)
    return [
        (key, example[key], count / n)
        for key, count in frequency.most_common(top)
        if n and count / n >= share
    ]
