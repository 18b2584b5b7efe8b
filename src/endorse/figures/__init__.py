"""Figures: see routes.py for the HTTP surface and endorse/cli/figures.py for the CLI."""
