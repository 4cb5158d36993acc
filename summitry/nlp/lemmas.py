"""The model's rule lemmatizer, with every answer remembered.

spaCy's rule lemmatizer caches only some of its answers (not those of base forms), and on a
miss it tests candidate forms with `in` against lists of tens of thousands of words: on news it
took about an eighth of the pipeline's time. The lists become `IndexedList`s (the same lists,
whose `in` looks in a set). Its answer is a function of the token's text, POS
and morphology alone (those are its own cache key), so this component asks the model's
lemmatizer once per (text, POS, morphology) and remembers the lemma for the rest of the
process. Tokens already given a lemma (by the attribute rules) keep it, as they do with the
model's lemmatizer unless it is set to overwrite; the lemmas are the model's, token for token.

Registered as `summitry_lemmas`; `build_pipeline` puts it in place of the model's lemmatizer,
which stays loaded (disabled) and answers the misses.
"""
from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

# remembered lemmas stop growing here (a process reading endless feeds keeps bounded memory)
MAX_REMEMBERED = 500_000


class IndexedList(list):
    """A list whose membership test is a set look-up (the same answers, in constant time)."""

    def __init__(self, items):
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._members


class RememberingLemmatizer:
    def __init__(self, lemmatizer: Lemmatizer):
        self.lemmatizer = lemmatizer
        if lemmatizer.lookups.has_table("lemma_index"):
            table = lemmatizer.lookups.get_table("lemma_index")
            for pos in list(table.keys()):
                # keys are the hashes of the POS names: written back under the same key
                table[pos] = IndexedList(table[pos])
        self.lemmas: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not self.lemmatizer.overwrite:
                continue
            key = (orth, pos, morph)
            found = self.lemmas.get(key)
            token = doc[i]
            if found is None:
                found = self.lemmatizer.lemmatize(token)[0]
                if len(self.lemmas) < MAX_REMEMBERED:
                    self.lemmas[key] = found
            token.lemma_ = found
        return doc


@Language.factory("summitry_lemmas", default_config={"source": "lemmatizer"})
def make_remembering_lemmatizer(nlp: Language, name: str, source: str):
    return RememberingLemmatizer(nlp.get_pipe(source))
