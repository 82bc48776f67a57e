"""Read models of the community service, fed from its own notification log."""
