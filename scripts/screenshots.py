"""Render the desktop app, in both languages, to docs/screenshots/, by driving it as a person
does: clicks on the sidebar, the tabs and the buttons, typing into the fields, dialogs answered
by clicks (the same helpers as the UI tests, tests/ui/person.py), never by calling the code
behind the widgets.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen on a throwaway registry filled with demo data (seed 2026), so the pictures are
the same on every machine.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from incubator import demo, voiding
from incubator.db import Database
from incubator.domain import Stage
from incubator.i18n import set_language, tr
from incubator.schema import upgrade
from incubator.services import compliance, funds, narratives, projects, registry, targets
from incubator.services.registry import OrgQuery
from tests.factories import credit_code
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui import fonts
from ui.gc_guard import GarbageCollector
from ui.main_window import PAGES, MainWindow
from ui.qt_setup import keep_window_state_in_config_folder, use_qt_translations


class Bot:
    """The part of pytest-qt's ``qtbot`` that tests/ui/person.py uses, on plain QTest."""

    def mouseClick(self, widget, button, modifier=None, pos=None) -> None:
        QTest.mouseClick(widget, button, modifier or person.Qt.KeyboardModifier(0), pos)

    def mouseDClick(self, widget, button, modifier=None, pos=None) -> None:
        QTest.mouseDClick(widget, button, modifier or person.Qt.KeyboardModifier(0), pos)

    def keyClick(self, widget, key, modifier=None) -> None:
        QTest.keyClick(widget, key, modifier or person.Qt.KeyboardModifier(0))

    def keyClicks(self, widget, text) -> None:
        QTest.keyClicks(widget, text)

    def wait(self, ms: int) -> None:
        QTest.qWait(ms)

    @contextlib.contextmanager
    def waitSignal(self, signal, timeout: int = 5_000):
        got: list[bool] = []

        def seen(*_args) -> None:
            got.append(True)

        signal.connect(seen)
        try:
            yield
            self.waitUntil(lambda: bool(got), timeout)
        finally:
            signal.disconnect(seen)

    def waitUntil(self, condition, timeout: int = 5_000) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there in time")
            QTest.qWait(20)


def settle(seconds: float = 0.6) -> None:
    """Let background work finish and the window repaint, in a real event loop (qWait): a
    bare processEvents loop never runs deferred deletions, and PySide6 crashed on that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or QThreadPool.globalInstance().activeThreadCount():
        QTest.qWait(50)


def shoot(widget: QWidget, path: Path, written: list[Path]) -> None:
    settle()
    widget.grab().save(str(path))
    written.append(path)


def bureau_list(folder: Path) -> Path:
    """A civil-affairs bureau's list as such lists come: a title, a note, one bad code."""
    book = Workbook()
    ws = book.active
    ws.title = "名录"
    ws.append(["2026年天山区社会组织名录"])
    ws.append(["制表单位：天山区民政局"])
    header = ["序号", "社会组织名称", "统一社会信用代码", "法定代表人", "成立日期"]
    ws.append([*header, "注册资金（万元）"])
    spaced = credit_code(302).lower()
    ws.append([1, "天山区夕阳红老年协会", credit_code(301), "张建国", "2015-03-12", 3])
    ws.append([2, "天山区和谐邻里互助会", f"{spaced[:8]} {spaced[8:]}", "N/A", "2018/6/1", "5"])
    ws.append([3, "天山区青少年科普协会", credit_code(303)[:-2], "李娜", "2019年9月9日", "10"])
    ws.append([4, "新疆某某科技有限公司", "91650100MA7769100B", "王强", 43831, "200"])
    ws.append(["合计", "", "", "", "", 218])
    path = folder / "天山区社会组织名录.xlsx"
    book.save(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--orgs", type=int, default=120)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix="incubator-shots-"))
    os.environ["INCUBATOR_HOME"] = str(tmp / "home")
    QCoreApplication.setOrganizationName("IncubatorRegistryScreenshots")
    keep_window_state_in_config_folder()
    app = QApplication(sys.argv[:1])
    fonts.register(app)
    app.garbage_collector = GarbageCollector(app)  # as the app does: no GC in worker threads
    bot = Bot()

    db = Database(str(tmp / "registry.sqlite3"), actor="screenshots")
    upgrade(db)
    demo.generate(db, orgs=args.orgs, seed=2026)
    narratives.set_center_info(
        db,
        "乌鲁木齐市天山区社会组织孵化基地",
        None,
        purchaser="乌鲁木齐市天山区民政局",
        operator="新疆益行社会工作服务中心",
        contract_no="TSMZ-GM-2026-017",
    )
    targets.save(
        db,
        dt.date.today().year,
        {"incubated": 40, "graduation_rate": 80, "disbursed": "600万", "training_hours": 1200},
        0,
    )
    busiest = max(
        registry.search_ids(db, OrgQuery(stage=Stage.MID_TERM))[:40],
        key=lambda i: len(funds.funds_of(db, i)),
    )
    busiest_name = registry.get(db, busiest).name
    # Where it stands with the authority: a listing still open, shown in red in its header.
    if registry.get(db, busiest).registered_on is not None:
        compliance.record_listing(
            db,
            busiest,
            {
                "list_kind": "abnormal",
                "listed_on": dt.date.today() - dt.timedelta(days=40),
                "authority": "天山区民政局",
                "reason": "通过登记的住所无法取得联系",
            },
            actor="张敏",
        )
    # A project entered twice: the second voided, as the History page lists it.
    twice = projects.list_for(db, busiest)[0]
    copy = projects.add(
        db, busiest, {"name": twice.name, "budget": twice.budget, "start_on": twice.start_on}
    )
    voiding.void(db, "projects", copy.id, "与同名项目重复录入", actor="张敏")

    written: list[Path] = []
    for lang in ("zh_CN", "en"):
        use_qt_translations(set_language(lang))
        window = MainWindow(db)
        window.resize(1400, 820)
        window.show()
        window.activateWindow()
        window.offer_demo_if_empty()  # as ui.app starts it: a registry with data lists it
        settle()
        for key in PAGES:
            page = window.pages[key]
            if key in ("dashboard", "compliance"):  # read off the GUI thread: wait for it
                with bot.waitSignal(page.loaded, timeout=60_000):
                    person.click_row(bot, window.nav, PAGES.index(key))
            else:
                person.click_row(bot, window.nav, PAGES.index(key))
            if key == "reports":  # a generated report in the preview
                reports = window.reports
                person.type_into(bot, reports.period, "2026")
                person.click_row(bot, reports.orgs, 0)
                person.press(bot, reports, "generateButton")
                bot.waitUntil(lambda r=reports: r.pdf_path is not None, timeout=60_000)
                settle(3)  # QPdfView renders its pages asynchronously
            if key == "history":  # every change, newest first
                bot.waitUntil(lambda w=window: w.history.table.rowCount() > 0, timeout=30_000)
                settle()
            if key == "import_export":  # a bureau's list checked: every row's fate shown
                page = window.import_export
                person.type_into(bot, page.path, str(bureau_list(tmp)))
                person.press(bot, page, "checkImport")
                bot.waitUntil(lambda p=page: p.plan is not None, timeout=60_000)
                settle()
            shoot(window, args.out / f"{lang}-{key}.png", written)
            if key == "history":
                history = window.history
                person.open_tab(bot, history.tabs, tr("Voided records"))
                bot.waitUntil(lambda h=history: h.voided_table.rowCount() > 0, timeout=30_000)
                shoot(window, args.out / f"{lang}-history-voided.png", written)
                person.open_tab(bot, history.tabs, tr("Changes"))
            if key == "settings":  # a shared registry's connection, as typed

                def connection(dialog, lang: str = lang) -> None:
                    fill = {"server": "registry.center.local", "database": "registry"}
                    fill["user"] = "张敏"
                    for name, text in fill.items():
                        person.type_into(bot, dialog.fields[name], text)
                    person.choose(bot, dialog.tls, "verify-full")
                    person.type_into(bot, dialog.ca_file, "/etc/ssl/center-ca.pem")
                    settle()
                    shoot(dialog, args.out / f"{lang}-shared-registry.png", written)
                    person.answer(bot, dialog, person.Cancel)

                errors = when_modal(
                    connection, match=lambda w: w.objectName() == "connectionDialog"
                )
                person.press(bot, window.settings_page, "sharedRegistry")
                if errors:
                    print(f"connection dialog: {errors}", file=sys.stderr)

        # The list narrowed to overdue incubations, with the ⚠ legend.
        orgs = window.organizations
        person.click_row(bot, window.nav, PAGES.index("organizations"))
        person.click(bot, orgs.overdue)
        shoot(window, args.out / f"{lang}-organizations-overdue.png", written)
        person.click(bot, orgs.overdue)

        # One organization with a full history, found by typing its name and opened by a
        # double click; then its tabs.
        person.type_into(bot, orgs.search, busiest_name)
        bot.waitUntil(lambda o=orgs: o.model.rowCount() == 1, timeout=10_000)
        settle()
        person.click_row(bot, orgs.table, 0, 1, double=True)
        page = window.organization_page
        bot.waitUntil(lambda w=window, p=page: w.stack.currentWidget() is p)
        for title in (
            "Profile",
            "Contacts",
            "Lifecycle",
            "Funds",
            "Compliance",
            "Documents",
            "History",
        ):
            name = title.lower()
            person.open_tab(bot, page.tabs, tr(title))
            if name == "funds":
                person.click_row(bot, page.funds_table, 0)
            shoot(window, args.out / f"{lang}-organization-{name}.png", written)
            if name == "documents" and page.documents.table.rowCount():
                # A document previewed in the app (QtPdf renders its pages asynchronously).
                def preview(dialog, lang: str = lang) -> None:
                    settle(2)
                    shoot(dialog, args.out / f"{lang}-document-preview.png", written)
                    dialog.reject()

                person.click_row(bot, page.documents.table, 0)
                errors = when_modal(preview)
                person.press(bot, page.documents, "previewDocument")
                if errors:
                    print(f"document preview: {errors}", file=sys.stderr)

        # Registering an organization under a name already in the registry: the warning
        # comes before anything is saved.
        def duplicate(dialog, lang: str = lang) -> None:
            person.fill(bot, dialog, name=busiest_name, legal_form="community_unregistered")
            person.answer(bot, dialog, person.Save)
            shoot(dialog, args.out / f"{lang}-new-organization-warning.png", written)
            # Closing asks before dropping what was typed: drop it.
            when_modal(
                lambda box: person.press(bot, box, tr("Discard it")),
                match=lambda w: w.objectName() == "discardTyped",
            )
            person.answer(bot, dialog, person.Cancel)

        person.click_row(bot, window.nav, PAGES.index("organizations"))  # back to the list
        errors = when_modal(duplicate)
        person.press(bot, window.organizations, "newOrgButton")
        if errors:
            print(f"new organization dialog: {errors}", file=sys.stderr)
        window.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
