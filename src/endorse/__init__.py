"""endorse: election endorsement and results tracker."""

__version__ = "0.1.0"
