"""Slugs that keep Danish and Norwegian letters readable: æ -> ae, ø -> oe, å -> aa (Ærø ->
aeroe, Læsø -> laesoe, København -> koebenhavn), as in domain names, where Django's `slugify`
drops æ and ø and turns å into a. Every slug the portal makes comes from here. Slugs made before
(stored in SlugRedirect by migration 0013) answer with a permanent redirect to the new ones
(network.middleware.OldSlugRedirectMiddleware)."""

from django.utils.text import slugify as django_slugify

_SPELLED_OUT = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ǿ": "oe", "Ǿ": "Oe"}
)


def spell_out(text: str) -> str:
    """Danish/Norwegian letters spelled out in ASCII."""
    return str(text).translate(_SPELLED_OUT)


def slugify(text: str) -> str:
    """Django's slugify after spelling out æ, ø and å: 'DK-Ærø' -> 'dk-aeroe'."""
    return django_slugify(spell_out(text))


def old_slugify(text: str) -> str:
    """The slug the portal made before (letters dropped): for finding slugs to rewrite."""
    return django_slugify(text)


# --- Rewriting the slugs made before (migration 0013) ------------------------------------------
# (kind, model name, text the slug was made from, the length the slug was cut to)
SLUGGED = (
    ("organisation", "Organisation", lambda o: o.name, 192),
    ("municipality", "Municipality", lambda m: f"{m.country}-{m.name}", 50),
    ("region", "Region", lambda r: f"{r.country}-{r.name}", 50),
    ("tag", "Tag", lambda t: t.name, 90),
)


def _made_from(slug: str, base: str) -> str | None:
    """The numeric suffix ('-2', or '') when `slug` is `base` as the old code made it."""
    if slug == base:
        return ""
    head, _, number = slug.rpartition("-")
    if head == base and number.isdigit():
        return f"-{number}"
    return None


def rewrite_lost_letters(models: dict, SlugRedirect) -> dict[str, int]:  # noqa: N803 - historical
    """Give every row whose slug the old code made from a name with æ, ø or å (and so lost or
    flattened those letters) the slug made now, unique among its model's slugs, and record the
    old one in SlugRedirect. Slugs people chose themselves are left alone. Idempotent.
    `models`: {model name: model class}, historical models in a migration."""
    changed = {}
    for kind, name, text_of, cut in SLUGGED:
        model = models[name]
        rows = list(model._base_manager.all())
        taken = {row.slug for row in rows}
        n = 0
        for row in rows:
            text = text_of(row)
            if spell_out(text) == text:
                continue
            old_base, new_base = old_slugify(text)[:cut], slugify(text)[:cut]
            suffix = _made_from(row.slug, old_base)
            if suffix is None or old_base == new_base:
                continue
            new, counter = new_base, 2
            while new in taken:
                new = f"{new_base}-{counter}"
                counter += 1
            SlugRedirect.objects.update_or_create(
                kind=kind, old_slug=row.slug, defaults={"new_slug": new}
            )
            model._base_manager.filter(pk=row.pk).update(slug=new)
            taken.add(new)
            n += 1
        changed[kind] = n
    return changed
