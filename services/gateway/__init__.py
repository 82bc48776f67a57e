"""窓口 (gateway): the only door for people into an organisation's instances."""
