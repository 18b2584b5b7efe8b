"""Dashboard: see routes.py for the HTTP surface."""
