"""summitry: a sourced, queryable record of leader-level diplomacy, built from news articles."""

__version__ = "0.1.0"

# Stored on every extracted record: bump when extraction rules change, so that
# records made by an older extractor can be told apart (and re-extracted).
EXTRACTOR_VERSION = "rules-0.4.0"
