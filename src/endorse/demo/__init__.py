"""`endorse demo`: a simulated election night driven through the real pipeline."""
