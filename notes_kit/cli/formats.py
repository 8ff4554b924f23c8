"""The names `--format` takes (the reporters are in reporters*.py; text formats stream)."""

TEXT_FORMATS = ("text", "full", "concise", "grouped")
FORMATS = (*TEXT_FORMATS, "json", "sarif", "github", "rdjson", "gitlab", "summary")
