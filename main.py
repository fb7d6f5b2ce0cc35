"""Incubator Registry. No arguments: the desktop app. With a command: the headless CLI.

python main.py                 # desktop app
python main.py --help          # commands: demo, orgs, db
"""

from multiprocessing import freeze_support

from ui.launcher import main

if __name__ == "__main__":
    freeze_support()  # a frozen build's report processes start here (``reports.pack_parts``)
    raise SystemExit(main())
