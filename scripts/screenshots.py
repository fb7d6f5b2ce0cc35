"""Render every page of the desktop app, in both languages, to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen on a throwaway registry filled with demo data (seed 2026), so the pictures are
the same on every machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from incubator import demo
from incubator.db import Database
from incubator.domain import Stage
from incubator.i18n import set_language
from incubator.schema import upgrade
from incubator.services import funds, narratives, registry
from incubator.services.registry import OrgQuery
from ui import fonts
from ui.main_window import PAGES, MainWindow


def settle(app: QApplication, window: MainWindow) -> None:
    """Let background searches finish and the window repaint."""
    from PySide6.QtCore import QThreadPool

    for _ in range(50):
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(100)
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--orgs", type=int, default=120)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="incubator-shots-"))
    os.environ["INCUBATOR_HOME"] = str(tmp / "home")
    QCoreApplication.setOrganizationName("IncubatorRegistryScreenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qt"))
    app = QApplication(sys.argv[:1])
    fonts.register(app)

    db = Database(str(tmp / "registry.sqlite3"), actor="screenshots")
    upgrade(db)
    demo.generate(db, orgs=args.orgs, seed=2026)
    narratives.set_center_info(db, "乌鲁木齐市天山区社会组织孵化基地", None)

    written = []
    for lang in ("zh_CN", "en"):
        set_language(lang)
        window = MainWindow(db)
        window.resize(1400, 820)
        window.show()
        window.organizations.reload()
        for page in PAGES:
            window.show_page(page)
            if page == "reports":  # show a generated report in the preview
                window.reports.period.setText("2026")
                window.reports.orgs.setCurrentRow(0)
                window.reports.generate()
                settle(app, window)
                for _ in range(30):  # QPdfView renders its pages asynchronously
                    app.processEvents()
                    time.sleep(0.1)
            settle(app, window)
            path = args.out / f"{lang}-{page}.png"
            window.grab().save(str(path))
            written.append(path)
        # One organization with a full history: its profile, lifecycle and funds tabs.
        busiest = max(
            registry.search_ids(db, OrgQuery(stage=Stage.MID_TERM))[:40],
            key=lambda i: len(funds.funds_of(db, i)),
        )
        window.open_organization(busiest)
        for tab, name in ((0, "profile"), (1, "lifecycle"), (2, "funds")):
            window.organization_page.tabs.setCurrentIndex(tab)
            if name == "funds":
                window.organization_page.funds_table.selectRow(0)
            settle(app, window)
            path = args.out / f"{lang}-organization-{name}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
