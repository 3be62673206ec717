"""Turn pydantic validation errors into problems at the YAML line of the value at fault."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sitrep.frontmatter import Parsed
from sitrep.problems import Problem, did_you_mean, error
from sitrep.schema import describe

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "date_type": "a date like 2024-11-02",
}


def validate_fields(model: type[BaseModel], data: Any, parsed: Parsed, path: str,
                    where: tuple[str | int, ...] = ()) -> tuple[Any, list[Problem]]:
    """Validate data against a model; return the instance or None, and the problems."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        seen: set[tuple[Any, ...]] = set()
        problems = []
        for detail in exc.errors():
            key = (detail["loc"], detail["type"])
            mark = parsed.value_mark((*where, *detail["loc"]))
            if (mark.line, mark.column) in parsed.refused:
                continue
            if key not in seen:
                seen.add(key)
                problems.append(to_problem(model, detail, parsed, path, where))
        return None, problems


def to_problem(model: type[BaseModel], detail: ErrorDetails, parsed: Parsed, path: str,
               where: tuple[str | int, ...]) -> Problem:
    """Translate one pydantic error into a problem with our code, message and hint."""
    loc = (*where, *detail["loc"])
    kind = detail["type"]
    field = next((str(p) for p in reversed(detail["loc"]) if isinstance(p, str)), "value")
    got = detail.get("input")
    code, message, hint = _describe_error(model, detail, field, got)
    mark = parsed.mark(loc) if kind == "extra_forbidden" else parsed.value_mark(loc)
    if kind == "missing":
        mark = parsed.mark(loc[:-1])
    return error(path, mark.line, mark.column, code, message, hint)


def _describe_error(model: type[BaseModel], detail: ErrorDetails, field: str,
                    got: Any) -> tuple[str, str, str]:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        help_text = _field_help(model, detail["loc"])
        return "missing-field", f"missing required field '{field}'", f"add '{field}:'{help_text}"
    if kind == "extra_forbidden":
        return "unknown-field", f"unknown field '{field}'", did_you_mean(
            field, _fields_at(model, detail["loc"])) or "remove it, or put it under 'extra:'"
    if kind in ("wrong-type", "invalid-date", "invalid-url"):
        return kind, f"'{field}': {detail['msg']}", str(ctx.get("hint", ""))
    if kind in _EXPECTED:
        return "wrong-type", f"'{field}' expects {_EXPECTED[kind]}, got {describe(got)}", \
            _type_hint(kind, got)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'|(\d+)", str(ctx.get("expected", "")))
        options = [a or b for a, b in allowed]
        if isinstance(got, str) and got.strip() in options:
            hint = "write it without quotes"
        else:
            hint = did_you_mean(str(got), options)
        return "invalid-value", f"'{field}' must be one of {ctx.get('expected')}, " \
            f"got {describe(got)}", hint
    if kind == "string_too_short":
        return "invalid-length", f"'{field}' is empty", f"write the {field}"
    if kind == "string_too_long":
        return "invalid-length", f"'{field}' is {len(str(got))} characters long, more than " \
            f"{ctx.get('max_length')}", "shorten it"
    if kind == "too_short":
        return "empty-list", f"'{field}' needs at least one item", \
            f"add an item under '{field}:'"
    if kind == "too_long":
        return "invalid-length", f"'{field}' has {ctx.get('actual_length')} items, more than " \
            f"{ctx.get('max_length')}", ""
    if kind == "string_pattern_mismatch":
        return _pattern_problem(field, got)
    message = f"'{field}': {detail['msg']}"
    return kind if "-" in kind else "invalid-value", message, ""


def _pattern_problem(field: str, got: Any) -> tuple[str, str, str]:
    if field in ("id", "related"):
        return "invalid-id", f"'{got}' is not a valid id", \
            "use lowercase letters, digits and single hyphens, e.g. 'kursk-oblast'"
    if field == "wikidata":
        return "invalid-value", f"'{got}' is not a Wikidata item", "write it like Q423"
    if field == "iso":
        return "invalid-value", f"'{got}' is not an ISO 3166 code", \
            "write a country code like KP or a subdivision code like RU-KRS, in capitals"
    return "invalid-value", f"'{field}' has an invalid form: {describe(got)}", ""


def _type_hint(kind: str, got: Any) -> str:
    if kind == "string_type" and got is not None and not isinstance(got, (list, dict)):
        return "put the value in quotes to keep it as text"
    if kind == "list_type" and isinstance(got, str):
        return f"write a list: [{got}]"
    if kind == "list_type":
        return "write a list, one '- item' a line or [a, b]"
    return ""


def _field_help(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    fields = _model_at(model, loc)
    info = fields.model_fields.get(str(loc[-1])) if fields else None
    return f": {_clause(info.description)}" if info and info.description else ""


def _clause(sentence: str) -> str:
    """Make a field's description (a sentence) a clause that can follow a colon in a hint:
    'The bottom line up front, 1-600 characters.' becomes 'the bottom line up front, 1-600
    characters'. A word in capitals (ISO, ICD) keeps them."""
    text = sentence.strip().removesuffix(".")
    if text[:2].istitle():
        text = text[0].lower() + text[1:]
    return text


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    found = _model_at(model, loc)
    return list(found.model_fields) if found else []


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Find the model that holds the last element of loc."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = next(_models_in(info.annotation), None) if info else None
    return current


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)
