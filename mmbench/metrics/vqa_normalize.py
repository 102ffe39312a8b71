"""Answer normalisation of the official VQA evaluation (GT-Vision-Lab/VQA ``vqaEval.py``).

Our own implementation of the published rules, quirks included (Antol et
al., "VQA: Visual Question Answering", ICCV 2015, and its evaluation script):

- clean-up: ``\\n``/``\\t`` → space, then ``str.strip()``;
- punctuation: 21 ASCII characters are deleted or replaced by a space, decided per character on
  the *original* string (deleted if it occurs next to a space, or if the string holds
  digit-comma-digit anywhere); then the first 32 periods not followed by a digit are deleted
  (the official code passes ``re.UNICODE`` = 32 as the ``count`` argument);
- digits/articles: lowercase, split on whitespace, number words ``none``/``zero``…``ten`` →
  digits, drop ``a``/``an``/``the``, map whole tokens through the 120-key contraction table
  (whose capitalised keys ``Im``, ``Ive``… can never match).

Normalised strings are cached: answers repeat a lot across a dataset.
"""

from __future__ import annotations

import re

# The 21 characters handled by punctuation processing (`'`, `:`, `.` and non-ASCII are not).
PUNCTUATION = ';/[]"{}()=+\\_-><@`,?!'
_DIGIT_COMMA_DIGIT = re.compile(r"\d,\d")
# The official pattern "(?!<=\d)(\.)(?!\d)" has a look-ahead where a look-behind was meant; the
# look-ahead always succeeds before a ".", so only "not followed by a digit" matters.
_PERIOD = re.compile(r"\.(?!\d)")
_PERIOD_COUNT = 32  # == re.UNICODE, passed positionally as `count` in the official code

NUMBER_WORDS = {
    "none": "0",
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
ARTICLES = frozenset({"a", "an", "the"})

# "key>value" pairs, sorted by key; reproduced as data from the official table (quirks kept:
# capitalised keys, "somebody'd" → "somebodyd", "let's"/"she's" → themselves).
_CONTRACTION_PAIRS = """
'ow'sat>'ow's'at 'ows'at>'ow's'at I'dve>I'd've Id've>I'd've Im>I'm Ive>I've aint>ain't
arent>aren't cant>can't couldn'tve>couldn't've couldnt>couldn't couldnt've>couldn't've
couldve>could've didnt>didn't doesnt>doesn't dont>don't hadn'tve>hadn't've hadnt>hadn't
hadnt've>hadn't've hasnt>hasn't havent>haven't he'dve>he'd've hed>he'd hed've>he'd've
hes>he's howd>how'd howll>how'll hows>how's isnt>isn't it'dve>it'd've itd>it'd
itd've>it'd've itll>it'll let's>let's maam>ma'am mightn'tve>mightn't've mightnt>mightn't
mightnt've>mightn't've mightve>might've mustnt>mustn't mustve>must've neednt>needn't
notve>not've oclock>o'clock oughtnt>oughtn't ow's'at>'ow's'at shant>shan't she'dve>she'd've
she's>she's shed've>she'd've shouldn'tve>shouldn't've shouldnt>shouldn't
shouldnt've>shouldn't've shouldve>should've somebody'd>somebodyd somebody'dve>somebody'd've
somebodyd've>somebody'd've somebodyll>somebody'll somebodys>somebody's
someone'dve>someone'd've someoned>someone'd someoned've>someone'd've someonell>someone'll
someones>someone's something'dve>something'd've somethingd>something'd
somethingd've>something'd've somethingll>something'll thats>that's there'dve>there'd've
thered>there'd thered've>there'd've therere>there're theres>there's they'dve>they'd've
theyd>they'd theyd've>they'd've theyll>they'll theyre>they're theyve>they've twas>'twas
wasnt>wasn't we'dve>we'd've wed've>we'd've werent>weren't weve>we've whatll>what'll
whatre>what're whats>what's whatve>what've whens>when's whered>where'd wheres>where's
whereve>where've who'dve>who'd've whod>who'd whod've>who'd've wholl>who'll whos>who's
whove>who've whyll>why'll whyre>why're whys>why's wont>won't wouldn'tve>wouldn't've
wouldnt>wouldn't wouldnt've>wouldn't've wouldve>would've y'all'dve>y'all'd've
y'alld've>y'all'd've y'allll>y'all'll yall>y'all yall'd've>y'all'd've yall'll>y'all'll
you'dve>you'd've youd>you'd youd've>you'd've youll>you'll youre>you're youve>you've
"""
CONTRACTIONS: dict[str, str] = dict(
    pair.split(">", 1) for pair in _CONTRACTION_PAIRS.split()
)  # 120 keys


def clean_answer(text: str) -> str:
    """Step 1, always applied: tabs and newlines become spaces, then strip."""
    if "\n" in text or "\t" in text:
        text = text.replace("\n", " ").replace("\t", " ")
    return text.strip()


# The 21 characters are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character,
# so deleting or replacing them in the UTF-8 bytes is the same as doing it character by character.
_PUNCT_BYTES = PUNCTUATION.encode()
_TO_SPACE = bytes.maketrans(_PUNCT_BYTES, b" " * len(_PUNCT_BYTES))
_PUNCT_CLASS = b"[" + re.escape(_PUNCT_BYTES) + b"]"
_NEXT_TO_SPACE = re.compile(_PUNCT_CLASS + b"(?= )|(?<= )" + _PUNCT_CLASS)  # "p " or " p"


def process_punctuation(text: str) -> str:
    """Delete or space out the 21 punctuation characters, then strip up to 32 periods.

    A character is deleted if it stands next to a space anywhere in the original string, or if
    the string holds digit-comma-digit anywhere; otherwise every occurrence becomes a space.
    Deciding on the original string makes the order of the characters irrelevant, so one
    ``bytes.translate`` does the work of the official per-character loop.
    """
    raw = text.encode("utf-8", "surrogatepass")
    gone = raw.translate(None, _PUNCT_BYTES)
    if len(gone) != len(raw):  # some of the 21 occur
        if _DIGIT_COMMA_DIGIT.search(text) is not None:
            raw = gone
        elif b" " in raw and (spaced := _NEXT_TO_SPACE.findall(raw)):
            raw = raw.translate(_TO_SPACE, b"".join(spaced))  # those next to a space: deleted
        else:
            raw = raw.translate(_TO_SPACE)
        text = raw.decode("utf-8", "surrogatepass")
    if "." in text:
        text = _PERIOD.sub("", text, count=_PERIOD_COUNT)
    return text


# One lookup per token: number word → digit, article → "" (dropped), contraction → its form.
# Valid because no number word, digit or article is a contraction key.
_TOKEN_MAP: dict[str, str] = {**CONTRACTIONS, **NUMBER_WORDS, **dict.fromkeys(ARTICLES, "")}
_MAPPED = frozenset(_TOKEN_MAP)


def process_digit_article(text: str) -> str:
    """Lowercase, map number words, drop articles, map contractions, join with spaces."""
    words = text.lower().split()
    if _MAPPED.isdisjoint(words):  # the common case: nothing to map or drop
        return " ".join(words)
    get = _TOKEN_MAP.get
    return " ".join(filter(None, [get(w, w) for w in words]))


class _Cleaned(dict):
    """``raw → clean_answer(raw)``, computed on a miss (a plain dict lookup on hits).

    The work sits in ``__missing__`` itself: on data where most strings are new, a call less per
    string is a good part of the time. Both caches are emptied by :func:`bound_caches` once they
    pass ``LIMIT`` entries, so memory stays bounded in long runs.
    """

    def __missing__(self, key: str) -> str:
        if "\n" in key or "\t" in key:
            value = self[key] = key.replace("\n", " ").replace("\t", " ").strip()
        else:
            value = self[key] = key.strip()
        return value


class _Normalized(dict):
    """``cleaned → process_digit_article(process_punctuation(cleaned))``, computed on a miss."""

    def __missing__(self, key: str) -> str:
        value = self[key] = process_digit_article(process_punctuation(key))
        return value


LIMIT = 1 << 20
CLEANED = _Cleaned()  # raw answer → cleaned
NORMALIZED = _Normalized()  # cleaned answer → normalised


def bound_caches() -> None:
    """Empty a cache that has grown past ``LIMIT`` entries (call before a batch of lookups)."""
    for cache in (CLEANED, NORMALIZED):
        if len(cache) > LIMIT:
            cache.clear()


def normalize_answer(text: str) -> str:
    """The full official normalisation of one answer (clean-up, punctuation, digits/articles)."""
    bound_caches()
    return NORMALIZED[CLEANED[text]]


def clear_caches() -> None:
    CLEANED.clear()
    NORMALIZED.clear()
