"""Sprig (github.com/Masterminds/sprig/v3) template functions, reimplemented.

Semantics follow Sprig's documentation: conversions are lenient (`int "x"` is 0),
`default`/`empty` use Go zero values, `dict`/`list` build new values, `merge` keeps
existing non-empty keys while `mergeOverwrite` replaces them. Deliberate choices:
`keys` and `values` are sorted by key (Sprig's order is random), `env` is replaced by
Istio's version and `expandenv` expands every variable to "" (rendering is hermetic),
and functions whose output depends on time, randomness or the network raise an
"is not supported" error instead of producing output.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import math
import posixpath
import re
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from . import gojson, goyaml
from .evaluate import Unsupported
from .printing import MISSING, format_value, go_kind, go_quote, go_type
from .semver import semver_compare
from .values import FuncError, is_empty

# -- conversions ----------------------------------------------------------------------


def strval(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return format_value(value)


def _trim_zero_decimal(text: str) -> str:
    whole, dot, frac = text.partition(".")
    if dot and frac and set(frac) == {"0"}:
        return whole
    return text


def to_int64(value: Any) -> int:
    if value is None or value is MISSING:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str):
        return _parse_go_int(_trim_zero_decimal(value))
    return 0


def _parse_go_int(text: str) -> int:
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    try:
        if body[:2].lower() in ("0x", "0o", "0b"):
            return sign * int(body, 0)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body, 8)
        if not body.isdigit():
            return 0
        return sign * int(body)
    except ValueError:
        return 0


def to_float64(value: Any) -> float:
    if value is None or value is MISSING:
        return 0.0
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace("_", "")) if value.strip() == value else 0.0
        except ValueError:
            return 0.0
    return 0.0


def _as_list(value: Any, name: str) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if value is None or value is MISSING:
        raise FuncError(f"Cannot {name} on type <nil>")
    raise FuncError(f"Cannot {name} on type {go_type(value)}")


def _as_map(value: Any, what: str = "map") -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise FuncError(f"wrong type for value; expected {what}; got {go_type(value)}")


# -- defaults and flow ----------------------------------------------------------------


def default(d: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return d
    return given[0]


def empty(given: Any) -> bool:
    return is_empty(given)


def coalesce(*values: Any) -> Any:
    for v in values:
        if not is_empty(v):
            return v
    return None


def all_(*values: Any) -> bool:
    return all(not is_empty(v) for v in values)


def any_(*values: Any) -> bool:
    return any(not is_empty(v) for v in values)


def ternary(vt: Any, vf: Any, cond: bool) -> Any:
    return vt if cond else vf


def required(warn: str, val: Any) -> Any:
    if val is None or val is MISSING or (isinstance(val, str) and val == ""):
        raise FuncError(warn)
    return val


def fail(msg: str) -> str:
    raise FuncError(msg)


# -- strings --------------------------------------------------------------------------


def quote(*values: Any) -> str:
    return " ".join(go_quote(strval(v)) for v in values if v is not None)


def squote(*values: Any) -> str:
    return " ".join(f"'{strval(v)}'" for v in values if v is not None)


def cat(*values: Any) -> str:
    return " ".join(format_value(v) for v in values if v is not None)


def indent(spaces: int, text: str) -> str:
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


def nindent(spaces: int, text: str) -> str:
    return "\n" + indent(spaces, text)


def title(text: str) -> str:
    out = []
    prev = " "
    for ch in text:
        out.append(ch.upper() if not (prev.isalnum() or prev in "_'") else ch)
        prev = ch
    return "".join(out)


def untitle(text: str) -> str:
    return " ".join(w[:1].lower() + w[1:] for w in text.split(" "))


def contains(substr: str, text: str) -> bool:
    return substr in text


def has_prefix(prefix: str, text: str) -> bool:
    return text.startswith(prefix)


def has_suffix(suffix: str, text: str) -> bool:
    return text.endswith(suffix)


def trim_prefix(prefix: str, text: str) -> str:
    return text.removeprefix(prefix)


def trim_suffix(suffix: str, text: str) -> str:
    return text.removesuffix(suffix)


def trim(text: str) -> str:
    return text.strip(" \t\n\r\v\f\u0085\u00a0")


def lower(text: str) -> str:
    return text.lower()


def upper(text: str) -> str:
    return text.upper()


def nospace(text: str) -> str:
    return "".join(text.split())


def trim_all(cutset: str, text: str) -> str:
    return text.strip(cutset)


def substr(start: int, end: int, text: str) -> str:
    if start < 0:
        return text[:end]
    if end < 0 or end > len(text):
        return text[start:]
    return text[start:end]


def trunc(count: int, text: str) -> str:
    if count < 0 and len(text) + count > 0:
        return text[len(text) + count :]
    if count >= 0 and len(text) > count:
        return text[:count]
    return text


def split(sep: str, orig: str) -> dict[str, Any]:
    return {f"_{i}": part for i, part in enumerate(_go_split(orig, sep))}


def splitn(sep: str, n: int, orig: str) -> dict[str, Any]:
    return {f"_{i}": part for i, part in enumerate(_go_split(orig, sep, n))}


def split_list(sep: str, orig: str) -> list[Any]:
    return list(_go_split(orig, sep))


def _go_split(text: str, sep: str, n: int = -1) -> list[str]:
    if n == 0:
        return []
    if sep == "":
        chars = list(text)
        if n > 0 and len(chars) > n:
            chars = [*chars[: n - 1], "".join(chars[n - 1 :])]
        return chars
    return text.split(sep, n - 1) if n > 0 else text.split(sep)


def _strslice(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [strval(v) for v in value if v is not None]
    if value is None:
        return []
    return [strval(value)]


def join(sep: str, value: Any) -> str:
    return sep.join(_strslice(value))


def sort_alpha(value: Any) -> list[Any]:
    return sorted(_strslice(value))


def repeat(count: int, text: str) -> str:
    return text * max(count, 0)


def replace(old: str, new: str, src: str) -> str:
    if old == "":
        return new + new.join(src) + new if src else new
    return src.replace(old, new)


# -- regular expressions (RE2 syntax; Python's `re` for the common subset) -------------


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern.replace("\\z", "\\Z"))
    except re.error as exc:
        raise FuncError(f"error parsing regexp: {exc}") from None


def regex_match(regex: str, s: str) -> bool:
    return _regex(regex).search(s) is not None


def regex_find(regex: str, s: str) -> str:
    m = _regex(regex).search(s)
    return m.group(0) if m else ""


def regex_find_all(regex: str, s: str, n: int) -> list[Any]:
    found = [m.group(0) for m in _regex(regex).finditer(s)]
    return found if n < 0 else found[:n]


def _expand(template: str, m: re.Match[str]) -> str:
    def repl(g: re.Match[str]) -> str:
        if g.group(0) == "$$":
            return "$"
        name = g.group(1) or g.group(2)
        try:
            return m.group(int(name) if name.isdigit() else name) or ""
        except IndexError:
            return ""

    return re.sub(r"\$\$|\$\{(\w+)\}|\$(\w+)", repl, template)


def regex_replace_all(regex: str, s: str, repl: str) -> str:
    return _regex(regex).sub(lambda m: _expand(repl, m), s)


def regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _regex(regex).sub(lambda _m: repl, s)


def regex_split(regex: str, s: str, n: int) -> list[Any]:
    if n == 0:
        return []
    pattern = _regex(regex)
    if regex == "" and s:
        parts: list[Any] = list(s)
    else:
        parts = pattern.split(s) if pattern.groups == 0 else re.split(f"(?:{regex})", s)
    if n > 0 and len(parts) > n:
        out: list[Any] = []
        pos = 0
        for count, m in enumerate(pattern.finditer(s)):
            if count == n - 1:
                break
            out.append(s[pos : m.start()])
            pos = m.end()
        out.append(s[pos:])
        return out
    return parts


def regex_quote_meta(s: str) -> str:
    return "".join("\\" + c if c in r"\.+*?()|[]{}^$" else c for c in s)


# -- lists ----------------------------------------------------------------------------


def list_(*values: Any) -> list[Any]:
    return list(values)


def append(values: Any, v: Any) -> list[Any]:
    return [*_as_list(values, "append"), v]


def prepend(values: Any, v: Any) -> list[Any]:
    return [v, *_as_list(values, "prepend")]


def first(values: Any) -> Any:
    items = _as_list(values, "find first")
    return items[0] if items else None


def last(values: Any) -> Any:
    items = _as_list(values, "find last")
    return items[-1] if items else None


def rest(values: Any) -> list[Any]:
    return _as_list(values, "find rest")[1:]


def initial(values: Any) -> list[Any]:
    return _as_list(values, "find initial")[:-1]


def _deep_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b) and not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return False
    return bool(a == b)


def uniq(values: Any) -> list[Any]:
    out: list[Any] = []
    for v in _as_list(values, "uniq"):
        if not any(_deep_equal(v, o) for o in out):
            out.append(v)
    return out


def without(values: Any, *omit: Any) -> list[Any]:
    return [v for v in _as_list(values, "find without") if not any(_deep_equal(v, o) for o in omit)]


def has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return any(_deep_equal(needle, v) for v in _as_list(haystack, "find has"))


def compact(values: Any) -> list[Any]:
    return [v for v in _as_list(values, "compact") if not is_empty(v)]


def concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        out.extend(_as_list(item, "concat"))
    return out


def reverse(values: Any) -> list[Any]:
    return list(reversed(_as_list(values, "find reverse")))


def chunk(size: int, values: Any) -> list[Any]:
    items = _as_list(values, "chunk")
    return [items[i : i + size] for i in range(0, len(items), size)] if size > 0 else []


def until(count: int) -> list[Any]:
    return list(range(count)) if count >= 0 else list(range(0, count, -1))


def until_step(start: int, stop: int, step: int) -> list[Any]:
    if step == 0 or (step > 0 and start >= stop) or (step < 0 and start <= stop):
        return []
    return list(range(start, stop, step))


def seq(*params: Any) -> str:
    nums = [to_int64(p) for p in params]
    if len(nums) == 1:
        start, step, end = 1, 1, nums[0]
        if end < start:
            step = -1
    elif len(nums) == 2:
        start, end = nums
        step = 1 if end >= start else -1
    elif len(nums) == 3:
        start, step, end = nums
        if (end < start and step >= 0) or (end > start and step <= 0):
            return ""
    else:
        return ""
    if step == 0:
        return ""
    stop = end + (1 if step > 0 else -1)
    return " ".join(str(i) for i in range(start, stop, step))


# -- dictionaries ---------------------------------------------------------------------


def dict_(*pairs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(pairs), 2):
        key = strval(pairs[i])
        out[key] = pairs[i + 1] if i + 1 < len(pairs) else ""
    return out


def get(d: dict[str, Any], key: str) -> Any:
    if d is None or key not in d:
        return ""
    return d[key]


def set_(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    _as_map(d)[key] = value
    return d


def unset(d: dict[str, Any], key: str) -> dict[str, Any]:
    _as_map(d).pop(key, None)
    return d


def has_key(d: dict[str, Any], key: str) -> bool:
    return d is not None and key in d


def keys(*dicts: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for d in dicts:
        out.extend((d or {}).keys())
    return sorted(out)


def values(d: dict[str, Any]) -> list[Any]:
    d = d or {}
    return [d[k] for k in sorted(d)]


def pluck(name: str, *dicts: dict[str, Any]) -> list[Any]:
    return [d[name] for d in dicts if d is not None and name in d]


def pick(d: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in (d or {}).items() if k in names}


def dig(*args: Any) -> Any:
    if len(args) < 3:
        raise FuncError(f"dig needs at least three arguments, got {len(args)}")
    path, fallback, data = args[:-2], args[-2], args[-1]
    current: Any = data
    for key in path:
        if not isinstance(current, Mapping) or strval(key) not in current:
            return fallback
        current = current[strval(key)]
    return current


def _merge_into(dst: dict[str, Any], src: Mapping[str, Any], overwrite: bool) -> None:
    for key, value in src.items():
        if key in dst and isinstance(dst[key], dict) and isinstance(value, Mapping):
            _merge_into(dst[key], value, overwrite)
        elif key not in dst or is_empty(dst[key]) or (overwrite and not is_empty(value)):
            dst[key] = copy.deepcopy(value)


def merge(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    target = _as_map(dst)
    for src in srcs:
        _merge_into(target, src or {}, overwrite=False)
    return target


def merge_overwrite(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    target = _as_map(dst)
    for src in srcs:
        _merge_into(target, src or {}, overwrite=True)
    return target


def deep_copy(value: Any) -> Any:
    return copy.deepcopy(value)


# -- math -----------------------------------------------------------------------------


def add(*values: Any) -> int:
    return sum(to_int64(v) for v in values)


def add1(value: Any) -> int:
    return to_int64(value) + 1


def sub(a: Any, b: Any) -> int:
    return to_int64(a) - to_int64(b)


def mul(a: Any, *values: Any) -> int:
    result = to_int64(a)
    for v in values:
        result *= to_int64(v)
    return result


def div(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise FuncError("runtime error: integer divide by zero")
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def mod(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise FuncError("runtime error: integer divide by zero")
    return x - div(x, y) * y


def max_(a: Any, *values: Any) -> int:
    return max([to_int64(a), *(to_int64(v) for v in values)])


def min_(a: Any, *values: Any) -> int:
    return min([to_int64(a), *(to_int64(v) for v in values)])


def addf(*values: Any) -> float:
    return sum(to_float64(v) for v in values)


def subf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        result -= to_float64(v)
    return result


def mulf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        result *= to_float64(v)
    return result


def divf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        divisor = to_float64(v)
        if divisor == 0:
            result = float("inf") if result > 0 else float("-inf") if result < 0 else float("nan")
        else:
            result /= divisor
    return result


def to_int(value: Any) -> int:
    return to_int64(value)


def atoi(text: str) -> int:
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return 0
    return int(text)


def to_string(value: Any) -> str:
    return strval(value)


def to_strings(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [strval(v) for v in value]
    return [strval(value)]


def to_decimal(value: Any) -> int:
    try:
        return int(strval(value), 8)
    except ValueError:
        return 0


# -- encoding -------------------------------------------------------------------------


def b64enc(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def b64dec(text: str) -> str:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8", "replace")
    except (ValueError, UnicodeEncodeError) as exc:
        return f"illegal base64 data: {exc}"


def b32enc(text: str) -> str:
    return base64.b32encode(text.encode("utf-8")).decode("ascii")


def b32dec(text: str) -> str:
    try:
        return base64.b32decode(text.encode("ascii")).decode("utf-8", "replace")
    except (ValueError, UnicodeEncodeError) as exc:
        return f"illegal base32 data: {exc}"


def sha256sum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha1sum(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def adler32sum(text: str) -> str:
    return str(zlib.adler32(text.encode("utf-8")))


def to_json(value: Any) -> str:
    try:
        return gojson.marshal(value)
    except FuncError:
        return ""


def to_pretty_json(value: Any) -> str:
    try:
        return gojson.marshal(value, indent="  ")
    except FuncError:
        return ""


def to_raw_json(value: Any) -> str:
    return gojson.marshal(value, escape_html=False)


def from_json(text: str) -> dict[str, Any]:
    try:
        data = gojson.unmarshal(text)
    except FuncError:
        return {}
    return data if isinstance(data, dict) else {}


def must_from_json(text: str) -> Any:
    return gojson.unmarshal(text)


def to_yaml(value: Any) -> str:
    try:
        return goyaml.marshal(value).removesuffix("\n")
    except FuncError:
        return ""


def from_yaml(text: str) -> dict[str, Any]:
    try:
        data = goyaml.unmarshal(text)
    except FuncError as exc:
        return {"Error": str(exc)}
    if data is None:
        return {}
    if not isinstance(data, dict):
        return {"Error": "error unmarshaling JSON: cannot unmarshal into map[string]interface {}"}
    return data


def from_yaml_array(text: str) -> list[Any]:
    try:
        data = goyaml.unmarshal(text)
    except FuncError as exc:
        return [str(exc)]
    return data if isinstance(data, list) else []


# -- reflection -----------------------------------------------------------------------


def type_of(value: Any) -> str:
    return go_type(value)


def kind_of(value: Any) -> str:
    return go_kind(value)


def kind_is(target: str, value: Any) -> bool:
    return go_kind(value) == target


def type_is(target: str, value: Any) -> bool:
    return go_type(value) == target


def type_is_like(target: str, value: Any) -> bool:
    t = go_type(value)
    return target in (t, "*" + t)


def deep_equal(a: Any, b: Any) -> bool:
    return _deep_equal(a, b)


# -- paths and environment ------------------------------------------------------------


def path_base(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    return posixpath.basename(stripped) if stripped else "/"


def path_dir(path: str) -> str:
    return posixpath.normpath(posixpath.dirname(path)) if "/" in path else "."


def path_ext(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    i = base.rfind(".")
    return base[i:] if i >= 0 else ""


def path_clean(path: str) -> str:
    if path == "":
        return "."
    cleaned = posixpath.normpath(path)
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def path_is_abs(path: str) -> bool:
    return path.startswith("/")


def env(name: str) -> str:
    """Sprig's env reads the process environment; rendering is hermetic, so it is ""."""
    return ""


def expandenv(text: str) -> str:
    return re.sub(r"\$\{[^}]*\}|\$[A-Za-z0-9_]+", "", text)


def semver_compare_func(constraint: str, version: str) -> bool:
    return semver_compare(constraint, version)


_NONDETERMINISTIC = [
    "now",
    "date",
    "dateInZone",
    "date_in_zone",
    "dateModify",
    "date_modify",
    "mustDateModify",
    "must_date_modify",
    "ago",
    "duration",
    "durationRound",
    "unixEpoch",
    "toDate",
    "mustToDate",
    "htmlDate",
    "htmlDateInZone",
    "randAlphaNum",
    "randAlpha",
    "randAscii",
    "randNumeric",
    "randBytes",
    "randInt",
    "uuidv4",
    "shuffle",
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "encryptAES",
    "decryptAES",
    "getHostByName",
    "bcrypt",
    "htpasswd",
]
_NOT_IMPLEMENTED = [
    "abbrev",
    "abbrevboth",
    "camelcase",
    "kebabcase",
    "snakecase",
    "swapcase",
    "wrap",
    "wrapWith",
    "initials",
    "plural",
    "sha512sum",
    "semver",
    "urlParse",
    "urlJoin",
    "floor",
    "ceil",
    "round",
    "biggest",
    "maxf",
    "minf",
    "add1f",
    "mustToRawJson",
    "mustToPrettyJson",
    "mustRegexMatch",
    "mustRegexFindAll",
    "mustRegexFind",
    "mustRegexReplaceAll",
    "mustRegexReplaceAllLiteral",
    "mustRegexSplit",
    "mustPush",
    "push",
    "mustPrepend",
    "mustFirst",
    "mustLast",
    "mustRest",
    "mustInitial",
    "mustReverse",
    "mustUniq",
    "mustWithout",
    "mustHas",
    "mustCompact",
    "mustSlice",
    "mustDeepCopy",
    "mustMerge",
    "mustMergeOverwrite",
    "mustChunk",
    "mustDig",
    "tuple",
    "fromJsonArray",
    "mustFromJsonArray",
]


def _unsupported_table() -> dict[str, Callable[..., Any]]:
    table: dict[str, Callable[..., Any]] = {}
    for name in _NONDETERMINISTIC:
        table[name] = Unsupported("its result is not deterministic (time, randomness, keys)")
    for name in _NOT_IMPLEMENTED:
        table[name] = Unsupported("this Sprig function is not implemented by meshinject")
    return table


SPRIG: dict[str, Callable[..., Any]] = {
    **_unsupported_table(),
    # defaults and flow
    "default": default,
    "empty": empty,
    "coalesce": coalesce,
    "all": all_,
    "any": any_,
    "ternary": ternary,
    "required": required,
    "fail": fail,
    # strings
    "quote": quote,
    "squote": squote,
    "cat": cat,
    "indent": indent,
    "nindent": nindent,
    "contains": contains,
    "hasPrefix": has_prefix,
    "hasSuffix": has_suffix,
    "trimPrefix": trim_prefix,
    "trimSuffix": trim_suffix,
    "trim": trim,
    "trimAll": trim_all,
    "trimall": trim_all,
    "lower": lower,
    "upper": upper,
    "title": title,
    "untitle": untitle,
    "nospace": nospace,
    "replace": replace,
    "repeat": repeat,
    "substr": substr,
    "trunc": trunc,
    "split": split,
    "splitn": splitn,
    "splitList": split_list,
    "join": join,
    "sortAlpha": sort_alpha,
    "toString": to_string,
    "toStrings": to_strings,
    # regular expressions
    "regexMatch": regex_match,
    "regexFind": regex_find,
    "regexFindAll": regex_find_all,
    "regexReplaceAll": regex_replace_all,
    "regexReplaceAllLiteral": regex_replace_all_literal,
    "regexSplit": regex_split,
    "regexQuoteMeta": regex_quote_meta,
    # lists
    "list": list_,
    "append": append,
    "mustAppend": append,
    "prepend": prepend,
    "first": first,
    "last": last,
    "rest": rest,
    "initial": initial,
    "uniq": uniq,
    "without": without,
    "has": has,
    "compact": compact,
    "concat": concat,
    "reverse": reverse,
    "chunk": chunk,
    "until": until,
    "untilStep": until_step,
    "seq": seq,
    # dictionaries
    "dict": dict_,
    "get": get,
    "set": set_,
    "unset": unset,
    "hasKey": has_key,
    "keys": keys,
    "values": values,
    "pluck": pluck,
    "pick": pick,
    "dig": dig,
    "merge": merge,
    "mergeOverwrite": merge_overwrite,
    "deepCopy": deep_copy,
    "deepEqual": deep_equal,
    # math and conversion
    "add": add,
    "add1": add1,
    "sub": sub,
    "mul": mul,
    "div": div,
    "mod": mod,
    "max": max_,
    "min": min_,
    "addf": addf,
    "subf": subf,
    "mulf": mulf,
    "divf": divf,
    "int": to_int,
    "int64": to_int,
    "float64": to_float64,
    "atoi": atoi,
    "toDecimal": to_decimal,
    # encoding
    "b64enc": b64enc,
    "b64dec": b64dec,
    "b32enc": b32enc,
    "b32dec": b32dec,
    "sha256sum": sha256sum,
    "sha1sum": sha1sum,
    "adler32sum": adler32sum,
    "toJson": to_json,
    "mustToJson": gojson.marshal,
    "toPrettyJson": to_pretty_json,
    "toRawJson": to_raw_json,
    "fromJson": from_json,
    "mustFromJson": must_from_json,
    "toYaml": to_yaml,
    "fromYaml": from_yaml,
    "fromYamlArray": from_yaml_array,
    # reflection
    "typeOf": type_of,
    "kindOf": kind_of,
    "kindIs": kind_is,
    "typeIs": type_is,
    "typeIsLike": type_is_like,
    # paths and environment
    "base": path_base,
    "dir": path_dir,
    "ext": path_ext,
    "clean": path_clean,
    "isAbs": path_is_abs,
    "osBase": path_base,
    "osDir": path_dir,
    "osExt": path_ext,
    "osClean": path_clean,
    "osIsAbs": path_is_abs,
    "env": env,
    "expandenv": expandenv,
    "semverCompare": semver_compare_func,
}


__all__ = ["SPRIG", "strval", "to_float64", "to_int64"]
