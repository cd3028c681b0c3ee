"""Webhook delivery: SSRF guard, Standard Webhooks signing, message formats, the dispatcher."""
