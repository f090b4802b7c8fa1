"""Use cases, one function per business verb. Services take a unit of work and never commit."""
