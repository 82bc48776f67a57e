"""The consultation domain: plain Python, no broker, no database."""
