"""A desk saving edits one after another: ``python -m tests.reliability.edit_worker DB N``
renames organizations 1..N, each in its own save, and prints the number of each edit once it
is committed (the trials kill it and then look for every edit it reported). A save the
registry refuses (a full disk) is said on stderr in the user's words, and the desk stops
(exit 1), as a member of staff would."""

from __future__ import annotations

import sys

from incubator.db import Database
from incubator.errors import IncubatorError
from incubator.services import registry


def main() -> int:
    db = Database(sys.argv[1], actor="desk")
    for i in range(1, int(sys.argv[2]) + 1):
        try:
            org = registry.get(db, i)
            registry.update(db, i, {"name": f"改名后的组织{i}"}, org.version)
        except IncubatorError as exc:
            print(exc.message(), file=sys.stderr)
            return 1
        print(i, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
