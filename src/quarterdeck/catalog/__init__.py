"""Shipped reference data (role kinds, KPI catalog, cadences, playbook and assessment
templates) as YAML files with a typed loader."""
