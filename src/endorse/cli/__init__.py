"""The `endorse` command line: main.py builds the parser from one module per command group
(system, elections, endorsements, results + sources, figures, demo); helpers.py is what their
handlers share. The commands sit above the services and call down into them, never the reverse.
"""

from endorse.cli.main import main

__all__ = ["main"]
