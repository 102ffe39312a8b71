"""ROUGE-1/2/L/Lsum against rouge-score 0.1.2 on generated inputs, with and without the stemmer."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest
from rouge_score import rouge_scorer
from rouge_score import tokenize as rs_tokenize

from mmbench.errors import MmbenchError
from mmbench.metrics._impl import rouge_tokenize
from mmbench.metrics._impl.lcs import PackedLines, lcs_length
from mmbench.metrics._impl.rouge_tokenize import RougeTokenizer
from mmbench.metrics.rouge import DEFAULT_TYPES, rouge
from mmbench.registry import METRICS

# Inflections for the stemmer (incl. short words it must leave alone), casing, digits,
# contractions, hyphens, accents and other non-ASCII (café → caf; the Kelvin sign lowercases
# to an ASCII k, İ to i + a combining dot), and tokens that are separators only.
WORDS = (
    "the a cat cats Cat running runs ran was has is generously relational caresses ponies sky "
    "skies happily happiness connection connected connecting agreed feed plastered motoring "
    "sing hopping tanned falling hissing fizzed failing filing conflated troubled sized "
    "it's don't U.S. e-mail co-operate 3.14 2024 x I ABC Zürich café naïve İstanbul \u212aelvin "
    "σοφία 日本語 🙂 -- ... & ( )"
).split()
PUNCT = ("", "", "", ",", ".", "!", "?", ";", ":", '"', "'s")
SEPS = (" ", " ", " ", " ", "  ", "\t", "\n", "\n", "\r\n", "\n\n", "\n \n", " \n", "\n\t")
EDGE = ("", " ", "\n", "\n\n", " \n ", "!!!", "a", "cat", "a\nb", "b\na", "a b\n\nb a", "é")


def text(
    rng: random.Random, max_words: int, vocab: tuple[str, ...] = WORDS, seps: tuple = SEPS
) -> str:
    parts = []
    for _ in range(rng.randint(0, max_words)):
        w = rng.choice(vocab)
        w = rng.choice((w, w, w.lower(), w.upper(), w.title()))
        parts.append(w + rng.choice(PUNCT))
        parts.append(rng.choice(seps))
    return "".join(parts[:-1])


def pairs(seed: int, n: int, max_words: int = 30) -> tuple[list[str], list[str]]:
    """Pairs with a small vocabulary half the time, so repeated tokens force LCS tie-breaks."""
    rng = random.Random(seed)
    preds, refs = [], []
    for _ in range(n):
        vocab = WORDS if rng.random() < 0.5 else tuple(rng.sample(WORDS, rng.randint(1, 5)))
        preds.append(text(rng, max_words, vocab))
        refs.append(text(rng, max_words, vocab))
    return preds, refs


def expected(preds, refs, use_stemmer, types=DEFAULT_TYPES) -> dict[str, np.ndarray]:
    """rouge-score's numbers; reference first, ``score_multi`` for lists of references."""
    scorer = rouge_scorer.RougeScorer(list(types), use_stemmer=use_stemmer)
    cols: dict[str, list[float]] = {}
    for pred, ref in zip(preds, refs):
        s = scorer.score(ref, pred) if isinstance(ref, str) else scorer.score_multi(ref, pred)
        for rt in types:
            cols.setdefault(rt, []).append(s[rt].fmeasure)
            cols.setdefault(f"{rt}_p", []).append(s[rt].precision)
            cols.setdefault(f"{rt}_r", []).append(s[rt].recall)
    return {k: np.asarray(v, dtype=float) for k, v in cols.items()}


def assert_agrees(preds, refs, use_stemmer, types=DEFAULT_TYPES) -> None:
    ours = rouge(preds, refs, use_stemmer=use_stemmer, rouge_types=types)
    exp = expected(preds, refs, use_stemmer, types)
    assert set(ours.per_example) == set(exp)
    for key, values in exp.items():
        np.testing.assert_allclose(ours.per_example[key], values, rtol=0, atol=1e-12, err_msg=key)
        assert ours.scores[key] == pytest.approx(float(np.mean(values)), abs=1e-12)


@pytest.mark.parametrize("use_stemmer", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_agrees_with_rouge_score_on_generated_pairs(seed: int, use_stemmer: bool) -> None:
    preds, refs = pairs(seed, 200)
    assert_agrees(preds, refs, use_stemmer)


@pytest.mark.parametrize("use_stemmer", [False, True])
def test_agrees_on_long_lines(use_stemmer: bool) -> None:
    """Lines far longer than 64 tokens: the LCS rows span several machine words."""
    rng = random.Random(7)

    def long_text() -> str:
        vocab = tuple(rng.sample(WORDS, rng.randint(3, 30)))
        lines = [
            text(rng, 150, vocab, seps=(" ", " ", "  ", "\t")) for _ in range(rng.randint(1, 3))
        ]
        return "\n".join(lines)

    preds = [long_text() for _ in range(6)]
    refs = [long_text() for _ in range(6)]
    assert_agrees(preds, refs, use_stemmer)


def test_agrees_on_edge_cases() -> None:
    combos = list(itertools.product(EDGE, repeat=2))
    preds = [p for p, _ in combos]
    refs = [r for _, r in combos]
    assert_agrees(preds, refs, use_stemmer=False)
    assert_agrees(preds, refs, use_stemmer=True)


@pytest.mark.parametrize("use_stemmer", [False, True])
def test_multiple_references_take_the_best_f_per_type(use_stemmer: bool) -> None:
    rng = random.Random(3)
    preds, singles = pairs(3, 80)
    refs = [[s] + [text(rng, 25) for _ in range(rng.randint(0, 3))] for s in singles]
    # Equal F from different (P, R): the first such reference wins, as with np.argmax.
    preds += ["a b", "a b"]
    refs += [["a", "a b c d", "x"], ["a b c d", "a"]]
    preds += ["", "\n", "!!"]  # predictions without tokens against several references
    refs += [["a b", "c"], ["x\ny", "", "z"], [""]]
    assert_agrees(preds, refs, use_stemmer)


@pytest.mark.parametrize(
    "types", [("rougeLsum",), ("rouge3", "rougeL"), ("rouge9", "rouge1"), ("rougeL", "rougeLsum")]
)
def test_other_rouge_types(types: tuple[str, ...]) -> None:
    preds, refs = pairs(5, 60)
    assert_agrees(preds, refs, use_stemmer=False, types=types)


def test_tokenizer_matches_rouge_score_token_for_token() -> None:
    rng = random.Random(11)
    texts = [text(rng, 40) for _ in range(300)] + list(EDGE)
    scorer_plain = rouge_scorer.RougeScorer(["rouge1"])._tokenizer
    scorer_stem = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)._tokenizer
    rouge_tokenize.clear_stem_cache()
    for t in texts:
        assert RougeTokenizer(False)(t) == scorer_plain.tokenize(t)
        assert RougeTokenizer(True)(t) == scorer_stem.tokenize(t)
        lines = [scorer_stem.tokenize(s) for s in t.split("\n") if s]
        assert RougeTokenizer(True).lines(t) == [toks for toks in lines if toks]


def test_a_stem_that_is_not_a_valid_token_is_dropped(monkeypatch) -> None:
    """Porter never does this, but rouge-score's final ``^[a-z0-9]+$`` filter would catch it."""

    class FakeStemmer:
        def stem(self, token: str) -> str:
            return {"cats": "", "dogs": "d-g", "birds": "bird"}.get(token, token)

    rouge_tokenize.clear_stem_cache()
    tok = RougeTokenizer(True)
    monkeypatch.setattr(tok._cache, "_stem", FakeStemmer().stem)
    for t in ("cats and dogs", "birds, cats\nand dogs", "the dogs"):
        assert tok(t) == rs_tokenize.tokenize(t, FakeStemmer())
    rouge_tokenize.clear_stem_cache()


def test_lcs_read_out_equals_rouge_score_backtrack() -> None:
    """Union of the LCS positions over candidate lines, incl. its tie-breaking, on small
    alphabets where many LCSs exist."""
    rng = random.Random(5)
    for _ in range(3000):
        k = rng.randint(1, 5)
        ref = [rng.choice("abcde"[:k]) for _ in range(rng.randint(0, 14))]
        cands = [
            [rng.choice("abcdef"[: k + 1]) for _ in range(rng.randint(1, 12))]
            for _ in range(rng.randint(1, 4))
        ]
        union = rouge_scorer._find_union([rouge_scorer.lcs_ind(ref, c) for c in cands])
        assert PackedLines(cands).union_positions(ref) == union
        refs = [ref, ref[::-1], ref[: len(ref) // 2]]
        tokens = [
            line[i]
            for line in refs
            for i in rouge_scorer._find_union([rouge_scorer.lcs_ind(line, c) for c in cands])
        ]
        assert PackedLines(cands).union_counts(refs) == Counter(tokens)
        assert lcs_length(ref, cands[0]) == rouge_scorer._lcs_table(ref, cands[0])[-1][-1]


def test_result_shape_fingerprint_and_registry() -> None:
    preds, refs = pairs(9, 10)
    res = rouge(preds, refs, use_stemmer=True)
    keys = {f"{rt}{s}" for rt in DEFAULT_TYPES for s in ("", "_p", "_r")}
    assert set(res.scores) == keys == set(res.per_example)
    assert all(v.shape == (10,) and v.dtype == np.float64 for v in res.per_example.values())
    fp = res.fingerprint
    assert (fp.metric, fp.version, fp.reference) == (
        "rouge",
        "mmbench-rouge/1",
        "rouge-score==0.1.2",
    )
    assert (fp.tokenizer, fp.normalizer) == ("rouge-score-default", "porter-nltk-3.10.4")
    assert rouge(preds, refs).fingerprint.normalizer == "none"
    assert METRICS.get("rouge") is rouge
    empty = rouge([], [])
    assert empty.scores["rougeL"] == 0.0 and empty.per_example["rougeL"].shape == (0,)


def test_user_errors() -> None:
    with pytest.raises(MmbenchError, match="2 predictions but 1 references"):
        rouge(["a", "b"], ["a"])
    with pytest.raises(MmbenchError, match="example 1 has no references"):
        rouge(["a", "b"], [["a"], []])
    with pytest.raises(MmbenchError, match="did you mean 'rougeL'"):
        rouge(["a"], ["a"], rouge_types=["rougel"])
    with pytest.raises(MmbenchError, match="invalid rouge type 'rouge0'"):
        rouge(["a"], ["a"], rouge_types=["rouge0"])
    with pytest.raises(MmbenchError, match="prediction 0 is NoneType"):
        rouge([None], ["a"])  # type: ignore[list-item]


def test_empty_candidate_lines_are_ignored() -> None:
    cands = [["a", "b"], [], ["b", "a", "a"]]
    union = rouge_scorer._find_union([rouge_scorer.lcs_ind(["a", "b", "a"], c) for c in cands])
    assert PackedLines(cands).union_positions(["a", "b", "a"]) == union


NEWS_VOCAB = (
    "said government year people police minister president country officials state city report "
    "week new told time percent million court company group party national security health "
    "members billion support international first last next according political economic market "
    "prices oil bank interest rates inflation growth trade deal talks agreement leader election "
    "vote campaign parliament law bill plan budget tax workers union strike jobs families children "
    "schools hospital doctors patients vaccine cases deaths investigation charges arrested trial "
    "judge protest crowd capital region border troops war ceasefire aid refugees crisis storm "
    "flooding drought climate emissions scientists study research warned announced expected "
    "reported confirmed denied claimed called added made took gave found showed began rose fell"
).split()
NEWS_FUNCTION = (
    "the the the of of to to and and a a in in is was for on that with as by at from it he she "
    "they his her their has have had been were are an be this which but not will would also"
).split()


def news_corpus(seed: int, n: int) -> tuple[list[str], list[str]]:
    """Multi-sentence news-style summaries, one sentence per line (3–6 of 15–30 words on each
    side), Zipf-distributed words, capitals, digits and punctuation; about 5 % of the
    predictions empty (some only whitespace or newlines), predictions rewording reference
    sentences so the LCSs are long."""
    rng = random.Random(seed)
    weights = [1.0 / k for k in range(1, len(NEWS_VOCAB) + 1)]

    def word(topic: list[str]) -> str:
        u = rng.random()
        if u < 0.4:
            return rng.choice(NEWS_FUNCTION)
        if u < 0.44:
            return rng.choice(
                (str(rng.randint(2, 2000)), f"{rng.randint(1, 99)}%", "U.S.", "$3.4m")
            )
        if u < 0.6:
            return rng.choice(topic)
        return rng.choices(NEWS_VOCAB, weights)[0]

    def sentence(topic: list[str]) -> str:
        words = [word(topic) for _ in range(rng.randint(15, 30))]
        words = [w.upper() if rng.random() < 0.01 else w for w in words]
        words = [w + "," if rng.random() < 0.05 else w for w in words]
        return " ".join(words).capitalize() + rng.choice("...?!")

    def reword(s: str, topic: list[str]) -> str:
        out = [word(topic) if rng.random() < 0.15 else w for w in s.split() if rng.random() > 0.2]
        return " ".join(out) or s

    preds, refs = [], []
    for _ in range(n):
        topic = rng.sample(NEWS_VOCAB, 10)
        ref = [sentence(topic) for _ in range(rng.randint(3, 6))]
        if rng.random() < 0.05:
            pred = rng.choice(("", "", " ", "\n", "\n\n", " \n "))
        else:
            lines = [
                reword(rng.choice(ref), topic) if rng.random() < 0.65 else sentence(topic)
                for _ in range(rng.randint(3, 6))
            ]
            pred = rng.choice(("\n", "\n", "\n\n", " \n")).join(lines)
        preds.append(pred)
        refs.append("\n".join(ref))
    return preds, refs


@pytest.mark.parametrize("use_stemmer", [False, True])
def test_agrees_on_a_multi_sentence_news_corpus(use_stemmer: bool) -> None:
    """Long multi-line summaries with empty predictions, where ROUGE-Lsum's summary-level LCS
    over sentence pairs decides the speed: every score equal to rouge-score's to 1e-12."""
    preds, refs = news_corpus(21, 250)
    assert sum(not p.strip() for p in preds) >= 5
    assert_agrees(preds, refs, use_stemmer)
    # the same pairs with several references each (each prediction's work is shared)
    multi = [[r, refs[(i + 1) % len(refs)]] for i, r in enumerate(refs[:60])]
    assert_agrees(preds[:60], multi, use_stemmer)


def test_default_types_path_equals_the_per_type_path() -> None:
    """rouge() scores the four default types in one shared loop and any other selection type by
    type; both give the same numbers (here: the default types in another order)."""
    preds, refs = news_corpus(4, 80)
    p2, r2 = pairs(12, 80)
    preds, refs = preds + p2, refs + r2
    for stem in (False, True):
        fused = rouge(preds, refs, use_stemmer=stem)
        per_type = rouge(preds, refs, use_stemmer=stem, rouge_types=DEFAULT_TYPES[::-1])
        for key, values in fused.per_example.items():
            np.testing.assert_array_equal(per_type.per_example[key], values, err_msg=key)


def test_lcs_and_union_counts_give_rouge_l_and_lsum_inputs() -> None:
    rng = random.Random(8)
    for _ in range(1500):
        k = rng.randint(1, 5)
        cands = [
            [rng.choice("abcdef"[: k + 1]) for _ in range(rng.randint(0, 12))]
            for _ in range(rng.randint(1, 4))
        ]
        refs = [
            [rng.choice("abcdeg"[:k]) for _ in range(rng.randint(0, 14))]
            for _ in range(rng.randint(1, 5))
        ]
        flat = [t for line in refs for t in line]
        packed = PackedLines(cands)
        lcs, counts = packed.lcs_and_union_counts(refs)
        assert lcs == lcs_length(flat, packed.masks)
        assert lcs == rouge_scorer._lcs_table(flat, [t for c in cands for t in c])[-1][-1]
        tokens = [
            line[i]
            for line in refs
            for i in rouge_scorer._find_union([rouge_scorer.lcs_ind(line, c) for c in cands])
        ]
        assert counts == Counter(tokens)
        assert packed.lcs_and_union_counts(refs, flat) == (lcs, counts)
