"""sitrep: a static report-site generator for geopolitical and security briefings."""

__version__ = "0.1.0"
