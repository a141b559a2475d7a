"""The shared interop reference files (Murmurations schemas, ESSGlobal vocabulary),
read offline. They live in `shared/interop/` beside the project's checkout (README,
"Open data for partners"); INTEROP_DIR overrides where."""

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


@cache
def interop_dir() -> Path:
    candidates = [Path(os.environ["INTEROP_DIR"])] if os.environ.get("INTEROP_DIR") else []
    candidates += [parent / "shared" / "interop" for parent in PROJECT.parents]
    for candidate in candidates:
        if (candidate / "murmurations").is_dir():
            return candidate
    pytest.fail(f"No shared/interop folder beside {PROJECT} or its parents (set INTEROP_DIR)")


def murmurations_schema() -> dict:
    path = interop_dir() / "murmurations" / "organizations_schema-v1.0.0.dereferenced.json"
    return json.loads(path.read_text())


def essglobal_concepts(scheme: str) -> set[str]:
    """The concept codes (OS60, L2, AM60 ...) an ESSGlobal taxonomy defines."""
    path = interop_dir() / "essglobal" / "DigitalCommons_map-sse_ica10" / "vocabs" / "standard"
    text = (path / f"{scheme}.ttl").read_text()
    return set(re.findall(r"^<([A-Z]+[0-9]+)> a skos:Concept", text, flags=re.MULTILINE))
