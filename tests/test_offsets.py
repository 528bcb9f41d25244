"""The offset map and edits: the original always rebuilds, offsets always index the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.model import Document
from babelwire.offsets import EditConflict, OffsetMap, apply_edits, make_edit, rebuild_original, sort_edits


def test_apply_and_rebuild_round_trip_with_insertion_deletion_and_replacement():
    text = "annéeLe voyage . Fin«"
    edits = [
        make_edit(text, 5, 5, "glued-sentence", "r", " "),
        make_edit(text, 14, 16, "debris", "r", ""),
        make_edit(text, 20, 21, "quote-mark", "r", " »"),
    ]
    clean = apply_edits(text, edits)
    assert clean == "année Le voyage Fin »"
    assert rebuild_original(clean, edits) == text


def test_offset_map_positions_around_an_insertion():
    text = "annéeLe"
    offsets = OffsetMap(len(text), [make_edit(text, 5, 5, "glued", "r", " ")])
    # `année` ends before the inserted space; `Le` starts after it.
    assert offsets.span_to_clean(0, 5) == (0, 5)
    assert offsets.span_to_clean(5, 7) == (6, 8)
    assert offsets.span_to_original(6, 8) == (5, 7)
    assert offsets.span_to_original(0, 5) == (0, 5)


def test_offset_map_span_covering_a_deletion_maps_to_the_whole_original_stretch():
    text = "Reuters. . Next"
    edit = make_edit(text, 8, 10, "debris", "stray period", "")
    offsets = OffsetMap(len(text), [edit])
    clean = apply_edits(text, [edit])
    assert clean == "Reuters. Next"
    assert offsets.span_to_original(0, len("Reuters.")) == (0, 8)
    assert offsets.span_to_original(clean.index("Next"), len(clean)) == (text.index("Next"), len(text))


def test_overlapping_edits_are_refused():
    text = "abcdef"
    with pytest.raises(EditConflict):
        sort_edits([make_edit(text, 0, 3, "k", "r", ""), make_edit(text, 2, 4, "k", "r", "")])
    with pytest.raises(EditConflict):
        sort_edits([make_edit(text, 2, 2, "k", "r", "x"), make_edit(text, 2, 2, "k", "r", "y")])
    with pytest.raises(EditConflict):
        make_edit(text, 4, 9, "k", "r", "")


def test_document_refuses_an_edit_that_overlaps_one_already_made():
    document = Document(text="hello world")
    assert document.add_edit(0, 5, "k", "r", "HELLO")
    assert not document.add_edit(3, 8, "k", "r", "")
    assert document.clean_text == "HELLO world"


def test_clean_edit_on_text_that_was_already_edited_is_refused():
    document = Document(text="ab  cd")
    assert document.add_edit(2, 4, "whitespace", "r", " ")
    # "b c" in clean text contains the replaced stretch: it cannot be edited again.
    assert document.add_clean_edits([(1, 4, "k", "r", "X")]) == 0
    assert document.add_clean_edits([(4, 5, "k", "r", "D")]) == 1
    assert document.clean_text == "ab cD"


@st.composite
def text_and_edits(draw):
    text = draw(st.text(max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=10)))
    edits, previous_end = [], -1
    for index in range(0, len(cuts) - 1, 2):
        start, end = cuts[index], cuts[index + 1]
        if start <= previous_end:
            continue
        replacement = draw(st.text(max_size=4))
        if start == end and not replacement:
            continue
        edits.append(make_edit(text, start, end, "k", "r", replacement))
        previous_end = end
    return text, edits


@settings(max_examples=300)
@given(text_and_edits())
def test_edits_always_rebuild_the_original(case):
    text, edits = case
    assert rebuild_original(apply_edits(text, edits), edits) == text


@settings(max_examples=300)
@given(text_and_edits(), st.data())
def test_mapped_offsets_always_index_the_texts_and_keep_order(case, data):
    text, edits = case
    clean = apply_edits(text, edits)
    offsets = OffsetMap(len(text), edits)
    assert offsets.clean_length == len(clean)
    a = data.draw(st.integers(0, len(clean)))
    b = data.draw(st.integers(a, len(clean)))
    start, end = offsets.span_to_original(a, b)
    assert 0 <= start <= end <= len(text)
    c = data.draw(st.integers(0, len(text)))
    d = data.draw(st.integers(c, len(text)))
    clean_start, clean_end = offsets.span_to_clean(c, d)
    assert 0 <= clean_start <= clean_end <= len(clean)


@settings(max_examples=300)
@given(text_and_edits())
def test_text_outside_edits_maps_to_identical_text(case):
    text, edits = case
    clean = apply_edits(text, edits)
    offsets = OffsetMap(len(text), edits)
    cursor = 0
    for edit in sort_edits(edits) + [None]:
        stop = edit.start if edit else len(text)
        if stop > cursor:
            clean_start, clean_end = offsets.span_to_clean(cursor, stop)
            assert clean[clean_start:clean_end] == text[cursor:stop]
            assert offsets.span_to_original(clean_start, clean_end) == (cursor, stop)
        if edit:
            cursor = edit.end
