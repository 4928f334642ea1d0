"""Scorecards: a country's maturity profile as a PDF and as an HTML preview, in six languages."""
