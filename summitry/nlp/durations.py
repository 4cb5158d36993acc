"""Planned and actual length of a meeting, from phrases such as "the scheduled
thirty-minute chat", "scheduled for 30 minutes but lasted for 2 hours and 15
minutes", "lasted more than two hours". Plain text in, minutes out."""
from __future__ import annotations

import re

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "half": 0.5,
}
NUMBER = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty(?:-five)?|fifty|sixty|ninety)"
AMOUNT = rf"{NUMBER}(?:\s+and\s+a\s+half)?[\s-]+(?:hours?|minutes?|mins?)(?:\s+and\s+a\s+half|\s+and\s+{NUMBER}[\s-]+minutes?)?"
SCHEDULED = re.compile(
    rf"\b(?:scheduled|planned|slated|expected|supposed|set)\s+(?:to\s+last\s+|for\s+)?(?:(?:just|only|about|around|some)\s+)?({AMOUNT})"
    rf"|\b(?:scheduled|planned|slated)\s+({NUMBER}[\s-]+(?:hour|minute))\b",
    re.I)
QUALIFIER = r"(?:(?:more than|over|about|around|nearly|almost|roughly|some|just over|just under|well over)\s+)?"
ACTUAL = re.compile(
    rf"\b(?:lasted|lasting|ran|went on|stretched|ended up lasting|continued)\s+(?:for\s+)?{QUALIFIER}({AMOUNT})"
    rf"|\bafter\s+{QUALIFIER}({AMOUNT})\s+of\s+(?:talks|negotiations|meetings?|discussions)",
    re.I)


def to_minutes(phrase: str) -> int | None:
    """'2 hours and 15 minutes' -> 135; 'an hour and a half' -> 90; 'thirty-minute' -> 30."""
    total, found = 0.0, False
    for m in re.finditer(rf"({NUMBER})(\s+and\s+a\s+half)?[\s-]+(hours?|minutes?|mins?)(\s+and\s+a\s+half)?", phrase, re.I):
        number, half_before, unit, half_after = m.groups()
        value = NUMBER_WORDS.get(number.lower())
        value = float(number) if value is None else value
        value += 0.5 if (half_before or half_after) else 0
        total += value * (60 if unit.lower().startswith("hour") else 1)
        found = True
    return round(total) if found else None


def scheduled_and_actual_minutes(text: str) -> tuple[int | None, int | None]:
    scheduled = actual = None
    m = SCHEDULED.search(text)
    if m:
        scheduled = to_minutes(m.group(1) or m.group(2) + "s")
    m = ACTUAL.search(text)
    if m:
        actual = to_minutes(m.group(1) or m.group(2))
    return scheduled, actual
