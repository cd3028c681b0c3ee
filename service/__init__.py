"""Settings, CLI, the FastAPI app, the scheduler and the webhook dispatcher."""
