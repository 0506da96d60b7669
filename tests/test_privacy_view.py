"""privacy.view's fast path (str.translate when every character is one character of the view)
against the character-by-character reading it replaces, on generated and stored text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sangkien.checks import privacy

# Vietnamese letters (precomposed and decomposed), digits, separators, hidden characters, lone
# combining marks, characters NFKC expands or turns into digits, Greek/Cyrillic look-alikes.
ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 .,-/@()+:\n\t") + [
    "á", "ờ", "Ữ", "ệ", "a\u0301", "e\u0302\u0323", "\u0301", "\u0323", "\u200b", "\u00ad", "\ufeff", "\u2060",
    "ﬁ", "①", "²", "½", "０", "９", "ǆ", "İ", "ß", "Σ", "о", "\u00a0", "\u3000", "ｚ", "™"]


def reference(text: str) -> tuple[str, list[int]]:
    """The character-by-character view (positions always listed)."""
    parts: list[str] = []
    pos: list[int] = []
    after_letter = False
    for i, c in enumerate(text):
        out, kind = privacy._char(c)
        if kind == 3:
            continue
        if kind == 2:
            if after_letter:
                continue
            out = c
        after_letter = kind == 1 or (kind == 2 and after_letter)
        parts.append(out)
        pos.extend([i] * len(out))
    return "".join(parts), pos


def same(text: str) -> None:
    shown, pos = privacy.view(text)
    expected, places = reference(text)
    assert shown == expected
    assert (pos if pos is not None else list(range(len(text)))) == places
    if pos is None:
        assert len(shown) == len(text)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_view_equals_the_character_by_character_reading(text: str) -> None:
    same(text)


def test_plain_vietnamese_takes_the_fast_path_and_hidden_characters_do_not() -> None:
    plain = "Công chức Một cửa gọi 0912 345 678 để báo kết quả."
    assert privacy.view(plain)[1] is None
    same(plain)
    for odd in ("Gọi 09\u200b12 345 678", "cu\u0309a", "ﬁle số ①", "số ０９１２"):
        shown, pos = privacy.view(odd)
        assert pos is not None or len(shown) == len(odd)
        same(odd)
