"""Domain layer: typed models, errors and ports. Standard library and pydantic only."""
