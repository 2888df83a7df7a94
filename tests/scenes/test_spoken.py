"""Every spoken sentence as the voice will hear it: phonemized with piper's own espeak
phonemizer, the one that turns the narration into the sounds the voice makes.

What it catches, each found by listening: a capital letter read as the article "a" ("a linear
map A stretches"), "u" heard as "you" ("draw u uniformly"), and notation the voice cannot
read (θ, σ, subscripts, bars, backslashes).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from math_core.lecture1 import build_lecture
from scenes import narration
from scenes.lecture1 import SCENES_IN_ORDER

VOICE = "en-us"
#: characters the voice reads as it should: ASCII, typographic quotes and dashes, the minus
READABLE = set("’‘“”–—…−")
#: notation that must never reach the voice (spelled out in the spoken form instead)
NOTATION = set("θσφμ_^|\\⁻¹²∼~")
NEGATIVE = re.compile(r"^[−-]\d")


@cache
def phonemizer():  # type: ignore[no-untyped-def]
    from piper.phonemize_espeak import EspeakPhonemizer

    return EspeakPhonemizer()


def phoneme_words(sentence: str) -> list[str]:
    """The sentence's phonemes, one string per word, punctuation stripped."""
    phones = "".join("".join(p) for p in phonemizer().phonemize(VOICE, sentence))
    return [w.strip(".,;:!?") for w in phones.split() if w.strip(".,;:!?")]


def letter_name(letter: str) -> str:
    """How the voice says a letter on its own (``A.`` -> the name, not the article)."""
    return phoneme_words(f"{letter}.")[0]


def spoken_sentences() -> list[tuple[str, str]]:
    """(scene / beat, sentence) for every sentence the voice speaks, numbers filled in."""
    lecture = build_lecture(5)
    out = []
    for cls in SCENES_IN_ORDER:
        for beat, template in cls.narration.items():
            for sentence in narration.sentences(narration.fill(template, lecture)):
                out.append((f"{cls.__name__} / {beat}", sentence.spoken))
    return out


SENTENCES = spoken_sentences()


def problems(sentence: str) -> list[str]:
    """What the voice would get wrong in ``sentence`` (empty: it is heard as meant)."""
    found = []
    symbols = sorted({c for c in sentence if c in NOTATION or (ord(c) > 127 and c not in READABLE)})
    if symbols:
        found.append(f"notation left in the spoken form: {symbols}")
    tokens = [t.strip(".,;:!?()'\"") for t in sentence.split()]
    for i, token in enumerate(tokens):
        if token in ("u", "U"):
            found.append(f"{token!r} as a word is heard as 'you'")
        capital = len(token) == 1 and token.isupper()
        article = token == "A" and i == 0  # "A discriminative model ..."
        named = i > 0 and tokens[i - 1].lower() == "capital"
        if capital and not article and not named:
            found.append(f"a lone capital {token!r}: say 'capital {token}'")
    words = phoneme_words(sentence)
    # Every "a" the voice reduces to the article must be an article in the text.
    articles = sum(t in ("a", "A") and not (i and tokens[i - 1].lower() == "capital")
                   for i, t in enumerate(tokens))  # fmt: skip
    if words.count("ɐ") > articles:
        found.append(f"{words.count('ɐ')} words heard as the article 'a', {articles} written")
    # "capital X" is heard as the letter's name.
    for i, token in enumerate(tokens[:-1]):
        if token.lower() == "capital":
            name = letter_name(tokens[i + 1])
            if name not in words:
                found.append(f"'capital {tokens[i + 1]}' is not heard as {name}")
    # A negative number is read with its minus.
    negatives = sum(bool(NEGATIVE.match(t)) for t in tokens) + tokens.count("minus")
    minus = letter_name("minus")
    if words.count(minus) != negatives:
        found.append(f"{negatives} negative numbers or 'minus', {words.count(minus)} heard")
    return found


@pytest.mark.parametrize(("where", "sentence"), SENTENCES, ids=[w for w, _ in SENTENCES])
def test_every_spoken_sentence_is_heard_as_meant(where: str, sentence: str) -> None:
    assert phoneme_words(sentence), f"{where}: the voice says nothing for {sentence!r}"
    assert problems(sentence) == [], f"{where}: {sentence!r}"


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("First a linear map A stretches the plane.", "a lone capital 'A'"),
        ("Draw u uniformly between zero and one.", "'u' as a word"),
        ("The model p_θ is a Gaussian.", "notation left"),
        ("It averages p(x | z) over z.", "notation left"),
        ("Solve F of x.", "a lone capital 'F'"),
    ],
)
def test_the_check_catches_what_was_heard_wrongly(sentence: str, problem: str) -> None:
    """The mutations: each sentence was (or would be) heard wrongly, and is caught."""
    assert any(p.startswith(problem) for p in problems(sentence)), problems(sentence)


def test_the_article_check_hears_a_capital_read_as_a() -> None:
    """The phonemizer's side on its own: "capital A" passes the word rules, but before a verb
    the voice still reads it as the article, and that is caught; set off by commas it is
    heard by its name."""
    assert problems("First the matrix, capital A, stretches the plane.") == []
    assert problems("First the matrix capital A stretches the plane.") == [
        "1 words heard as the article 'a', 0 written",
        "'capital A' is not heard as ˈeɪ",
    ]
