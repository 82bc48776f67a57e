"""Read models of the collaboration instance, caught up from its own notification log."""
