"""A slow, literal transcription of the published VQA accuracy rules (``vqaEval.py``).

Written for the tests and the benchmark only: it follows the rules step by step in the most
straightforward way (string replace per character, regex with count 32, the 10×9 leave-one-out
loop over annotator indices), so that the fast :mod:`mmbench.metrics.vqa` can be checked
against it. Also holds a seeded generator of varied, tricky answers.
"""

from __future__ import annotations

import random
import re

CONTRACTIONS = {
    "aint": "ain't",
    "arent": "aren't",
    "cant": "can't",
    "couldve": "could've",
    "couldnt": "couldn't",
    "couldn'tve": "couldn't've",
    "couldnt've": "couldn't've",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "dont": "don't",
    "hadnt": "hadn't",
    "hadnt've": "hadn't've",
    "hadn'tve": "hadn't've",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hed": "he'd",
    "hed've": "he'd've",
    "he'dve": "he'd've",
    "hes": "he's",
    "howd": "how'd",
    "howll": "how'll",
    "hows": "how's",
    "Id've": "I'd've",
    "I'dve": "I'd've",
    "Im": "I'm",
    "Ive": "I've",
    "isnt": "isn't",
    "itd": "it'd",
    "itd've": "it'd've",
    "it'dve": "it'd've",
    "itll": "it'll",
    "let's": "let's",
    "maam": "ma'am",
    "mightnt": "mightn't",
    "mightnt've": "mightn't've",
    "mightn'tve": "mightn't've",
    "mightve": "might've",
    "mustnt": "mustn't",
    "mustve": "must've",
    "neednt": "needn't",
    "notve": "not've",
    "oclock": "o'clock",
    "oughtnt": "oughtn't",
    "ow's'at": "'ow's'at",
    "'ows'at": "'ow's'at",
    "'ow'sat": "'ow's'at",
    "shant": "shan't",
    "shed've": "she'd've",
    "she'dve": "she'd've",
    "she's": "she's",
    "shouldve": "should've",
    "shouldnt": "shouldn't",
    "shouldnt've": "shouldn't've",
    "shouldn'tve": "shouldn't've",
    "somebody'd": "somebodyd",
    "somebodyd've": "somebody'd've",
    "somebody'dve": "somebody'd've",
    "somebodyll": "somebody'll",
    "somebodys": "somebody's",
    "someoned": "someone'd",
    "someoned've": "someone'd've",
    "someone'dve": "someone'd've",
    "someonell": "someone'll",
    "someones": "someone's",
    "somethingd": "something'd",
    "somethingd've": "something'd've",
    "something'dve": "something'd've",
    "somethingll": "something'll",
    "thats": "that's",
    "thered": "there'd",
    "thered've": "there'd've",
    "there'dve": "there'd've",
    "therere": "there're",
    "theres": "there's",
    "theyd": "they'd",
    "theyd've": "they'd've",
    "they'dve": "they'd've",
    "theyll": "they'll",
    "theyre": "they're",
    "theyve": "they've",
    "twas": "'twas",
    "wasnt": "wasn't",
    "wed've": "we'd've",
    "we'dve": "we'd've",
    "weve": "we've",
    "werent": "weren't",
    "whatll": "what'll",
    "whatre": "what're",
    "whats": "what's",
    "whatve": "what've",
    "whens": "when's",
    "whered": "where'd",
    "wheres": "where's",
    "whereve": "where've",
    "whod": "who'd",
    "whod've": "who'd've",
    "who'dve": "who'd've",
    "wholl": "who'll",
    "whos": "who's",
    "whove": "who've",
    "whyll": "why'll",
    "whyre": "why're",
    "whys": "why's",
    "wont": "won't",
    "wouldve": "would've",
    "wouldnt": "wouldn't",
    "wouldnt've": "wouldn't've",
    "wouldn'tve": "wouldn't've",
    "yall": "y'all",
    "yall'll": "y'all'll",
    "y'allll": "y'all'll",
    "yall'd've": "y'all'd've",
    "y'alld've": "y'all'd've",
    "y'all'dve": "y'all'd've",
    "youd": "you'd",
    "youd've": "you'd've",
    "you'dve": "you'd've",
    "youll": "you'll",
    "youre": "you're",
    "youve": "you've",
}
MANUAL_MAP = {
    "none": "0", "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
}  # fmt: skip
ARTICLES = ["a", "an", "the"]
PERIOD_STRIP = re.compile(r"(?!<=\d)(\.)(?!\d)")
COMMA_STRIP = re.compile(r"(\d)(\,)(\d)")
PUNCT = [";", "/", "[", "]", '"', "{", "}", "(", ")", "=", "+", "\\", "_", "-",
         ">", "<", "@", "`", ",", "?", "!"]  # fmt: skip


def process_punctuation(in_text: str) -> str:
    out_text = in_text
    for p in PUNCT:
        if (p + " " in in_text or " " + p in in_text) or (
            re.search(COMMA_STRIP, in_text) is not None
        ):
            out_text = out_text.replace(p, "")
        else:
            out_text = out_text.replace(p, " ")
    return PERIOD_STRIP.sub("", out_text, count=int(re.UNICODE))


def process_digit_article(in_text: str) -> str:
    out = []
    for word in in_text.lower().split():
        word = MANUAL_MAP.setdefault(word, word)
        if word not in ARTICLES:
            out.append(word)
    for i, word in enumerate(out):
        if word in CONTRACTIONS:
            out[i] = CONTRACTIONS[word]
    return " ".join(out)


def clean(text: str) -> str:
    text = text.replace("\n", " ")
    text = text.replace("\t", " ")
    return text.strip()


def question_accuracy(prediction: str, answers: list[str]) -> float:
    """Unrounded accuracy of one question (leave-one-out by annotator index)."""
    gts = [clean(a) for a in answers]
    res = clean(prediction)
    if len(set(gts)) > 1:
        gts = [process_digit_article(process_punctuation(g)) for g in gts]
        res = process_digit_article(process_punctuation(res))
    per_annotator = []
    for i in range(len(gts)):
        others = [gts[j] for j in range(len(gts)) if j != i]
        matching = [g for g in others if g == res]
        per_annotator.append(min(1, float(len(matching)) / 3))
    return float(sum(per_annotator)) / len(per_annotator)


def evaluate(predictions, references, answer_types=None, question_types=None) -> dict:
    """``{"overall", "per_question", "per_answer_type", "per_question_type", "raw"}``."""
    raw = [question_accuracy(p, r) for p, r in zip(predictions, references)]
    groups: dict[str, dict[str, list[float]]] = {"answer": {}, "question": {}}
    for name, labels in (("answer", answer_types), ("question", question_types)):
        for label, acc in zip(labels or [], raw):
            groups[name].setdefault(label, []).append(acc)
    return {
        "overall": round(100 * float(sum(raw)) / len(raw), 2),
        "per_question": [round(100 * a, 2) for a in raw],
        "per_answer_type": {
            k: round(100 * float(sum(v)) / len(v), 2) for k, v in groups["answer"].items()
        },
        "per_question_type": {
            k: round(100 * float(sum(v)) / len(v), 2) for k, v in groups["question"].items()
        },
        "raw": raw,
    }


# ---- random tricky answers -------------------------------------------------------------------
WORDS = [
    "yes", "no", "Yes", "NO", "red", "blue", "t-shirt", "dont", "don't", "Im", "ive", "its",
    "somebody'd", "somebodyd", "none", "zero", "0", "one", "1", "two", "2", "ten", "10",
    "eleven", "twenty", "a", "an", "the", "The", "u.s.", "2.5", ".5", "5.", "1,000", "2,5",
    "10+", "#23", "23", "$5", "5", "black/white", "x - y", "(approx)", "n/a", "a/b/c", "café",
    "Café", "naïve", "日本", "…", "’", "let's", "she's", "yall", "oclock", "Ow's'at", "ow's'at",
    "twas", "it's", "?", "...", "!", "@home", "<b>", "[x]", "{y}", "c++", "e=mc2", "_", "`",
    "İstanbul", "ǅ", "ß", "x:y", "50%", "a&b", "~", "|",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "-", "/", ", ", ",", "."]
AFFIXES = ["", "", "", ".", "?", "!", " ", "\t", "\n", "..", ".....", ",", " .", "(", ")", '"']


def random_answer(rng: random.Random) -> str:
    n = rng.choice([1, 1, 1, 2, 2, 3])
    words = [rng.choice(WORDS) for _ in range(n)]
    text = words[0]
    for w in words[1:]:
        text += rng.choice(SEPARATORS) + w
    if rng.random() < 0.02:
        text = "." * rng.choice([8, 31, 32, 33, 40])
    if rng.random() < 0.2:
        text = text.upper() if rng.random() < 0.5 else text.title()
    return rng.choice(AFFIXES) + text + rng.choice(AFFIXES)


def random_dataset(n: int, seed: int = 0, n_answers: int = 10):
    """``(predictions, references, answer_types, question_types)`` with many near-matches."""
    rng = random.Random(seed)
    preds, refs, atypes, qtypes = [], [], [], []
    for _ in range(n):
        pool = [random_answer(rng) for _ in range(rng.choice([1, 2, 3, 4]))]
        if rng.random() < 0.25:
            answers = [pool[0]] * n_answers  # all identical: the exact, case-sensitive gate
        else:
            answers = [rng.choice(pool) for _ in range(n_answers)]
        pred = rng.choice(pool) if rng.random() < 0.6 else random_answer(rng)
        if rng.random() < 0.2:
            pred = pred.upper() if rng.random() < 0.5 else " " + pred + ".\t"
        preds.append(pred)
        refs.append(answers)
        atypes.append(rng.choice(["yes/no", "number", "other"]))
        qtypes.append(rng.choice(["what is", "how many", "is the", "what color"]))
    return preds, refs, atypes, qtypes
