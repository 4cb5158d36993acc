"""Paragraph breaks are sentence breaks.

News text often has lines without final punctuation (subheads, photo credits,
"Slideshow (6 Images)"); without this the parser glues them to the next
sentence and a subhead becomes the subject of the next paragraph's verb.
Runs before the parser, which keeps boundaries that are already set.
"""
import re

from spacy.language import Language
from spacy.tokens import Doc

from .doc_index import char_span, text_of
from .quotes import paragraph_spans


# "SEOUL/WASHINGTON (Reuters) - ": a dateline ends where the story's first sentence starts
DATELINE = re.compile(r"^[A-Z][A-Z .,/'’-]+(?:\([A-Za-z .]+\))?\s*[-–—]\s+", re.M)


@Language.component("summitry_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    for start, end in paragraph_spans(text_of(doc)):
        m = DATELINE.match(text_of(doc), start, end)
        if m:
            after = char_span(doc, m.end(), m.end() + 1)
            if after is not None and after.start > 0:
                after[0].is_sent_start = True
    return doc


LINK_LINE = re.compile(r"^(More|Read more|Related|See also|Watch|Listen|Also read|Recommended)\b\s*:|"
                       r"[–—-]\s*(video|audio|live|in pictures|podcast)\s*$", re.I)
CAPTION = re.compile(r"REUTERS/|\(AP Photo|Photograph:|Getty Images|AFP/|Photo:|Image copyright|Image caption", re.I)


def is_furniture(paragraph: str) -> bool:
    """Headlines, subheads, link lines and photo captions: page furniture, whose quotations
    are not statements. A headline is a short line without final punctuation."""
    text = paragraph.strip()
    if LINK_LINE.search(text) or CAPTION.search(text):
        return True
    if any(c.isalpha() for c in text) and not any(c.islower() for c in text):
        return True  # an all-capitals subhead
    return len(text.split()) < 25 and text[-1:] not in ".”\"'’)" and not text.endswith(("?”", '?"'))
