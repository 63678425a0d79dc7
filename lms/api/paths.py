"""Features register a function here that adds their OpenAPI paths: add(paths, unauthorized_response)."""
REGISTRY = []
