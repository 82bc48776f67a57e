"""Read models of the outreach service."""
