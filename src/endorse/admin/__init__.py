"""Administration: API tokens, endorsing bodies and the audit log (see routes.py)."""
