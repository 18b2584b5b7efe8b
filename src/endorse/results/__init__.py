"""Results: see routes.py for the HTTP surface and commands.py for the CLI."""
