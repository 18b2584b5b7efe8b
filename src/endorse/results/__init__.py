"""Results: see routes.py for the HTTP surface and endorse/cli/results.py for the CLI."""
