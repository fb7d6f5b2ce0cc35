"""Short mode of the disk-full trials (``disk_full.py``): a few imports, batches of saves and
backups into a size-limited folder; the long mode (50 each) is one command, its figures in
docs/reliability.md."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.reliability import disk_full


def test_a_full_disk_is_said_and_loses_nothing():
    if os.geteuid() != 0 and not _user_namespaces():
        pytest.skip("size-limited folders need root or user namespaces (unshare -rm)")
    if os.geteuid() == 0 and (reason := disk_full.why_not_available()):
        pytest.skip(reason)
    command = [sys.executable, "-m", "tests.reliability.disk_full", "--trials", "2"]
    done = subprocess.run(
        [*command, "--seed", "7", "--rows", "1500"],
        capture_output=True,
        text=True,
        cwd=disk_full.ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| import | 2 |" in done.stdout and "| backup | 2 |" in done.stdout


def _user_namespaces() -> bool:
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0
