from __future__ import annotations

import time

from apps.consultations.icd10 import (
    AZ_DATA_FILE,
    icd10_lookup,
    icd10_search,
    icd10_size,
    icd10_title_az,
)


def test_the_full_who_code_list_is_loaded() -> None:
    # 2,050 three-character categories and 10,196 subcategories of ICD-10 (2019)
    assert icd10_size() > 12_000


def test_a_code_is_found_with_or_without_its_dot_and_in_any_case() -> None:
    for typed in ("J06.9", "j069", " J06.9 "):
        found = icd10_lookup(typed)
        assert found is not None and found.code == "J06.9"
        assert found.title == "Acute upper respiratory infection, unspecified"


def test_chapters_blocks_and_unknown_codes_are_not_codable() -> None:
    assert icd10_lookup("J00-J06") is None
    assert icd10_lookup("X") is None
    assert icd10_lookup("Q99.99") is None


def test_typing_a_code_prefix_lists_that_code_first_then_its_subcodes() -> None:
    codes = [c.code for c in icd10_search("J06")]
    assert codes[:3] == ["J06", "J06.0", "J06.8"]


def test_typing_words_finds_titles_containing_every_word() -> None:
    results = icd10_search("essential hypertension")
    assert "I10" in [c.code for c in results]
    assert all(
        "essential" in c.title.casefold() and "hypertension" in c.title.casefold() for c in results
    )


def test_results_are_limited_and_an_empty_query_finds_nothing() -> None:
    assert len(icd10_search("a")) == 20
    assert icd10_search("   ") == []


def test_a_search_takes_a_few_milliseconds() -> None:
    icd10_size()  # the index is built once per process
    queries = ["diabetes", "J4", "acute sinus", "fracture of femur", "zzzz"]
    started = time.perf_counter()
    for _ in range(20):
        for query in queries:
            icd10_search(query)
    per_search = (time.perf_counter() - started) / (20 * len(queries))
    # under 1 ms here; generous so a loaded CI machine does not fail it
    assert per_search < 0.05


# -- the Azerbaijani titles, synonyms and lay terms (data/icd10_az.tsv) ------------------


def _az_rows() -> list[list[str]]:
    lines = AZ_DATA_FILE.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    assert rows[0] == ["code", "title_az", "synonyms_az", "lay_en"]
    return rows[1:]


def test_the_azerbaijani_file_names_real_codes_once_each_with_a_title() -> None:
    rows = _az_rows()
    assert len(rows) >= 1_500  # the most used codes of primary care and hospital
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    for row in rows:
        assert len(row) == 4, row
        found = icd10_lookup(row[0])
        assert found is not None and found.code == row[0], f"{row[0]} is not an ICD-10 code"
        assert row[1].strip(), f"{row[0]} has no Azerbaijani title"


def test_azerbaijani_words_find_codes_with_or_without_azerbaijani_letters() -> None:
    for typed in ("hipertoniya", "Hipertenziya", "yüksək qan təzyiqi", "yuksek qan tezyiqi"):
        assert "I10" in [c.code for c in icd10_search(typed)], typed


def test_lay_english_terms_find_codes() -> None:
    for typed, code in (("high blood pressure", "I10"), ("overweight", "E66.9"), ("flu", "J11.1")):
        assert code in [c.code for c in icd10_search(typed, limit=100)], typed


def test_the_words_of_the_issue_find_their_codes() -> None:
    for typed, code in (
        ("hipertoniya", "I10"),
        ("şəkərli diabet", "E11"),
        ("seker diabet", "E11"),
        ("II tip şəkərli diabet", "E11.9"),
        ("faringit", "J02.9"),
        ("kəskin faringit", "J02"),
        ("qastrit", "K29"),
        ("sidik yollari infeksiyasi", "N39.0"),
    ):
        assert code in [c.code for c in icd10_search(typed, limit=100)], typed


def test_words_match_in_any_order() -> None:
    assert "I10" in [c.code for c in icd10_search("tezyiqi yuksek")]
    assert "J01" in [c.code for c in icd10_search("sinusitis acute")]


def test_the_exact_code_comes_first_then_titles_starting_with_the_words() -> None:
    assert icd10_search("I10")[0].code == "I10"
    results = icd10_search("acute")
    starting = [c.title.casefold().startswith("acute") for c in results]
    assert starting == sorted(starting, reverse=True) and starting[0]


def test_a_found_code_carries_its_azerbaijani_title() -> None:
    found = icd10_lookup("I10")
    assert found is not None and found.title_az == "Essensial (birincili) hipertenziya"
    assert icd10_title_az("I10") == found.title_az
    assert icd10_title_az("no such code") == ""
