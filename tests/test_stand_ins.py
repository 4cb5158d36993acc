"""The faster stand-ins for the model's attribute ruler, lemmatizer and matrix products."""
from __future__ import annotations

import numpy
import pytest
from spacy.attrs import DEP, LEMMA, MORPH, POS

from summitry.nlp import STAND_INS, build_pipeline
from summitry.nlp.attributes import FastAttributes
from summitry.nlp.lemmas import IndexedList

# invented sentences with the constructions the ruler's patterns test: auxiliaries and main
# verbs (have/do/be), pronouns by case, determiners used as pronouns, "ain't", "gonna",
# "let's", existential "there is", subordinators, clipped forms, line breaks between paragraphs
SENTENCES = [
    "The president said that she had met her counterpart twice, and that they would meet again.",
    "He doesn't think it's over: \"We ain't gonna give up,\" he told them. Let's see.",
    "There is no deal yet.\n\nThat was what everyone expected, though nobody said so.",
    "I'd have done it myself if you had asked me; those are the rules, and this is mine.",
    "Somethin' happened in Norland's capital once: ministers were being briefed while talks went on.",
    "Did the leaders sign it? They did, but only after the envoys had gotten tired of waiting.",
]

ATTRS = [POS, MORPH, LEMMA, DEP]


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


def annotate(nlp, texts, *, stand_ins: bool):
    model = list(STAND_INS)
    summitry = [n for n in nlp.component_names if n.startswith("summitry_") and n not in STAND_INS.values()]
    if stand_ins:
        disable = summitry + model
    else:
        disable = summitry + list(STAND_INS.values())
        for name in model:
            nlp.enable_pipe(name)
    try:
        with nlp.select_pipes(disable=disable):
            return [d.to_array(ATTRS) for d in nlp.pipe(texts)]
    finally:
        for name in model:
            nlp.disable_pipe(name)


def test_stand_ins_replace_the_model_components(nlp):
    for model, stand_in in STAND_INS.items():
        assert model in nlp.disabled and stand_in in nlp.pipe_names
        assert nlp.pipe_names.index(stand_in) < nlp.pipe_names.index("summitry_quotes")
    assert not nlp.get_pipe("summitry_attributes").fallback  # the model's patterns are all supported


def test_same_annotations_as_the_model_components(nlp):
    ours = annotate(nlp, SENTENCES, stand_ins=True)
    theirs = annotate(nlp, SENTENCES, stand_ins=False)
    for text, a, b in zip(SENTENCES, ours, theirs):
        assert numpy.array_equal(a, b), text


def test_a_pattern_of_another_shape_runs_the_model_ruler(nlp):
    class Ruler:  # a ruler with a pattern over an attribute the stand-in does not index
        vocab = nlp.vocab
        patterns = [{"patterns": [[{"SHAPE": "Xxxx"}]], "attrs": {"POS": "X"}, "index": 0}]
        indices = [0]
        attrs = [{}]
        called = 0

        def __call__(self, doc):
            self.called += 1
            return doc

    ruler = Ruler()
    stand_in = FastAttributes(ruler)
    assert stand_in.fallback
    stand_in(nlp.make_doc("Some text."))
    assert ruler.called == 1


def test_indexed_list_is_the_same_list():
    words = IndexedList(["meet", "talk", "summit"])
    assert list(words) == ["meet", "talk", "summit"] and words == ["meet", "talk", "summit"]
    assert "talk" in words and "walk" not in words


def test_numpy_products_equal_thinc_products():
    from thinc.api import NumpyOps

    from summitry.nlp.matmul import MatmulOps

    rng = numpy.random.default_rng(0)
    x = rng.random((7, 5), dtype="float32")
    y = rng.random((5, 3), dtype="float32")
    ours, thinc = MatmulOps(), NumpyOps()
    assert numpy.allclose(ours.gemm(x, y), thinc.gemm(x, y), rtol=1e-5)
    assert numpy.allclose(ours.gemm(x, y.T.copy(), trans2=True), thinc.gemm(x, y.T.copy(), trans2=True), rtol=1e-5)
    assert numpy.allclose(ours.gemm(x.T.copy(), y, trans1=True), thinc.gemm(x.T.copy(), y, trans1=True), rtol=1e-5)
    out = numpy.zeros((7, 3), dtype="float32")
    assert ours.gemm(x, y, out=out) is out and numpy.allclose(out, thinc.gemm(x, y), rtol=1e-5)
    assert ours.gemm(x, y).dtype == numpy.float32


def test_the_model_layers_use_numpy_products(nlp):
    from summitry.nlp.matmul import MatmulOps

    for name in ("tok2vec", "tagger", "parser", "ner"):
        assert all(isinstance(layer.ops, MatmulOps) for layer in nlp.get_pipe(name).model.walk())
