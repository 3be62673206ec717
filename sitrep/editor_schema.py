"""JSON Schemas (2020-12) for editors, generated from the models the validator uses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from sitrep.schema import ID_PATTERN, ActorFields, BriefingFields, MetricFields, RegionFields

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("briefing", "actors", "regions", "metrics")


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema of a briefing's front matter, or of a registry file."""
    if kind == "briefing":
        return {"$schema": DIALECT, **BriefingFields.model_json_schema()}
    if kind == "metrics":
        return {
            "$schema": DIALECT,
            "title": "sitrep registry/metrics.yml",
            "description": "Maps metrics, as briefings name them, to how their series are drawn.",
            "type": ["object", "null"],
            "additionalProperties": {"$ref": "#/$defs/Entry"},
            "$defs": {"Entry": MetricFields.model_json_schema()},
        }
    model: type[BaseModel] = ActorFields if kind == "actors" else RegionFields
    entry = model.model_json_schema()
    definitions = entry.pop("$defs", {})
    return {
        "$schema": DIALECT,
        "title": f"sitrep registry/{kind}.yml",
        "description": f"Maps ids (lowercase, digits, hyphens) to {kind[:-1]} entries.",
        "type": ["object", "null"],
        "propertyNames": {"pattern": ID_PATTERN.pattern},
        "additionalProperties": {"$ref": "#/$defs/Entry"},
        "$defs": {**definitions, "Entry": entry},
    }
