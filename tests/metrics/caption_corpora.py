"""Seeded caption generators for the coco-caption metric tests (no data files needed).

* :func:`everyday` — COCO-like captions (casing, final periods, commas, clitics, numbers);
* :func:`adversarial` — words glued to punctuation of every kind, brackets, quotes, clitics,
  abbreviations, numbers, URLs, SGML, unicode, emoji, odd whitespace and line-break characters;
* :func:`tricky` — short captions of the pieces where a token or a look-ahead crosses a space.
"""

from __future__ import annotations

import random

from mmbench.metrics._ptb.tokenizer import ptb_tokenize

WORDS = (
    "a an the man woman dog cat street table pizza riding sitting on of in with two three red "
    "large small people bus train giraffe kitchen while next to near top plate food water sky "
    "building bear surfer wave frisbee field grass bowl"
).split()
SPECIAL = (
    "cannot Cannot gonna gotta lemme gimme wanna 'tis 'twas c++ C# f# can't won't don't it's I'm "
    "they're we've you'll he'd dog's dogs' o'clock y'all rock'n'roll ma'am 'em '90s 'til cont'd "
    "nor'easter c'mon Cap'n c'est O'Neil d'Artagnan l'amour Dunkin' somethin' ol' ain't "
    "shouldn't've isn’t it’s don`t n't 's 're 'll 've 'd 'm S&P-500 S&Ls AT&T A&P R&D &amp; "
    "&lt; &gt; &quot; &apos; &nbsp; &mdash; &ndash; &HT; &#123; &eacute; caf&eacute; -LRB- -rrb- "
    "pro- anti- C.D.s e.g. i.e. U.S. u.s. U.S.A. a.m. p.m. Mr. mr. Mrs. Dr. St. Ave. Jr. Inc. Co. "
    "Corp. Ltd. etc. al. vs. Jan. Sept. Mon. Calif. Mass. mass. Ga. La. la. Pa. No. no. fig. "
    "Fig. ca. pp. op. art. Pty. PTY. Ph.D. Ed.D a.k.a. Alex. Wm. cf. Non-U.S. U.S.-U.K. x. I. A. "
    "Z. b. est. sq. tel. Bros. Bldg. bldg. Mt. Ft. Univ. Intl. Natl. Mfg. Dept."
).split()
PUNCT = (
    list(".,;:!?")
    + "!!! ?! ... .. . . . … -- --- ---- ----- — – - ( ) [ ] { } < > << >> \" '' `` ` ' ‘ ’ “ ” « »"
    " ‚ „ ‹ › / \\ * ** \\* @ # ## _ __ % & ~ ^ | = + $ ¢ £ € ¥ ¤ § © ® ° ± × ÷ • · ¡ ¿ 。 、 † ‰ ™"
    " → ∀ ½ ¼ ¾ ⅓ ⅔ ⅕ ² ³ ¹ ⁴ ₂ :) ;) :-) :( :D :P =) ;-P :o) <3 ^_^ (^-^) ^.^ o_O -_- (:".split()
)
NUMS = (
    "5 42 3.5 1,000 1,000,000 2.5% $5 $3.50 US$5 C$10 #1 3/4 1/2 2-3/4 12/31/2014 1-2-99 3:30 "
    "10:45pm 555-1234 1st 2nd 3rd 4th 80s 1990s -5 +5 007 .5 5. 3-4 24/7 50/50 1x2 4x4 2:1 ٣ ३ ⁵ x²"
).split() + ["1 1/2", "(555) 123-4567", "+1 555 123 4567", "123 456 7890", "1\u00ad000"]
UNI = (
    "café naïve Zürich São Ångström façade über 日本語 東京 한국어 Привет мир Ελλάδα ΟΔΟΣ עברית "
    "العربية हिन्दी ไทย ß İstanbul ǅ ﬁ Ⅻ ⅻ 😀 🐶 👍🏽 🇺🇸 𝔘𝔫𝔦 ℌ ǰ ŉ ʰ"
).split() + list(
    "\u0301\u200b\u200d\ufeff\u00ad\u00a0\t\u3000\u2003\u202f\x7f\x00\x1c\x85\u2028\r\x0b\x0c"
)
URLS = (
    "http://example.com https://www.example.com/path?q=1&b=2. www.google.com google.com "
    "Google.com foo.org/bar x@y.com john.doe@example.co.uk <john@x.com> @user @user_1 #hashtag "
    "#tag123 image.jpg photo.PNG file.tar.gz a.b.c readme.txt 1.jpg x.x"
).split()
SGML = ["<b>", "</b>", "<br/>", "<br />", '<a href="x y">', "<img src='a b.png'>", "<!DOCTYPE x>"]
TRICKY = (
    "a. I. x. U.S. no. No. fig. Pty. PTY. pte. co. etc. Mr. The He A About LTD ltd Lim 5 12 123 "
    "4567 (12) (555) 1/2 3/4 1 - . .. ... . <b> <a href='x y'> <!x > dog cat's don't "
    "http://x.com x@y.com 's '90 $ # Ⅻ ΟΔΟΣ 😀 U.S. S. don't. man's. 't. it’s. ca't. 3. 9's. "
    "a.m. x.y. (no. Fig. "
).split() + ["\r", "\r\n", "\t", "\u00a0", "\u2028", ". ."]


def _piece(rng: random.Random) -> str:
    r = rng.random()
    pool = (
        WORDS if r < 0.45 else SPECIAL if r < 0.6 else PUNCT if r < 0.72 else NUMS
        if r < 0.82 else UNI if r < 0.9 else URLS if r < 0.97 else SGML
    )  # fmt: skip
    w = rng.choice(pool)
    c = rng.random()
    return w.capitalize() if c < 0.15 else w.upper() if c < 0.2 else w


def adversarial(n: int, seed: int) -> list[str]:
    """n captions of 0–20 random pieces glued with spaces, nothing, tabs or no-break spaces."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 10, 12, 15, 20])):
            p = _piece(rng)
            sep = rng.choice([" "] * 12 + ["", "", "  ", "\t", "\u00a0"])
            parts += [p, " " if p in URLS else sep]  # (a URL swallows a following nbsp)
        s = "".join(parts)
        r = rng.random()
        out.append(s.rstrip() + "." if r < 0.3 else s + " ." if r < 0.35 else s)
    return out


def tricky(n: int, seed: int) -> list[str]:
    """n captions of 0–8 pieces from :data:`TRICKY`, joined by 0–2 spaces."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(TRICKY) + rng.choice([" ", " ", " ", "", "  "]) for _ in range(k))
        for k in (rng.randint(0, 8) for _ in range(n))
    ]


def everyday(n_images: int, seed: int, max_refs: int = 5) -> tuple[list[str], list[list[str]]]:
    """COCO-like predictions and 1..max_refs references per image, with edge cases mixed in.

    Predictions are often a reference with words dropped (so scores are not all near 0); some
    are empty, one word, or a word repeated; some captions hold unicode or punctuation.
    """
    rng = random.Random(seed)
    extra = ["t-shirt", "man's", "it's", "(2)", "café", "über", "3", "don't", "UK", "x-ray"]

    def caption() -> str:
        words = [rng.choice(WORDS + extra[: rng.randint(0, len(extra))]) for _ in range(3, 14)]
        words = words[: rng.randint(1, len(words))]
        s = " ".join(words)
        if rng.random() < 0.2:
            s = s.replace(" ", ", ", 1)
        s = s[:1].upper() + s[1:] if rng.random() < 0.7 else s
        return s + rng.choice([".", ".", "", " .", "!"])

    refs = [[caption() for _ in range(rng.randint(1, max_refs))] for _ in range(n_images)]
    preds = []
    for rs in refs:
        r = rng.random()
        if r < 0.05:
            preds.append("")
        elif r < 0.1:
            preds.append(rng.choice(WORDS))
        elif r < 0.15:
            preds.append(" ".join([rng.choice(WORDS)] * rng.randint(2, 6)))
        elif r < 0.75:
            words = rng.choice(rs).split()
            preds.append(" ".join(w for w in words if rng.random() < 0.8))
        else:
            preds.append(caption())
    return preds, refs


def tokenised(preds, refs):
    """Pre-tokenised corpus (our tokenizer) with hand-made edge cases appended."""
    p = ptb_tokenize(preds)
    flat = ptb_tokenize([r for rs in refs for r in rs])
    r, k = [], 0
    for rs in refs:
        r.append(flat[k : k + len(rs)])
        k += len(rs)
    p += ["", "dog", "dog dog dog dog", "a b c d e", "a", "ünïcödé wörds here", "x"]
    r += [["a dog"], ["dog"], ["dog", "dog dog"], ["a b c d e"] * 5, [""], ["ünïcödé wörds"], ["y"]]
    return p, r
