"""Lists going out as spreadsheets: ``tables`` reads them, ``writers`` writes them."""

# The lists an export can make (``export KIND``); light, so the CLI's --help needs no database.
KINDS = (
    "organizations",
    "funds",
    "payments",
    "projects",
    "talent",
    "spaces",
    "reminders",
    "history",
    "compliance",
    "documents",
)
