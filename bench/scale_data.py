"""The scale data set of issue 16: 100,000 organizations with more than 1,000,000 support
records (funds, payments, projects, talent records, evaluations, space allocations) over ten
years, made by the demo generator into a SQLite registry kept in bench/results/.

    .venv/bin/python bench/scale_data.py [--orgs 100000] [--years 10]

Then, for instance: ``bench/bench_memory.py --registry bench/results/scale-100000x10y.sqlite3``.
Generating it takes about ten minutes on a two-core machine (the demo writes through the
import's bulk path, every record checked by the services as a form's save is). A file already
made is kept and only counted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_memory import counts  # noqa: E402
from bench.bench_org_list import RESULTS, demo_file  # noqa: E402


def scale_file(orgs: int, years: int, folder: Path = RESULTS) -> Path:
    path = folder / f"scale-{orgs}x{years}y.sqlite3"
    return demo_file(path, orgs=orgs, seed=16, years=years)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)
    path = scale_file(args.orgs, args.years)
    found = counts(path)
    support = sum(n for table, n in found.items() if table != "organizations")
    print(f"{path}: {found['organizations']:,} organizations, {support:,} support records")
    for table, n in found.items():
        print(f"  {table:20} {n:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
