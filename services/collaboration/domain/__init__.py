"""The collaboration domain: plain Python, no broker, no database."""
