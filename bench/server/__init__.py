"""Server-side pieces of the bench, loaded only by backend.settings.bench: the baseline view,
the no-op task and the query counter. Nothing in the applications imports this package."""
