"""Name matching: endorsements (names as staff typed them) to ballot candidacies.

Below both of its callers: the registry (endorse.endorsements) and the results ingest tell it
what changed through endorse.matching.auto, inside their own transaction; it reads the
endorsements and the ballot through SQL and imports neither domain.
"""
