"""Model <-> plain data <-> YAML text, the safe loader and the JSON Schema."""
