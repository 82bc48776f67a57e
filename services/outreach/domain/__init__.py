"""The outreach domain: cases and their stages, consent, plans, area work."""
