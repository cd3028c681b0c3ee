"""Job-board scrapers: a fetch step (I/O) and a pure parse step per source kind."""
