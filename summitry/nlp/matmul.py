"""The model's matrix products through numpy's BLAS, on one thread.

thinc computes the products of the model's layers (the two token-to-vector networks, the
parser's and the recogniser's input layers) with the `blis` library. On this project's
machines (x86-64, AVX2) numpy's OpenBLAS computes the same products 2.5-4 times faster on one
core, and those products are about a third of the pipeline's time. `use_numpy_matmul` gives
every layer of a loaded pipeline an `Ops` whose `gemm` is `numpy.matmul`; everything else
(including the parser's and recogniser's step loops, which call BLAS from C) is thinc's.

The products are the same up to the order of floating-point additions (last-bit differences),
below anything the model's decisions turn on: on the development set, the held-out set and 200
news articles every token's tag, lemma, dependency and entity is the same as with `blis`
(docs/benchmarks.md), and so is every record.

OpenBLAS would use every core for a large product; an extracting process uses one (parallel
ingest runs one process per core), so the BLAS thread pool of the process is limited to one
thread when the pipeline is built.
"""
from __future__ import annotations

import numpy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits


class MatmulOps(NumpyOps):
    """thinc's CPU operations, with matrix products by numpy (OpenBLAS) instead of blis."""

    def gemm(self, x, y, out=None, trans1: bool = False, trans2: bool = False):
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


def use_numpy_matmul(nlp: Language) -> None:
    """Give every layer of the pipeline's models `MatmulOps`; one BLAS thread in this process."""
    threadpool_limits(limits=1, user_api="blas")
    ops = MatmulOps()
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if isinstance(layer.ops, NumpyOps):  # not a GPU's
                layer.ops = ops
