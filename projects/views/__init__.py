"""Views of the projects app: records (projects, activities, budgets) and funding reports."""
