"""The payload of each integration event, one module per publishing service."""
