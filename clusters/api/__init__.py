"""The clusters' API resources: clusters, and a cluster's members for its own token."""
