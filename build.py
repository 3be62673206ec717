#!/usr/bin/env python3
"""The command line of a sitrep site: check | build | serve (see `python build.py --help`)."""

from sitrep.cli import run

if __name__ == "__main__":
    run(prog_name="build.py")
