"""The model's attribute rules (tag -> POS, morphology and lemma exceptions), applied faster.

The model's `attribute_ruler` runs spaCy's Matcher over every token with about 180 patterns,
several of them with Python-level predicates (IN, NOT_IN, REGEX): on news it took about a
seventh of the whole pipeline's time. Its patterns are all fixed sequences of one or two tokens
over TAG, LOWER, DEP and IS_SPACE, so they can be looked up by tag or lower-case form instead of
tried one by one. This component reads the loaded ruler's own patterns and attributes (nothing is
copied from the model by hand), finds the same matches, and sets the attributes with the same
spaCy function in the same order (later patterns win), so every token ends with exactly the
POS, MORPH, LEMMA and DEP the ruler gives it. A pattern of any other shape makes it run the
model's ruler itself instead (`FastAttributes.fallback`).

Registered as `summitry_attributes`; `build_pipeline` puts it in place of the model's ruler,
which stays loaded (disabled) as the source of the patterns.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# the token attributes the patterns may test, as columns of `Doc.to_array`
COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
# the columns a pattern is filed under, most selective first
FILED_BY = ("LOWER", "DEP", "TAG", "IS_SPACE")

# a test on one column of a token's row: (column, test(value) -> bool)
Check = tuple[int, Callable[[int], bool]]


class Unsupported(ValueError):
    """A pattern this component cannot apply exactly: the model's ruler runs instead."""


def _fixed_values(value) -> list[int] | None:
    """The values (string ids) a test allows, when it lists them (exact or IN); else None."""
    if isinstance(value, bool):
        return [int(value)] if value else None  # IS_SPACE: True (False would match most tokens)
    if isinstance(value, str):
        return [get_string_id(value)]
    if isinstance(value, dict) and list(value) == ["IN"]:
        return [get_string_id(s) for s in value["IN"]]
    return None


class FastAttributes:
    def __init__(self, ruler: AttributeRuler):
        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.fallback = False
        # first-token look-ups: each pattern is filed under one value its first token must have
        # (its lower-case form, else its dependency label, tag or being a space), so that a
        # token is tried only against the few patterns filed under its own values;
        # `general` holds the rest (tried at every token)
        self.index: list[dict[int, list[tuple[int, list[list[Check]]]]]] = [{} for _ in COLUMNS]
        self.general: list[tuple[int, list[list[Check]]]] = []
        try:
            for number, entry in enumerate(ruler.patterns):
                for pattern in entry["patterns"]:
                    self._add(number, pattern)
        except Unsupported:
            self.fallback = True

    def _add(self, number: int, pattern: list[dict]) -> None:
        compiled = [[self._check(key, value) for key, value in spec.items()] for spec in pattern]
        first = pattern[0]
        for key in FILED_BY:
            values = _fixed_values(first.get(key))
            if values is not None:
                for v in values:
                    self.index[COLUMNS[key]].setdefault(v, []).append((number, compiled))
                return
        self.general.append((number, compiled))

    def _check(self, key: str, value) -> Check:
        if key not in COLUMNS:
            raise Unsupported(key)
        column = COLUMNS[key]
        if key == "IS_SPACE":
            if not isinstance(value, bool):
                raise Unsupported(f"{key}: {value!r}")
            return column, (lambda v, want=int(value): v == want)
        if isinstance(value, str):
            return column, (lambda v, want=get_string_id(value): v == want)
        if not isinstance(value, dict) or len(value) != 1:
            raise Unsupported(f"{key}: {value!r}")
        (op, arg), = value.items()
        if op == "IN":
            wanted = frozenset(get_string_id(s) for s in arg)
            return column, wanted.__contains__
        if op == "NOT_IN":
            unwanted = frozenset(get_string_id(s) for s in arg)
            return column, (lambda v: v not in unwanted)
        if op == "REGEX":
            # the Matcher's REGEX predicate: re.search on the attribute's string
            return column, self._regex(re.compile(arg))
        raise Unsupported(f"{key}: {value!r}")

    def _regex(self, pattern: re.Pattern) -> Callable[[int], bool]:
        seen: dict[int, bool] = {}

        def test(v: int) -> bool:
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = bool(pattern.search(self.strings[v] if v else ""))
            return hit
        return test

    @staticmethod
    def _matches(rows: list[list[int]], start: int, compiled: list[list[Check]]) -> bool:
        for k, checks in enumerate(compiled):
            row = rows[start + k]
            for column, test in checks:
                if not test(row[column]):
                    return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        if self.fallback:
            return self.ruler(doc)
        rows = doc.to_array(ARRAY_ATTRS).tolist()
        n = len(rows)
        index, general = self.index, self.general
        matches: list[tuple[int, int]] = []  # (pattern number, token the attributes go to)
        for start, row in enumerate(rows):
            candidates = [c for column, filed in enumerate(index) for c in filed.get(row[column], ())]
            for number, compiled in candidates + general if general else candidates:
                if start + len(compiled) <= n and self._matches(rows, start, compiled):
                    at = self.ruler.indices[number]
                    matches.append((number, start + (at if at >= 0 else len(compiled) + at)))
        # the ruler sorts its matches by pattern number: a later pattern overrides an earlier one
        matches.sort()
        for number, i in matches:
            set_token_attrs(doc[i], self.ruler.attrs[number])
        return doc


@Language.factory("summitry_attributes", default_config={"source": "attribute_ruler"})
def make_fast_attributes(nlp: Language, name: str, source: str):
    return FastAttributes(nlp.get_pipe(source))
