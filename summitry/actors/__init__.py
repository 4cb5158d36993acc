"""Who is who: the actor data (people with dated offices, organisations, countries) and the
registry that resolves a mention ("the Russian president", "Kim", "the Kremlin") to an entry.

    entries.py     the data's entries (Office, Person, Organisation, Country) and `normalise`
    vocabulary.py  the words of office descriptions and titles
    registry.py    `Registry`: look-ups by name, office and date, built once per data file
"""
from .entries import LEADER_OFFICES, OFFICE_KEYS, Country, Office, Organisation, Person, normalise
from .registry import Registry

__all__ = ["LEADER_OFFICES", "OFFICE_KEYS", "Country", "Office", "Organisation", "Person", "Registry",
           "normalise"]
