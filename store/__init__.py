"""Tables, the engine, ingest (the posting lifecycle) and the read queries."""
