"""The directory domain: plain Python, no broker, no database."""
