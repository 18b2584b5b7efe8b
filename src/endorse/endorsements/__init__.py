"""Endorsements: see routes.py for the HTTP surface and endorse/cli/endorsements.py for the CLI."""
