"""Quarterdeck: the operating system for technology leadership."""

__version__ = "0.1.0"
__all__ = ["__version__"]
