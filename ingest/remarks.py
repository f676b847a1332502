"""Identifiers, websites, dates and linked parties in OFAC-style remarks ("Tax ID No. 7704274402 (Russia); ...")."""

from __future__ import annotations

import re
from datetime import datetime
from dataclasses import dataclass, field

from ingest.normalize import NormalizationError, normalize_country

# "<label> <value> (<country>)" identifiers; the label decides the scheme together with the country.
_ID = re.compile(
    r"(?P<label>Tax ID No\.|Registration Number|Registration ID|Government Gazette Number|Legal Entity Number|"
    r"Unified Social Credit Code(?: \(USCC\))?|National ID No\.|Business Registration Number|Company Number|"
    r"UK Company Number|Identification Number|Public Registration Number|Commercial Registry Number|"
    r"Trade License No\.|V\.A\.T\. Number|Vessel Registration Identification IMO|Vessel Registration Identification|Aircraft Tail Number|"
    r"Passport|SWIFT/BIC|Istanbul Chamber of Comm\. No\.|Central Registration System Number)"
    r"\s+(?P<value>[A-Za-z0-9][A-Za-z0-9./-]*)(?:\s+\((?P<country>[^)]+)\))?"
)
_WEBSITE = re.compile(r"(?:alt\. )?Website\s+(\S+?)(?=[;.]?\s|[;.]?$)")
_LINKED = re.compile(r"Linked To:\s*([^;]+?)(?=;|\.$|\.\s|$)")
_ESTABLISHED = re.compile(r"Organization Established Date\s+(\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}|\d{4})")
_DOB = re.compile(r"DOB\s+(\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}|\d{4})")
_AKA = re.compile(r"a\.k\.a\.\s+'([^']+)'")
_NATIONALITY = re.compile(r"nationality\s+([A-Z][A-Za-z ]+?)(?=;|$)")


@dataclass(slots=True)
class RemarkFacts:
    """What the remarks of one list entry say."""

    identifiers: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    established: str | None = None
    birth_date: str | None = None
    country: str | None = None  # from an identifier's country or a nationality


def _country(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return normalize_country(text)
    except NormalizationError:
        return None


def _date(text: str) -> str | None:
    for fmt, out in (("%d %b %Y", "%Y-%m-%d"), ("%b %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(text, fmt).strftime(out)
        except ValueError:
            continue
    return None


def identifier_of(label: str, value: str, country: str | None) -> str:
    """``scheme:value`` for a labelled identifier: Russian tax ID -> inn, Russian 13/15-digit reg. -> ogrn ...

    >>> identifier_of("Tax ID No.", "7704274402", "RU"), identifier_of("Registration ID", "1077799030847", "RU")
    ('inn:7704274402', 'ogrn:1077799030847')
    >>> identifier_of("Tax ID No.", "1234567890", "TR"), identifier_of("Company Number", "01074897", "GB")
    ('vkn:1234567890', 'reg:GB-01074897')
    """
    value = value.rstrip(".")
    digits = value.isdigit()
    if label.startswith("Tax ID") and country in ("RU", None) and digits and len(value) in (10, 12):
        return f"inn:{value}"
    if label.startswith("Tax ID") and country == "TR" and digits:
        return f"vkn:{value}"
    if label.startswith("Registration") and country == "RU" and digits and len(value) in (13, 15):
        return f"ogrn:{value}"
    if label.startswith("Unified Social Credit Code") or (country == "CN" and len(value) == 18 and not digits):
        return f"uscc:{value.upper()}"
    if label == "Legal Entity Number":
        return f"lei:{value.upper()}"
    if label.endswith(" IMO") and digits:
        return f"imo:{value.removeprefix('IMO').strip()}"
    return f"reg:{country or 'XX'}-{value}"


def parse_remarks(text: str | None) -> RemarkFacts:
    """Facts from an OFAC remarks cell (identifiers as ``scheme:value``).

    >>> facts = parse_remarks("Tax ID No. 7704274402 (Russia); Website www.rostec.ru; Linked To: ROSTEC.")
    >>> facts.identifiers, facts.websites, facts.linked_to, facts.country
    (['inn:7704274402'], ['www.rostec.ru'], ['ROSTEC'], 'RU')
    """
    facts = RemarkFacts()
    if not text:
        return facts
    for m in _ID.finditer(text):
        if m.group("label") in ("Passport", "SWIFT/BIC", "Aircraft Tail Number"):
            continue  # not registry identifiers of companies
        country = _country(m.group("country"))
        facts.identifiers.append(identifier_of(m.group("label"), m.group("value"), country))
        facts.country = facts.country or country
    facts.websites = [w.rstrip(".;") for w in _WEBSITE.findall(text)]
    facts.linked_to = [n.strip().rstrip(".") for n in _LINKED.findall(text) if n.strip()]
    facts.aliases = _AKA.findall(text)
    if m := _ESTABLISHED.search(text):
        facts.established = _date(m.group(1))
    if m := _DOB.search(text):
        facts.birth_date = _date(m.group(1))
    if facts.country is None and (m := _NATIONALITY.search(text)):
        facts.country = _country(m.group(1))
    facts.identifiers = list(dict.fromkeys(facts.identifiers))
    return facts
