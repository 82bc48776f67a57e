"""The participation domain: plain Python aggregates, no bus and no database."""
