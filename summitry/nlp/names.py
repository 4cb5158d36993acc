"""Small helpers on name strings shared by the nlp components (no spaCy here)."""
from __future__ import annotations

import re
import unicodedata

# Words that may stand before a name but are not part of it.
TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "president", "prime", "minister",
    "secretary", "state", "foreign", "sen", "senator", "rep", "representative", "gen", "general",
    "former", "chancellor", "vice", "press", "spokesman", "spokeswoman", "spokesperson", "adviser",
    "advisor", "national", "security", "chairman", "leader", "premier", "king", "queen", "prince",
    "supreme", "ambassador", "governor", "gov", "mayor", "speaker", "defense", "defence", "chief",
    "staff", "senior", "deputy", "democratic", "republican", "u.s.", "us", "then", "late", "the",
    "top", "envoy", "special", "counsel", "lt", "col", "adm", "admiral", "pope", "director",
    "commander", "leader's", "first", "lady", "house", "white", "treasury", "attorney",
}
HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f",
                    "lord": "m", "king": "m", "queen": "f", "prince": "m"}
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def fold(text: str) -> str:
    """Lower-case, without diacritics: for comparing names."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def strip_possessive(text: str) -> str:
    return POSSESSIVE.sub("", text.strip())


def name_words(text: str) -> list[str]:
    """The words of a name mention without leading titles: 'U.S. Secretary of State Mike Pompeo' -> ['Mike', 'Pompeo']."""
    words = strip_possessive(text).replace("\u00a0", " ").split()
    # drop leading titles, and "of" inside a title ("Secretary of State")
    while len(words) > 1 and (fold(words[0]).rstrip(".,") in TITLE_WORDS or fold(words[0]) == "of"
                              or not words[0][:1].isupper()):
        words.pop(0)
    return [w.strip(",") for w in words if w.strip(",")]


def clean_name(text: str) -> str:
    return " ".join(name_words(text))


def honorific_gender(words_before: list[str]) -> str | None:
    for w in reversed(words_before[-2:]):
        g = HONORIFIC_GENDER.get(fold(w).rstrip("."))
        if g:
            return g
    return None
