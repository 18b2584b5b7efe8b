"""Tests of the scrapers package: parsers on fixtures and real samples, fetch over HTTP."""
