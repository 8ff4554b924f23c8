"""The linter: configuration, the engine (lint and fix), suppressions and the rule registry."""
