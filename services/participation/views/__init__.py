"""Read models of the participation instance, caught up from its own notification log."""
