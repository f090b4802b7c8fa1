"""Pure model and rules: dataclasses, enums and calculations with no I/O."""
