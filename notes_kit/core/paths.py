"""The names of things on disk: a conference page's file name and its YAML twin."""

from __future__ import annotations

import re
from pathlib import Path

_CONFERENCE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}(?:-\d+)?\.md")


def twin_of(path: str) -> str:
    return str(Path(path).with_suffix(".yaml"))


def is_conference_name(path: str) -> bool:
    return bool(_CONFERENCE_NAME.fullmatch(Path(path).name))
