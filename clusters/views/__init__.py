"""Views of the clusters app: staff pages, imports, settings, and the organisation side."""
