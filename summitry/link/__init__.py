"""The cross-article record's rules: pure functions over records, no database.

    linking.py         meeting reports -> canonical meetings (grouping, ids, agreed values,
                       disagreements)
    reference.py       the reference record of known leader encounters (packaged data)
    factcheck.py       where an article contradicts the reference record (fact flags)
    contradictions.py  accounts of the same meeting that cannot both be true
    commitments.py     what became of a commitment: statuses from later evidence

`summitry.pipeline` runs them over the store.
"""
