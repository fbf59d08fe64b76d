"""The loader turns any file into a briefing or precise, located problems."""

from __future__ import annotations

import pytest
from conftest import MINIMAL

from briefing.format import reading as loader
from briefing.format.limits import MAX_BYTES
from briefing.format.reading import parse_briefing
from briefing.storage import briefing_files
from briefing.storage.briefing_files import load_briefing


def only_problem(result):
    assert result.briefing is None
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def line_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where the n-th ``needle`` starts in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def test_minimal_briefing_loads():
    result = parse_briefing(MINIMAL, "mini.toml")
    assert result.ok, [str(p) for p in result.problems]
    assert result.briefing.meta.headline == "Ship breaks down"
    assert [s.id for s in result.briefing.sections] == ["lede", "body"]


def test_sparta_briefing_loads(sparta_path):
    result = load_briefing(sparta_path)
    assert result.ok, [str(p) for p in result.problems]


def test_toml_syntax_error_has_line_and_column(write):
    text = MINIMAL.replace('kind = "military"', 'kind = "military')
    problem = only_problem(load_briefing(write(text)))
    assert problem.line == line_of(text, 'kind = "military')[0]
    assert problem.column > 1
    assert problem.message.startswith("TOML syntax:")
    assert str(problem).startswith(f"{problem.file}:{problem.line}:{problem.column}: error: TOML syntax")


def test_empty_file(write):
    problem = only_problem(load_briefing(write("  \n\n")))
    assert (problem.line, problem.column) == (1, 1)
    assert "empty file" in problem.message
    assert "format = 1" in problem.hint


def test_binary_file(write):
    problem = only_problem(load_briefing(write(b"format = 1\n\x00\x01\x02PNG")))
    assert (problem.line, problem.column) == (2, 1)
    assert "binary" in problem.message


def test_non_utf8_bytes_point_at_the_bad_byte(write):
    problem = only_problem(load_briefing(write('format = 1\n[meta]\nheadline = "caf\xe9"\n'.encode("latin-1"))))
    assert (problem.line, problem.column) == (3, 16)
    assert "UTF-8" in problem.message and "0xe9" in problem.message


def test_oversized_file_is_rejected_without_parsing(write, monkeypatch):
    path = write(b"# " + b"x" * (MAX_BYTES + 10))

    def no_parse(*args, **kwargs):
        raise AssertionError("an oversized file must not reach the parser")

    monkeypatch.setattr(loader, "parse_briefing", no_parse)
    problem = only_problem(load_briefing(path))
    assert "limit" in problem.message and "MiB" in problem.message


def test_size_limit_also_holds_when_stat_cannot_tell(monkeypatch, write):
    path = write(b"# " + b"x" * 100)
    monkeypatch.setattr(briefing_files, "MAX_BYTES", 50)
    problem = only_problem(load_briefing(path))
    assert "limit" in problem.message


def test_wrong_type_names_key_expected_and_found():
    text = MINIMAL.replace('headline = "Ship breaks down"', "headline = 42")
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "meta.headline"
    assert (problem.line, problem.column) == line_of(text, "42")
    assert problem.expected == "a string"
    assert "42" in problem.found


def test_missing_required_field_points_at_its_table():
    text = MINIMAL.replace('name = "The navy"\n', "")
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "actors[0]"
    assert "missing required key `name`" in problem.message
    assert problem.line == line_of(text, "[[actors]]")[0]


def test_unknown_key_is_named_with_a_hint():
    text = MINIMAL.replace('kind = "military"', 'kind = "military"\ncolour = "red"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "actors[0].colour"
    assert "unknown key `colour`" in problem.message
    assert (problem.line, problem.column) == line_of(text, "colour")


def test_unknown_key_close_to_a_real_one_suggests_it():
    text = MINIMAL.replace('owner = "navy"', 'ownr = "navy"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.hint == "did you mean `owner`?"


def test_unknown_top_level_key():
    text = MINIMAL + '\n[[asets]]\nid = "x"\n'
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "asets"
    assert problem.hint == "did you mean `assets`?"
    assert problem.line == line_of(text, "[[asets]]")[0]


def test_unknown_enum_value_lists_choices_and_suggests():
    text = MINIMAL.replace('kind = "military"', 'kind = "goverment"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "actors[0].kind"
    assert "government" in problem.expected and "think_tank" in problem.expected
    assert problem.found == "'goverment'"
    assert problem.hint == "did you mean `government`?"
    assert (problem.line, problem.column) == line_of(text, '"goverment"')


def test_unknown_section_kind():
    text = MINIMAL.replace('kind = "body"', 'kind = "bodie"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "sections[1].kind"
    assert "glance" in problem.expected
    assert problem.hint == "did you mean `body`?"


def test_duplicate_ids():
    text = MINIMAL + '\n[[actors]]\nid = "navy"\nname = "Again"\nkind = "state"\n'
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "actors[1].id"
    assert "duplicate actor id `navy`" in problem.message
    assert (problem.line, problem.column) == line_of(text, '"navy"', 4)


def test_dangling_reference_suggests_the_closest_id():
    text = MINIMAL.replace('owner = "navy"', 'owner = "nav"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "assets[0].owner"
    assert "unknown actor `nav`" in problem.message
    assert problem.hint == "did you mean `navy`?"
    assert (problem.line, problem.column) == line_of(text, '"nav"')


def test_dangling_reference_inside_a_list():
    text = MINIMAL.replace('where = "sea"', 'where = "sea"\nactors = ["navy", "army"]')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "events[0].actors[1]"
    assert (problem.line, problem.column) == line_of(text, '"army"')


def test_bad_date_string():
    text = MINIMAL.replace("date = 2024-12-23", 'date = "2024-13-45"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "events[0].when.date"
    assert problem.message == "invalid date"
    assert (problem.line, problem.column) == line_of(text, '"2024-13-45"')


def test_impossible_toml_date_is_a_syntax_error():
    text = MINIMAL.replace("date = 2024-12-23", "date = 2024-02-30")
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.line == line_of(text, "2024-02-30")[0]
    assert problem.message.startswith("TOML syntax")


def test_date_range_must_run_forward():
    text = MINIMAL.replace("date = 2024-12-23, precision", "date = 2024-12-23, until = 2024-12-01, precision")
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "events[0].when.until"


@pytest.mark.parametrize("version", ["2", "0", '"1"'])
def test_unsupported_format(version):
    text = MINIMAL.replace("format = 1", f"format = {version}")
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "format"
    assert problem.line == 1
    assert version.strip('"') in (problem.found or "") or "whole number" in problem.message


def test_missing_format():
    problem = only_problem(parse_briefing(MINIMAL.replace("format = 1\n", ""), "f.toml"))
    assert "format" in problem.message


def test_external_fact_must_name_its_source():
    text = MINIMAL.replace('basis = "article" }', 'basis = "external" }')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert problem.key == "events[0].when.basis"
    assert "source" in problem.message


def test_unstated_metadata_must_be_declared():
    text = MINIMAL.replace('unstated = ["publication", "author", "published", "url"]', 'unstated = ["url"]')
    result = parse_briefing(text, "f.toml")
    assert {p.message.split("`")[1] for p in result.problems} == {"meta.publication", "meta.author", "meta.published"}


def test_within_loop_is_reported():
    text = MINIMAL.replace('kind = "sea_area"', 'kind = "sea_area"\nwithin = "sea"')
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert "loop" in problem.message


def test_several_problems_are_all_reported_in_file_order():
    text = MINIMAL.replace('kind = "military"', 'kind = "navy"').replace('kind = "ship"', 'kind = "boat"')
    result = parse_briefing(text, "f.toml")
    assert [p.key for p in result.problems] == ["assets[0].kind", "actors[0].kind"]


def test_problem_line_is_compiler_style():
    text = MINIMAL.replace('kind = "military"', 'kind = "goverment"')
    problem = only_problem(parse_briefing(text, "dir/f.toml"))
    line, column = line_of(text, '"goverment"')
    assert str(problem) == (
        f"dir/f.toml:{line}:{column}: error: actors[0].kind: unknown value for `kind` "
        "(expected one of armed_group, company, government, group, intelligence_agency, international_organisation, "
        "media, military, person, state, think_tank, found 'goverment'); did you mean `government`?"
    )


def test_missing_file_and_directory(tmp_path):
    assert "no such file" in only_problem(load_briefing(tmp_path / "nope.toml")).message
    assert "directory" in only_problem(load_briefing(tmp_path)).message


def test_byte_order_mark_is_accepted():
    result = parse_briefing(("\ufeff" + MINIMAL).encode(), "f.toml")
    assert result.ok


def test_the_end_of_file_is_located_by_newlines_only():
    """Record separators (\\x1e) are not line breaks in TOML: found by the fuzzer."""
    text = "format = '''1\nmeta.x = \"\x1e\x1e\x1e\"\n"
    problem = only_problem(parse_briefing(text, "f.toml"))
    assert "at end of file" in problem.message
    assert (problem.line, problem.column) == (2, 15)


def test_a_number_too_long_for_python_is_a_located_error_not_a_crash(write):
    # tomllib lets Python's ValueError (over 4,300 digits) through: the loader says where the number is.
    result = load_briefing(write(MINIMAL + "\n[extra]\nbig = " + "7" * 5000 + "\n"))
    assert result.briefing is None
    [problem] = result.problems
    assert "more than 4,300 digits" in problem.message
    assert (problem.line, problem.column) == (MINIMAL.count("\n") + 3, 7)
