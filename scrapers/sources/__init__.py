"""One module per board kind: a fetch step (I/O) and a pure parse step, plus the registry."""
