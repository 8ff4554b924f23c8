"""Link liveness: `notes-kit links` and `lint --check-links` (rules NK306-NK310).

targets.py finds every URL of a page (homepage, paper lists, paper links) with its position
and paper; specs.py says what to ask for it (the URL, a DOI at the resolver, an arXiv id);
settings.py reads `[links]` of the config; http.py checks with httpx (the only module that
imports it; net.py holds its plain helpers); outcome.py is what a check found; store.py
keeps outcomes per URL with a time to live; verdicts.py turns them into findings; run.py
ties these together; command.py is the command line (its bar: notes_kit/progress.py).
Nothing here is imported by an ordinary lint.
"""
