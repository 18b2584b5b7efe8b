"""Token authentication, role guards and the audit log."""
