"""名簿の写し — every business-line instance's copy of the city's directory.

The directory (services/directory) publishes a city's organisations, agencies, areas
(日常生活圏域) and KPI targets (数値目標) as integration events. Every instance of consultation,
collaboration, outreach, participation and community keeps a copy of them in its OWN event store
(one `DirectoryCopy` aggregate per city), folded by handlers that go through the same inbox path
as every other handler (exactly once, in the same transaction as the inbox entry). The kernel
adds these subscriptions and handlers to the service's own (kasane.services, the runtime), so a
service's integration.py need not name them. The copy is about no household: nothing personal.

- `aggregate` — the copy (plain Python, testable without broker or database);
- `handlers`  — which events it takes and how (SUBSCRIPTIONS, handlers(), keeps_copy);
- `reader`    — queries and the check a command runs before it names an agency or an area.

The package re-exports nothing: a domain importing the copy's plain aggregates
(`kasane.directory_copy.aggregate`) does not load the handlers' and reader's infrastructure.
"""
