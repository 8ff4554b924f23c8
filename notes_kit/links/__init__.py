"""Link liveness: `notes-kit links` and `lint --check-links` (rules NK306-NK310).

targets.py finds every URL of a page (homepage, paper lists, paper links) with its position
and paper; settings.py reads `[links]` of the config; http.py checks URLs with httpx (the
only module that imports it); store.py keeps per-URL results with a time to live;
verdicts.py turns results into findings; run.py ties them together; command.py is the CLI.
Nothing here is imported by an ordinary lint.
"""
