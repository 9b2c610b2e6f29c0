"""The hierarchy: validation, queries, lookup, CSV and records I/O."""

from __future__ import annotations

import io
import itertools
import operator
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvctt_rules import (
    AmbiguousUnitError,
    DataError,
    DvcttRulesError,
    HierarchyError,
    Problem,
    UnknownNameError,
    UnknownUnitError,
)
from dvctt_rules.datasets import load_dataset
from dvctt_rules.hierarchy import (
    TWO_TIER_LEVELS,
    Hierarchy,
    Unit,
    hierarchy_to_csv,
    read_hierarchy_csv,
    strip_prefixes,
)
from dvctt_rules.observations import load_observations
from dvctt_rules.testing import INVALID_KINDS, hierarchies, invalid_hierarchy_records


def small() -> Hierarchy:
    return Hierarchy.from_records(
        [
            {"id": "74", "name": "Tỉnh Bình Dương", "level": "province", "parent": None, "code": "74"},
            {"id": "so-ct", "name": "Sở Công Thương", "level": "department", "parent": "74"},
            {"id": "724", "name": "UBND Thành phố Dĩ An", "level": "district", "parent": "74"},
            {"id": "25960", "name": "Phường An Bình", "level": "commune", "parent": "724"},
            {"id": "25942", "name": "Phường Dĩ An", "level": "commune", "parent": "724"},
            {"id": "722", "name": "UBND Huyện Phú Giáo", "level": "district", "parent": "74"},
            {"id": "25870", "name": "Xã An Bình", "level": "commune", "parent": "722"},
            {"id": "25885", "name": "Xã Phước Hòa", "level": "commune", "parent": "722"},
        ]
    )


# -- queries ----------------------------------------------------------------------------------


def test_queries_on_a_small_tree() -> None:
    h = small()
    assert h.root.id == "74"
    assert len(h) == 8
    assert "25960" in h
    assert "nope" not in h
    assert h["25960"] in h
    assert [u.id for u in h] == ["74", "so-ct", "724", "25960", "25942", "722", "25870", "25885"]
    assert h.parent("25960") == h["724"]
    assert h.parent("74") is None
    assert [u.id for u in h.children("724")] == ["25960", "25942"]
    assert [u.id for u in h.ancestors("25960")] == ["724", "74"]
    assert [u.id for u in h.path("25960")] == ["74", "724", "25960"]
    assert [u.id for u in h.descendants("722")] == ["25870", "25885"]
    assert [u.id for u in h.units("district")] == ["724", "722"]
    sub = h.subtree("722")
    assert sub.root.id == "722"
    assert [u.id for u in sub] == ["722", "25870", "25885"]
    assert len(h) == 8  # the original is unchanged


def test_unknown_ids_and_levels_are_named_with_suggestions() -> None:
    h = small()
    with pytest.raises(UnknownUnitError, match="25961"):
        h["25961"]
    with pytest.raises(UnknownNameError, match="did you mean 'commune'"):
        h.units("comune")


def test_graph_is_a_frozen_copy() -> None:
    h = small()
    graph = h.graph
    assert nx.is_arborescence(graph)
    assert graph.nodes["25960"]["unit"].name == "Phường An Bình"
    with pytest.raises(nx.NetworkXError):
        graph.add_edge("25960", "74")
    assert nx.is_arborescence(h.graph)


def test_two_tier_hierarchy_without_districts() -> None:
    h = Hierarchy(
        [
            Unit("74", "Tỉnh Bình Dương", "province"),
            Unit("so-ct", "Sở Công Thương", "department"),
            Unit("x1", "Phường Chánh Hiệp", "commune"),
            Unit("x2", "Phường Thủ Dầu Một", "commune"),
        ],
        {"so-ct": "74", "x1": "74", "x2": "74"},
        TWO_TIER_LEVELS,
    )
    assert h.levels == TWO_TIER_LEVELS
    assert [u.id for u in h.units("commune")] == ["x1", "x2"]
    assert h.depth("x1") == 1
    with pytest.raises(UnknownNameError):
        h.units("district")


def test_names_are_nfc() -> None:
    decomposed = "Phu\u031bo\u031b\u0300ng Chánh Mỹ"
    unit = Unit("1", decomposed, "commune")
    assert unit.name == "Phường Chánh Mỹ"


# -- lookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("25960", "25960"),
        ("Phường An Bình", "25960"),
        ("phường an bình", "25960"),
        ("PHƯỜNG AN BÌNH", "25960"),
        ("phuong an binh", "25960"),
        ("  Phường   An Bình ", "25960"),
        ("Xã Phước Hoà", "25885"),  # old-style tone mark
        ("xa phuoc hoa", "25885"),
        ("Phước Hòa", "25885"),  # without the type prefix
        ("SỞ CÔNG THƯƠNG", "so-ct"),
        ("Phú Giáo", "722"),  # "UBND Huyện" stripped
        ("UBND Thanh pho Di An", "724"),
    ],
)
def test_lookup_finds_units_the_way_people_write_them(query: str, expected: str) -> None:
    assert small().lookup(query).id == expected


def test_ambiguous_name_lists_every_candidate_with_its_parent() -> None:
    with pytest.raises(AmbiguousUnitError) as info:
        small().lookup("An Bình")
    assert str(info.value).startswith(
        "'An Bình' is ambiguous: Phường An Bình (Thành phố Dĩ An), Xã An Bình (Huyện Phú Giáo)"
    )
    assert [c[0] for c in info.value.candidates] == ["25960", "25870"]


def test_ambiguity_between_a_district_and_a_commune_of_the_same_name() -> None:
    with pytest.raises(AmbiguousUnitError):
        small().lookup("Dĩ An")
    assert small().lookup("Phường Dĩ An").id == "25942"


def test_prefix_free_lookup_can_be_turned_off() -> None:
    with pytest.raises(UnknownUnitError):
        small().lookup("Phước Hòa", bare=False)


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(UnknownUnitError) as info:
        small().lookup("Phường An Binhh")
    assert "Phường An Bình" in info.value.suggestions


def _many_communes(seed: int, count: int) -> Hierarchy:
    pick = random.Random(seed).choice
    syllables = [
        "An",
        "Bình",
        "Chánh",
        "Mỹ",
        "Định",
        "Hòa",
        "Tân",
        "Phú",
        "Lợi",
        "Thạnh",
        "Dĩ",
        "Uyên",
        "Long",
    ]
    names = sorted(
        {
            f"{pick(['Xã', 'Phường'])} {pick(syllables)} {pick(syllables)} {pick(syllables)}"
            for _ in range(count)
        }
    )
    records = [{"id": "P", "name": "Tỉnh X", "level": "province", "parent": ""}]
    records += [
        {"id": f"C{i}", "name": name, "level": "commune", "parent": "P"} for i, name in enumerate(names)
    ]
    return Hierarchy.from_records(records, levels=["province", "commune"])


def test_suggestions_among_thousands_of_names_are_those_of_comparing_every_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Over many names, difflib compares a query with a shortlist of those sharing the most pieces
    # with it. For a mistyped name, the closest name is the one a comparison with every name finds;
    # the two runners-up nearly always too (names this alike tie often, and a tie can go either way).
    from dvctt_rules.hierarchy import _lookup

    h = _many_communes(4623, 1500)
    assert len(h) > 1000 > _lookup._SCAN_ALL
    edits = random.Random(7)
    queries = []
    for unit in edits.sample(h.units("commune"), 120):
        at = edits.randrange(len(unit.name))
        queries.append(unit.name[:at] + edits.choice("aăeioưyz ") + unit.name[at + 1 :])

    def suggested(hierarchy: Hierarchy) -> list[tuple[str, ...] | str]:
        found: list[tuple[str, ...] | str] = []
        for query in queries:
            try:
                found.append(hierarchy.lookup(query).id)
            except UnknownUnitError as exc:
                found.append(exc.suggestions)
        return found

    shortlisted = suggested(h)
    assert sum(isinstance(s, tuple) and len(s) > 0 for s in shortlisted) > 60  # most are suggestions
    monkeypatch.setattr(_lookup, "_SCAN_ALL", 10**9)
    compared = suggested(_many_communes(4623, 1500))
    assert [s[:1] if isinstance(s, tuple) else s for s in shortlisted] == [
        s[:1] if isinstance(s, tuple) else s for s in compared
    ]
    assert sum(map(operator.eq, shortlisted, compared)) >= 0.95 * len(queries)


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "fragment", "ids"),
    [
        ([], "no units", ()),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": "b"},
                {"id": "b", "name": "B", "level": "commune", "parent": "a"},
            ],
            "no root",
            (),
        ),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": ""},
                {"id": "b", "name": "B", "level": "province", "parent": ""},
            ],
            "2 roots: a, b",
            ("a", "b"),
        ),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": ""},
                {"id": "b", "name": "B", "level": "commune", "parent": "zz"},
            ],
            "parent 'zz', which is not a unit",
            ("b",),
        ),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": ""},
                {"id": "b", "name": "B", "level": "district", "parent": "a"},
                {"id": "c", "name": "C", "level": "district", "parent": "b"},
            ],
            "'district' is not below 'district'",
            ("c",),
        ),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": ""},
                {"id": "b", "name": "B", "level": "commune", "parent": "c"},
                {"id": "c", "name": "C", "level": "commune", "parent": "b"},
            ],
            "cycle: b, c",
            ("b", "c"),
        ),
        (
            [
                {"id": "a", "name": "A", "level": "province", "parent": ""},
                {"id": "b", "name": "B", "level": "ward", "parent": "a"},
            ],
            "levels ['ward'] are not declared",
            ("b",),
        ),
    ],
)
def test_invalid_trees_are_rejected_naming_the_ids(
    records: list[dict[str, Any]], fragment: str, ids: tuple[str, ...]
) -> None:
    with pytest.raises(HierarchyError) as info:
        Hierarchy.from_records(records)
    assert fragment in str(info.value)
    assert set(ids) <= set(info.value.ids)


def test_a_problem_of_many_units_names_a_few_and_counts_the_rest() -> None:
    # 25 roots, and 30 units of a level not declared: one line each, not hundreds of ids.
    records = [{"id": f"p{i:02d}", "name": f"P{i}", "level": "province", "parent": ""} for i in range(25)]
    records += [{"id": f"w{i:02d}", "name": f"W{i}", "level": "ward", "parent": "p00"} for i in range(30)]
    with pytest.raises(HierarchyError) as info:
        Hierarchy.from_records(records)
    undeclared, roots = info.value.problems
    assert (
        roots.message == "there are 25 roots: " + ", ".join(f"p{i:02d}" for i in range(10)) + " and 15 more"
    )
    assert undeclared.message.endswith(
        "used by " + ", ".join(f"w{i:02d}" for i in range(10)) + " and 20 more"
    )
    assert set(info.value.ids) == {r["id"] for r in records}


def test_a_name_shared_by_many_units_names_ten_and_counts_the_rest() -> None:
    # "Phường 1" is a ward of dozens of cities across a country: a lookup, and a file of observations
    # naming it, say so in one line, while the error keeps every candidate.
    records = [{"id": "vn", "name": "Việt Nam", "level": "country", "parent": ""}]
    for n in range(25):
        records += [
            {"id": f"t{n:02d}", "name": f"Thành phố {n:02d}", "level": "city", "parent": "vn"},
            {"id": f"w{n:02d}", "name": "Phường 1", "level": "ward", "parent": f"t{n:02d}"},
        ]
    country = Hierarchy.from_records(records, levels=("country", "city", "ward"))
    with pytest.raises(AmbiguousUnitError) as info:
        country.lookup("Phường 1")
    assert len(info.value.candidates) == 25
    labels = ", ".join(f"Phường 1 (Thành phố {n:02d})" for n in range(10))
    message = f"'Phường 1' is ambiguous: {labels} and 15 more; give the unit id or the full name"
    assert str(info.value) == message

    from dvctt_rules.observations import load_observations

    text = "unit,period,received_online\nPhường 1,2024-01,3\n"
    with pytest.raises(DataError) as problems:
        load_observations(io.StringIO(text), country, format="csv")
    (problem,) = problems.value.problems
    ids = "; ".join(f"Phường 1 (Thành phố {n:02d}) (id w{n:02d})" for n in range(10))
    assert problem.message == f"the name matches 25 units: {ids} and 15 more"


def test_prefixes_given_as_one_text_are_refused_with_the_tuple_meant() -> None:
    # A str is a sequence of str: "Xã" would strip the letters X and ã, and "An" find nothing.
    records = [
        {"id": "P", "name": "Tỉnh Bình Dương", "level": "province", "parent": ""},
        {"id": "C", "name": "Xã An", "level": "commune", "parent": "P"},
    ]
    levels = ("province", "commune")
    with pytest.raises(TypeError, match=re.escape("got the string 'Xã'; pass ['Xã']")):
        Hierarchy.from_records(records, levels=levels, type_prefixes="Xã")
    with pytest.raises(TypeError, match="org_prefixes must be a collection of prefixes"):
        Hierarchy.from_records(records, levels=levels, org_prefixes="UBND")
    with pytest.raises(TypeError, match="prefixes must be a collection of prefixes"):
        strip_prefixes("Xã An", "Xã")
    assert Hierarchy.from_records(records, levels=levels, type_prefixes=("Xã",)).lookup("An").id == "C"


def test_levels_given_as_one_text_are_refused_with_the_list_meant(tmp_path: Any) -> None:
    # A str is a sequence of str: unchecked, "province,commune" would declare the levels p, r, o, ….
    records = [{"id": "p", "name": "P", "level": "province", "parent": ""}]
    with pytest.raises(HierarchyError, match="not one text") as info:
        Hierarchy.from_records(records, levels="province,commune")
    (problem,) = info.value.problems
    assert problem.hint == "pass the names one by one, as ['province', 'commune']"
    path = tmp_path / "units.csv"
    path.write_text("id,name,level,parent\np,P,province,\n", encoding="utf-8")
    # From a file, an argument mistake is a TypeError: the file is not at fault.
    with pytest.raises(TypeError, match=re.escape("got the text 'province'; pass ('province',)")):
        read_hierarchy_csv(path, "province")
    assert read_hierarchy_csv(path, ["province"]).levels == ("province",)


def test_duplicate_ids_are_rejected() -> None:
    with pytest.raises(DataError, match="duplicate unit id 'a'"):
        Hierarchy.from_records(
            [{"id": "a", "name": "A", "level": "province"}, {"id": "a", "name": "B", "level": "commune"}]
        )
    with pytest.raises(HierarchyError, match="duplicate unit ids: a"):
        Hierarchy([Unit("a", "A", "province"), Unit("a", "B", "commune")], {"a": None})


def test_an_official_code_names_one_unit(tmp_path: Path) -> None:
    # Data joined on codes (statistics, other provinces' systems) would mix two units sharing one.
    path = tmp_path / "units.csv"
    path.write_text(
        "id,name,level,parent,code\n"
        "p,Tỉnh P,province,,74\n"
        "a,Xã A,commune,p,25774\n"
        "b,Xã B,commune,p,\n"
        "c,Xã C,commune,p,\n"  # blank codes are no code: any number of units may have none
        "d,Xã D,commune,p,25774\n",
        encoding="utf-8",
    )
    with pytest.raises(HierarchyError, match="share official codes: 25774, used by a, d") as info:
        read_hierarchy_csv(path, ["province", "commune"])
    (problem,) = info.value.problems
    assert (problem.source, problem.line, problem.hint) == (
        str(path),
        3,
        "give each unit its own code, or leave the code blank",
    )
    assert list(info.value.ids) == ["a", "d"]
    path.write_text(path.read_text(encoding="utf-8").replace("p,25774\n", "p,25777\n", 1), encoding="utf-8")
    assert [u.code for u in read_hierarchy_csv(path, ["province", "commune"])] == [
        "74",
        "25777",
        None,
        None,
        "25774",
    ]


@given(invalid_hierarchy_records())
def test_every_kind_of_invalid_graph_is_rejected(
    case: tuple[str, list[dict[str, Any]], tuple[str, ...]],
) -> None:
    kind, records, levels = case
    expected = {
        "no_root": "no root",
        "two_roots": "roots",
        "cycle": "cycle",
        "missing_parent": "which is not a unit",
        "duplicate_id": "duplicate unit id",
        "level_order": "is not below",
    }[kind]
    with pytest.raises(DataError) as info:
        Hierarchy.from_records(records, levels)
    assert expected in str(info.value)


def test_invalid_kinds_are_all_covered() -> None:
    assert set(INVALID_KINDS) == {
        "no_root",
        "two_roots",
        "cycle",
        "missing_parent",
        "duplicate_id",
        "level_order",
    }


# -- CSV --------------------------------------------------------------------------------------


def test_csv_with_bom_and_extra_columns() -> None:
    text = (
        "\ufeffid,name,level,parent,code,note\n74,Tỉnh Bình Dương,province,,74,\n1,Xã A,commune,74,,ghi chú\n"
    )
    h = read_hierarchy_csv(text.encode("utf-8"))
    assert h["1"].attribute("note") == "ghi chú"
    assert h["74"].code == "74"
    assert hierarchy_to_csv(h) == text.removeprefix("\ufeff")


def test_csv_errors_name_file_and_line(tmp_path: Any) -> None:
    path = tmp_path / "units.csv"
    path.write_text("id,name,level,parent\n74,Tỉnh,province,\n2,Xã B,commune,99\n", encoding="utf-8")
    with pytest.raises(HierarchyError) as info:
        read_hierarchy_csv(path)
    (problem,) = info.value.problems
    assert problem.source == str(path)
    assert problem.line == 3


def test_csv_missing_columns_and_encoding() -> None:
    with pytest.raises(DataError, match="required column 'parent' is missing"):
        read_hierarchy_csv(io.StringIO("id,name,level\n1,A,province\n"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_hierarchy_csv("id,name,level,parent\n1,Đà Bà,province,\n".encode("cp1258"))
    with pytest.raises(DataError, match="empty"):
        read_hierarchy_csv(b"")


# -- invariants over generated trees ----------------------------------------------------------


@given(hierarchies())
def test_invariants_of_generated_trees(h: Hierarchy) -> None:
    units = list(h)
    assert len(units) == len(h) == len({u.id for u in units})
    assert [h.root, *h.descendants(h.root)] == units
    for unit in units:
        path = h.path(unit)
        assert path[0] == h.root
        assert path[-1] == unit
        assert all(
            h.level_rank(parent.level) < h.level_rank(child.level)
            for parent, child in itertools.pairwise(path)
        )
        for child in h.children(unit):
            assert h.parent(child) == unit
    assert nx.is_arborescence(h.graph)
    assert sum(1 for _ in h.units()) == sum(len(h.units(level)) for level in h.levels)


@given(hierarchies())
def test_csv_and_records_round_trip_exactly(h: Hierarchy) -> None:
    text = hierarchy_to_csv(h)
    again = read_hierarchy_csv(text.encode("utf-8"), h.levels)
    assert again == h
    assert list(again) == list(h)
    assert hierarchy_to_csv(again) == text
    assert Hierarchy.from_records(h.to_records(), h.levels) == h


@given(hierarchies(), st.data())
def test_lookup_by_id_and_by_exact_name(h: Hierarchy, data: st.DataObject) -> None:
    unit = data.draw(st.sampled_from(list(h)))
    assert h.lookup(unit.id) == unit
    candidates = h.find(unit.name)
    assert unit in candidates or any(c.id == unit.name for c in candidates)
    if len(candidates) > 1:
        with pytest.raises(AmbiguousUnitError) as info:
            h.lookup(unit.name)
        assert unit.id in [c[0] for c in info.value.candidates]


def test_all_errors_derive_from_the_base() -> None:
    for error in (DataError, HierarchyError, UnknownNameError, UnknownUnitError, AmbiguousUnitError):
        assert issubclass(error, DvcttRulesError)


def test_a_data_error_names_its_one_file_in_its_first_line() -> None:
    one = [Problem("bad", source="a.csv", line=2), Problem("worse", source="a.csv", line=5)]
    assert str(DataError(one)).splitlines()[0] == "2 problems in a.csv"
    assert str(DataError([*one, Problem("odd", source="b.csv")])).startswith("3 problems in the input\n")
    assert str(DataError([Problem("bad")])).startswith("1 problem in the input\n")  # no file to name
    assert str(DataError(one, summary="a summary")).startswith("a summary\n")


# -- unit attributes (regression: a reserved key overwrote the real field when written) --------


@pytest.mark.parametrize("key", ["id", "name", "level", "parent", "code"])
def test_an_attribute_named_like_a_unit_field_is_refused(key: str) -> None:
    import attrs

    with pytest.raises(DataError, match=rf"unit '1': 1 problem.*\n.*attribute '{key}' is a unit field"):
        Unit("1", "Xã A", "commune", attributes={key: "zzz"})
    with pytest.raises(DataError, match=f"'{key}' is a unit field"):
        attrs.evolve(Unit("1", "Xã A", "commune"), attributes=[(key, "zzz")])


def test_a_code_attribute_can_no_longer_make_two_hierarchies_equal() -> None:
    # Before: Unit(..., attributes={"code": "X"}) wrote 'code' twice, and the later one won, so a
    # hierarchy whose root has code '74' and one whose root has an attribute code '74' were equal.
    root = {"id": "74", "name": "Tỉnh Bình Dương", "level": "province", "parent": None}
    with_code = Hierarchy.from_records([{**root, "code": "74"}])
    assert with_code.root.code == "74"
    with pytest.raises(DataError, match="'code' is a unit field"):
        Hierarchy([Unit("74", "Tỉnh Bình Dương", "province", attributes={"code": "74"})], {"74": None})


def test_an_attribute_given_twice_or_unnamed_is_refused() -> None:
    with pytest.raises(DataError, match=r"'note' is given more than once \('a', 'b'\)"):
        Unit("1", "Xã A", "commune", attributes=[("note", "a"), ("note", "b")])
    with pytest.raises(DataError, match="attribute name is blank"):
        Unit("1", "Xã A", "commune", attributes={" ": "x"})
    with pytest.raises(TypeError, match=r"^Unit\.attributes must be a mapping of key → text, got str 'note'"):
        Unit("1", "Xã A", "commune", attributes="note")  # type: ignore[arg-type]
    unit = Unit("1", "Xã A", "commune", attributes=[("region", "Bắc"), ("note", "ghi chú")])
    assert unit.attributes == (("note", "ghi chú"), ("region", "Bắc"))


def test_extra_csv_columns_are_still_attributes_and_round_trip() -> None:
    text = (
        "id,name,level,parent,code,region,note\n"
        "74,Tỉnh Bình Dương,province,,74,Nam,\n"
        "1,Xã A,commune,74,,,ghi\n"
    )
    h = read_hierarchy_csv(text.encode("utf-8"))
    assert h["74"].attributes == (("region", "Nam"),)
    assert (h["74"].code, h["1"].code, h["1"].attribute("note")) == ("74", None, "ghi")
    assert read_hierarchy_csv(hierarchy_to_csv(h).encode("utf-8")) == h
    assert Hierarchy.from_records(h.to_records()) == h


def test_the_look_alike_eth_of_legacy_text_reads_as_d_stroke() -> None:
    # Text typed with legacy fonts or keyboards writes Đ as the Icelandic Ð (U+00D0), ð as its
    # lower case: a lookup found nothing, and suggested nothing for a short name.
    h = load_dataset("binh-duong-2023").hierarchy
    for query in ("Phường \u00d0ịnh Hòa", "\u00d0ịnh Hoà", "phường \u00f0ịnh hòa"):
        assert h.lookup(query).name == "Phường Định Hòa"
    data = load_observations(
        "unit,period,received_online\nPhường \u00d0ịnh Hòa,2024-01,5\n".encode(), h, format="csv"
    )
    assert data.units() == (h.lookup("Phường Định Hòa").id,)


def test_extra_attributes_are_kept_in_nfc_as_names_are() -> None:
    # Decomposed text (macOS file names, some keyboards) stayed decomposed in extra columns only.
    decomposed = unicodedata.normalize("NFD", "ghi_chú"), unicodedata.normalize("NFD", "Sáp nhập")
    unit = Unit("a", "Xã A", "commune", attributes={decomposed[0]: decomposed[1]})
    assert unit.attributes == (("ghi_chú", "Sáp nhập"),)
    text = f"id,name,level,parent,{decomposed[0]}\np,Tỉnh P,province,,\na,Xã A,commune,p,{decomposed[1]}\n"
    read = read_hierarchy_csv(text.encode(), ["province", "commune"])
    assert read["a"].attributes == (("ghi_chú", "Sáp nhập"),)
    assert all(unicodedata.is_normalized("NFC", k + v) for k, v in read["a"].attributes)


def test_an_attribute_of_none_is_refused_not_written_as_the_text_none() -> None:
    with pytest.raises(TypeError, match="'ghi_chu' is None: leave the key out"):
        Unit("a", "Xã A", "commune", attributes={"dan_so": "12000", "ghi_chu": None})  # type: ignore[arg-type]
    assert Unit("a", "Xã A", "commune", attributes={"dan_so": 12000}).attributes == (("dan_so", "12000"),)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("TP. Thủ Dầu Một", "UBND Thành phố Thủ Dầu Một"),
        ("UBND TP Dĩ An", "UBND Thành phố Dĩ An"),
        ("Tx.Bến Cát", "UBND Thị xã Bến Cát"),
        ("H. Bàu Bàng", "UBND Huyện Bàu Bàng"),
        ("TT Lai Uyên", "Thị trấn Lai Uyên"),
        ("P. An Bình", "Phường An Bình"),  # "An Bình" alone is two units: the type tells which
        ("x.an binh", "Xã An Bình"),
    ],
)
def test_a_shortened_unit_type_is_read_as_written_out(query: str, name: str) -> None:
    # Spreadsheets write "TP. Thủ Dầu Một", "P. Chánh Mỹ": no unit matched, in lookups and data files.
    h = load_dataset("binh-duong-2023").hierarchy
    assert h.lookup(query).name == name
    data = load_observations(f"unit,period,received_online\n{query},2024-01,5\n".encode(), h, format="csv")
    assert data.units() == (h.lookup(name).id,)


def test_a_one_letter_type_needs_its_dot_and_a_word_is_not_a_type() -> None:
    h = load_dataset("binh-duong-2023").hierarchy
    with pytest.raises(UnknownUnitError):
        h.lookup("H Bàu Bàng")  # "H" alone may be a name's first letter
    with pytest.raises(AmbiguousUnitError):
        h.lookup("An Bình")
