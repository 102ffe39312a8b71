"""``PorterStems`` gives exactly nltk's ``PorterStemmer().stem`` (the stems rouge-score uses)."""

from __future__ import annotations

import random
import string

from nltk.stem.porter import PorterStemmer

from mmbench.metrics._impl.porter_stem import PorterStems
from tests.metrics.test_rouge import WORDS

# Every suffix the Porter steps look at (and some they must not), in the spelling they need.
SUFFIXES = (
    "s ss sses ies ied eed ed ing ly y e ee ll l ational tional enci anci izer iser bli abli "
    "alli entli eli ousli ization isation ation ator alism iveness fulness ousness aliti iviti "
    "biliti logi fulli lessli icate ative alize alise iciti ical ful ness al ance ence er ic "
    "able ible ant ement ment ent sion tion ion ou ism ate iti ous ive ize ise at bl iz"
).split()
ROOTS = (
    "walk run hop fil fail happi rel connect gener agree feed troubl siz motor plaster sky "
    "die lie tie news inning outing canning howe proceed exceed succeed cri fli tri ski yes "
    "y yy yyy a ab abc oat bo eye say play toy caress poni cat rate conflat hiss fizz"
).split()


def vocabulary(seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = {w.lower() for w in WORDS} | set(ROOTS)
    words |= {r + s for r in ROOTS for s in SUFFIXES}
    words |= {r + s + t for r in ROOTS[:20] for s in SUFFIXES[:12] for t in SUFFIXES[:12]}
    letters = string.ascii_lowercase + "aeiouy" * 3
    for _ in range(8000):
        root = "".join(rng.choices(letters, k=rng.randint(1, 8)))
        words.add(root + rng.choice(SUFFIXES) * rng.randint(0, 2))
    words |= {"".join(rng.choices("ay1e", k=rng.randint(1, 6))) for _ in range(500)}
    return sorted(words)


def test_equals_nltk_stem_on_a_varied_vocabulary():
    stem, ours = PorterStemmer().stem, PorterStems()
    words = vocabulary()
    assert len(words) > 12_000
    for pass_ in range(2):  # the second pass reads the memo
        bad = [(w, ours(w), stem(w)) for w in words if ours(w) != stem(w)]
        assert not bad, f"pass {pass_}: {len(bad)} differ, e.g. {bad[:5]}"
    # every step is guarded by its endings; those read from nltk are the ones in the paper
    endings = [suffixes for _, suffixes in ours._steps]
    assert all(endings)
    assert endings[0] == ("sses", "ies", "ss", "s") and endings[2] == ("y",)
    assert endings[-1] == ("ll",) and "ational" in endings[3] and "ement" in endings[5]


def test_upper_case_short_words_and_irregular_forms():
    stem, ours = PorterStemmer().stem, PorterStems()
    for w in ("Skies", "DYING", "news", "Is", "as", "AS", "x", "", "Running", "CARESSES"):
        assert ours(w) == stem(w), w
