"""`--set` parsing and typing (Helm strvals rules)."""

from typing import Any

import pytest

from meshinject.config import build_config
from meshinject.config.setflags import parse_set, set_path
from meshinject.errors import ConfigError
from meshinject.options import RunOptions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("null", None),
        ("0", 0),
        ("15020", 15020),
        ("-3", -3),
        ("0755", "0755"),
        ("1.5", "1.5"),
        ("", ""),
        ("proxyv2", "proxyv2"),
        ("{a,b,3}", ["a", "b", 3]),
        ("{}", []),
    ],
)
def test_value_typing(text: str, expected: Any) -> None:
    [item] = parse_set(f"a.b={text}")
    assert item.path == ("a", "b")
    assert item.value == expected
    assert type(item.value) is type(expected)


def test_several_assignments_escapes_and_indexes() -> None:
    items = parse_set(r"a=1,b\.c=x\,y,d[1].e=z")
    assert [(i.path, i.value) for i in items] == [
        (("a",), 1),
        (("b.c",), "x,y"),
        (("d", 1, "e"), "z"),
    ]
    assert [i.text for i in items] == ["a=1", r"b\.c=x\,y", "d[1].e=z"]


@pytest.mark.parametrize("argument", ["novalue", "a=1,b", "a..b=1", "a[x]=1", "a={1,2", ""])
def test_malformed_arguments(argument: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_set(argument)
    assert info.value.location.path == "--set"


def test_set_path_creates_lists_and_deletes() -> None:
    data = {"a": {"b": [1, 2]}, "c": 1}
    assert set_path(data, ("a", "b", 3), 9) == {"a": {"b": [1, 2, None, 9]}, "c": 1}
    assert set_path(data, ("c",), None) == {"a": {"b": [1, 2]}}
    assert set_path(data, ("x", 0, "y"), "z")["x"] == [{"y": "z"}]
    assert data == {"a": {"b": [1, 2]}, "c": 1}


def test_set_applies_last_and_is_typed() -> None:
    config = build_config(
        RunOptions(
            set_args=[
                "pilot.env.ENABLE_NATIVE_SIDECARS=true",
                "global.proxy.statusPort=15021",
                "global.imagePullSecrets[0]=first",
                "global.proxy.resources.limits.cpu=null",
                "values.global.network=net1",
            ]
        )
    )
    values = config.values_dict()
    assert config.native_sidecars_setting == "true"
    # pilot.env keeps its YAML types, as Istio's values Struct does (P8)
    assert values["pilot"]["env"]["ENABLE_NATIVE_SIDECARS"] is True
    assert values["global"]["proxy"]["statusPort"] == 15021
    assert values["global"]["imagePullSecrets"] == ["first"]
    assert "cpu" not in values["global"]["proxy"]["resources"]["limits"]
    assert values["global"]["network"] == "net1"
