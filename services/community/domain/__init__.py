"""The community building domain: places, sheets, targets, coordinators, matchings, trainings."""
