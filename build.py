#!/usr/bin/env python3
"""The command line of a sitrep site: check | build | serve (see `python build.py --help`)."""

from sitrep.cli import main

if __name__ == "__main__":
    main(prog_name="build.py")
