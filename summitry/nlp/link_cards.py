"""Hover cards of linked names, blanked before anything reads the text.

Some sites link every politician's name to a profile, and the scraped text keeps the link's
hover card inline: the name as the story gives it, then the person's full name run into the
titles of three related stories, then "MORE":

    President Trump Donald John TrumpSenators balk at trial 'We will win,' governor says MORE said ...

The card is not the article's: its headlines hold quotations ('We will win,') that would
become statements, names that would become speakers or meeting participants, and it parts a
subject from its verb ("President Trump ... said"). It is found by its shape, not by site:
a capitalised word, then one to five capitalised words (or a bracketed nickname) ending with
the same word again (the full name echoing the surname just given), then, in the same
paragraph, the word "MORE" standing alone. The card (full name to "MORE") is replaced by
spaces, one for one, so that every offset into the text stays an offset into the article as
stored; a text without cards is returned as it came.
"""
from __future__ import annotations

import re

# "MORE" alone: after a space, before a space, punctuation, a possessive or the end
_MORE = re.compile(r"(?<= )MORE(?=[\s.,;:!?)\]'’\"”]|$)")
# the surname, then the full name ending with it again; a word of the full name is
# capitalised ("Donald", "Jr.", "O'Rourke") or a bracketed nickname ("(Bill)"); the echo may
# run into the first headline ("TrumpSenators"), but not on into a longer lowercase word
_NAME_ECHO = re.compile(
    r"\b([A-Z][\w'’-]+) ((?:(?:[A-Z][\w'’.-]*|\([A-Z][\w'’.-]*\)) ){1,5})\1(?![a-z])")
# where a capitalised word starts
_WORD_START = re.compile(r"(?<![\w'’-])[A-Z]")
# a card is the titles of a few stories: longer than a name, shorter than a paragraph
MIN_CARD_CHARS, MAX_CARD_CHARS = 25, 700


def card_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each hover card: from its full name to the end of its "MORE"."""
    if "MORE" not in text:  # most text: nothing to look for
        return []
    spans: list[tuple[int, int]] = []
    for more in _MORE.finditer(text):
        floor = max(spans[-1][1] if spans else 0, text.rfind("\n", 0, more.start()) + 1,
                    more.start() - MAX_CARD_CHARS)
        start = _full_name_start(text, floor, more.start())
        if start is not None and more.end() - start >= MIN_CARD_CHARS:
            spans.append((start, more.end()))
    return spans


def _full_name_start(text: str, floor: int, ceiling: int) -> int | None:
    """Where the card's full name starts, between floor and ceiling, or None.

    Echoes overlap: "Leader Charles Schumer Charles (Chuck) Ellis SchumerOvernight ..." has
    "Charles Schumer Charles" and "Schumer Charles (Chuck) Ellis Schumer". The full name run
    into the first headline ("SchumerOvernight") is the card's; without such a join, the last
    echo, since the name as linked ends with the surname the full name ends with."""
    echoes = [m for m in (_NAME_ECHO.match(text, w.start(), ceiling)
                          for w in _WORD_START.finditer(text, floor, ceiling)) if m]
    if not echoes:
        return None
    joined = [m for m in echoes if m.end() < ceiling and not text[m.end()].isspace()]
    return (joined[0] if joined else echoes[-1]).start(2)


def blank_link_cards(text: str) -> str:
    """`text` with its hover cards replaced by spaces (the same length, offsets kept)."""
    spans = card_spans(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)
