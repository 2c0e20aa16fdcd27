"""Sprig's encodings: base64/32, hashes, JSON and YAML."""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import Any

from meshinject.gotemplate import gojson, goyaml
from meshinject.gotemplate.values import FuncError

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
