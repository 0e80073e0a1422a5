"""Pasis TUI: Region Skåne's Pasis screens for öppen kallelse, in the terminal."""

__version__ = "0.1.0"
