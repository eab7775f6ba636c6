"""Danish CVR numbers and Norwegian organisasjonsnummer: modulus-11 checks, no ORM."""

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)
ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise(raw: str) -> str:
    """Strip the spaces, dots and dashes people type and 'DK'/'NO'/'MVA' decorations."""
    value = (raw or "").strip().upper()
    for prefix in ("DK", "NO"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    value = value.removesuffix("MVA")
    return "".join(ch for ch in value if ch not in " .-\u00a0")


def is_valid_cvr(value: str) -> bool:
    """A CVR number: 8 digits, not starting with 0, weighted sum divisible by 11."""
    if len(value) != 8 or not value.isdigit() or value[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(value, CVR_WEIGHTS, strict=True)) % 11 == 0


def is_valid_orgnr(value: str) -> bool:
    """An organisasjonsnummer: 9 digits, starts with 8 or 9, modulus-11 control digit."""
    if len(value) != 9 or not value.isdigit() or value[0] not in "89":
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:8], ORGNR_WEIGHTS, strict=True)) % 11
    control = 0 if remainder == 0 else 11 - remainder
    return control != 10 and control == int(value[8])


def cvr_check_digit_fix(first_seven: str) -> str | None:
    """Complete seven digits to a valid CVR number, or None when no eighth digit can."""
    partial = sum(int(d) * w for d, w in zip(first_seven, CVR_WEIGHTS[:7], strict=True))
    last = (-partial) % 11
    return None if last == 10 else first_seven + str(last)


def orgnr_check_digit_fix(first_eight: str) -> str | None:
    """Complete eight digits to a valid organisasjonsnummer, or None when impossible."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORGNR_WEIGHTS, strict=True)) % 11
    control = 0 if remainder == 0 else 11 - remainder
    return None if control == 10 else first_eight + str(control)
