"""Background jobs: long work (the bulk scorecard ZIP) run outside the request, with progress."""
