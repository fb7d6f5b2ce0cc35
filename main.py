"""Incubator Registry. No arguments: the desktop app. With a command: the headless CLI.

python main.py                 # desktop app
python main.py --help          # commands: demo, orgs, db
"""

from ui.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
