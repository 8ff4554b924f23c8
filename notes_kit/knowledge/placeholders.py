"""What `notes-kit new` writes where only the author knows the value, and the linter
names until it is filled in (NK201 homepage, NK202 paper list, NK203 rate)."""

PLACEHOLDER = "TODO"
PLACEHOLDER_URL = f"https://{PLACEHOLDER}"
RATE_PLACEHOLDER = f"{PLACEHOLDER}: P% (= accepted / submitted)"
