"""``talentflow demo``: the service on a bundled, fictional sample, offline."""
