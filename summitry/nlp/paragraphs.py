"""Paragraph breaks are sentence breaks.

News text often has lines without final punctuation (subheads, photo credits,
"Slideshow (6 Images)"); without this the parser glues them to the next
sentence and a subhead becomes the subject of the next paragraph's verb.
Runs before the parser, which keeps boundaries that are already set.
"""
import re

from spacy.language import Language
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from .doc_index import char_span, text_of
from .quotes import paragraph_spans


# "SEOUL/WASHINGTON (Reuters) - ": a dateline ends where the story's first sentence starts
DATELINE = re.compile(r"^[A-Z][A-Z .,/'’-]+(?:\([A-Za-z .]+\))?\s*[-–—]\s+", re.M)


# A run of this many tokens without a sentence end gets one: the parser's work and the
# components' walks over a sentence grow with its length, and a text without full stops
# (a generated or broken page) would otherwise be one sentence of a million characters.
# Real sentences in news stay far below it.
MAX_SENTENCE_TOKENS = 150
SENTENCE_END = {".", "?", "!", ";"}


@Language.component("summitry_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    # the tokens' texts read once: a Token object per look-up costs more than the test
    texts, spaces = zip(*[(tok.text, tok.whitespace_) for tok in doc]) if len(doc) else ((), ())
    starts = {i for i in range(1, len(texts)) if "\n" in texts[i - 1] or "\n" in spaces[i - 1]}
    for start, end in paragraph_spans(text_of(doc)):
        m = DATELINE.match(text_of(doc), start, end)
        if m:
            after = char_span(doc, m.end(), m.end() + 1)
            if after is not None and after.start > 0:
                starts.add(after.start)
    starts |= forced_breaks(doc, starts, texts=list(texts))
    if starts:
        # one array write: setting Token.is_sent_start checks the whole Doc each time (quadratic)
        marks = doc.to_array([SENT_START])
        for i in starts:
            marks[i] = 1
        doc.from_array([SENT_START], marks)
    return doc


def forced_breaks(doc: Doc, starts: set[int], limit: int = MAX_SENTENCE_TOKENS,
                  texts: list[str] | None = None) -> set[int]:
    """Token indices that start a sentence because `limit` tokens went by without a sentence end
    or a paragraph break; the break goes after the last comma of the run when there is one.
    `texts`: the tokens' texts, when the caller has them already."""
    if texts is None:
        texts = [tok.text for tok in doc]
    forced: set[int] = set()
    run_start, last_comma = 0, None
    for i, text in enumerate(texts):
        if i in starts:
            run_start, last_comma = i, None
        elif i - run_start >= limit:
            cut = last_comma + 1 if last_comma is not None and last_comma + 1 > run_start + limit // 2 else i
            forced.add(cut)
            run_start, last_comma = cut, None
        if text in SENTENCE_END or text in ("”", '"') and i > 0 and texts[i - 1] in SENTENCE_END:
            run_start, last_comma = i + 1, None
        elif text in (",", "—", "–", ":"):
            last_comma = i
    return {i for i in forced if 0 < i < len(doc)}


LINK_LINE = re.compile(r"^(More|Read more|Related|See also|Watch|Listen|Also read|Recommended)\b\s*:|"
                       r"[–—-]\s*(video|audio|live|in pictures|podcast)\s*$", re.I)
CAPTION = re.compile(r"REUTERS/|\(AP Photo|Photograph:|Getty Images|AFP/|Photo:|Image copyright|Image caption|Media caption|Media playback", re.I)


def is_furniture(paragraph: str) -> bool:
    """Headlines, subheads, link lines and photo captions: page furniture, whose quotations
    are not statements. A headline is a short line without final punctuation."""
    text = paragraph.strip()
    if LINK_LINE.search(text) or CAPTION.search(text):
        return True
    if any(c.isalpha() for c in text) and not any(c.islower() for c in text):
        return True  # an all-capitals subhead
    return len(text.split()) < 25 and text[-1:] not in ".”\"'’)" and not text.endswith(("?”", '?"'))
