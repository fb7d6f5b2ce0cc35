"""A desk saving edits one after another: ``python -m tests.reliability.edit_worker DB N``
renames organizations 1..N, each in its own save, and prints the number of each edit once it
is committed (the trials kill it and then look for every edit it reported)."""

from __future__ import annotations

import sys

from incubator.db import Database
from incubator.services import registry


def main() -> None:
    db = Database(sys.argv[1], actor="desk")
    for i in range(1, int(sys.argv[2]) + 1):
        org = registry.get(db, i)
        registry.update(db, i, {"name": f"改名后的组织{i}"}, org.version)
        print(i, flush=True)


if __name__ == "__main__":
    main()
