def navigation(request):
    """Cluster figures for the header (filled in by the membership pages)."""
    return {}
