"""The terminal face: a Typer app, a module per area. Heavy imports wait for the command."""
