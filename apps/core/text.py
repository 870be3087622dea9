"""Text as a search box compares it: case and Azerbaijani letters folded.

People type Azerbaijani names on keyboards without ə, ı or ş (and the other way round),
so "ism" must find "İsmayılov" and "eli" "Əliyev". Folding is applied the same way to
the text stored for searching and to what is typed, so typing the exact spelling keeps
finding it.
"""

from __future__ import annotations

#: letters folded before case folding: dotted/dotless I (casefold would turn "İ" into
#: "i" + a combining dot) and the Azerbaijani letters a Latin keyboard lacks
_FOLD = str.maketrans(
    {
        "İ": "i",
        "I": "i",
        "ı": "i",
        "Ə": "e",
        "ə": "e",
        "Ö": "o",
        "ö": "o",
        "Ü": "u",
        "ü": "u",
        "Ğ": "g",
        "ğ": "g",
        "Ş": "s",
        "ş": "s",
        "Ç": "c",
        "ç": "c",
        "\u0307": None,  # a combining dot above, left over from a decomposed "İ"
    }
)


def search_fold(text: str) -> str:
    """``"İsmayılov Əli"`` → ``"ismayilov eli"``: whitespace collapsed, case and the
    Azerbaijani letters folded."""
    return " ".join(text.translate(_FOLD).casefold().translate(_FOLD).split())


#: what precedes every stored word: two spaces, so the start of a word is a trigram even
#: for one letter ("  k"), and a trigram index can answer a word's first letters
WORD_START = "  "


def search_text(*parts: str) -> str:
    """What a model stores for its search box: the parts' words folded, each after
    WORD_START (``"  resad  ismayilov"``); search for a word's start with
    ``word_start(term)``."""
    return "".join(WORD_START + word for word in search_fold(" ".join(parts)).split())


def word_start(term: str) -> str:
    """``"k"`` → ``"  k"``: the pattern of a word beginning with ``term`` in search_text."""
    return WORD_START + term
