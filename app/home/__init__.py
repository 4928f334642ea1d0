"""The landing page and each role's starting point."""
