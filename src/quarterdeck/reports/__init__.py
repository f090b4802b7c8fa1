"""Agenda and report builders and their renderers (HTML, Markdown, PDF) and charts."""
