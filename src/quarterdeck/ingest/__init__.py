"""Connectors that turn outside data (git history, deployment, incident, scanner, ticket and
cost exports) into domain records. Connectors use storage only through services."""
