"""Shapes of JSON answers for the mobile app's contract (tests/api/test_mobile_contract.py).

A shape keeps the keys and the JSON types of an answer, never its values: `"str"`, `"int"`,
`"number"`, `"bool"`, `"null"`, a union such as `"str|null"`, a dict of shapes, or a list with
the shape of its items (`[]` when the recording saw no item). The items of a list are merged:
an object promises the keys every item had, and an object that was null in some item says
so with the key `"?nullable": true`. A recorded shape is a promise: every key it names must
still be there with one of its types; keys the API adds later are allowed (adding is not a
break, ADR 43)."""

from typing import Any

Shape = Any
NULLABLE = "?nullable"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "str"
    raise TypeError(f"not a JSON value: {value!r}")


def _merge(first: Shape, second: Shape) -> Shape:
    if isinstance(first, dict) and isinstance(second, dict):
        merged = {key: _merge(first[key], second[key]) for key in first if key in second}
        if first.get(NULLABLE) or second.get(NULLABLE):
            merged[NULLABLE] = True
        return merged
    if isinstance(first, dict) and second == "null":
        return {**first, NULLABLE: True}
    if first == "null" and isinstance(second, dict):
        return {**second, NULLABLE: True}
    if isinstance(first, list) and isinstance(second, list):
        if not first or not second:
            return first or second
        return [_merge(first[0], second[0])]
    if isinstance(first, str) and isinstance(second, str):
        return "|".join(sorted(set(first.split("|")) | set(second.split("|"))))
    return first if first == second else f"{first}|{second}"


def shape_of(value: Any) -> Shape:
    """The shape of a JSON value; the items of a list merged into one shape."""
    if isinstance(value, dict):
        return {key: shape_of(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = [shape_of(item) for item in value]
        if not shapes:
            return []
        merged = shapes[0]
        for shape in shapes[1:]:
            merged = _merge(merged, shape)
        return [merged]
    return type_name(value)


def breaks(recorded: Shape, actual: Any, where: str = "$") -> list[str]:
    """What in `actual` (a JSON value) breaks the `recorded` shape: a key gone (removed or
    renamed), a type changed, a list become an object. Empty when the promise holds."""
    if isinstance(recorded, dict):
        if actual is None and recorded.get(NULLABLE):
            return []
        if not isinstance(actual, dict):
            return [f"{where}: an object was promised, got {type(actual).__name__}"]
        found = []
        for key, shape in recorded.items():
            if key == NULLABLE:
                continue
            if key not in actual:
                found.append(f"{where}.{key}: gone (removed or renamed)")
            else:
                found += breaks(shape, actual[key], f"{where}.{key}")
        return found
    if isinstance(recorded, list):
        if not isinstance(actual, list):
            return [f"{where}: a list was promised, got {type(actual).__name__}"]
        if not recorded:
            return []
        found = []
        for index, item in enumerate(actual):
            found += breaks(recorded[0], item, f"{where}[{index}]")
        return found
    if isinstance(actual, dict | list):
        return [f"{where}: {recorded} was promised, got {type(actual).__name__}"]
    if type_name(actual) not in recorded.split("|"):
        return [f"{where}: {recorded} was promised, got {type_name(actual)}"]
    return []
