"""Projects in the network's one search (network.search), for those who may see them: the
lead cluster's staff, the partners' people and network admins (ProjectQuerySet.visible_to)."""

from django.utils.translation import gettext_lazy as _

from network.search.keys import facet_key
from network.search.sources import Document, Source
from projects.models import Project


class Projects(Source):
    kind = "project"
    label = _("Projects")
    model = Project
    order = 5

    def documents(self, ids):
        rows = (
            Project.objects.filter(pk__in=ids)
            .select_related("lead_cluster")
            .prefetch_related("focus_areas", "partners__organisation")
        )
        return [
            Document(
                object_id=row.pk,
                title=row.title,
                lead=" ".join(
                    [row.lead_cluster.name]
                    + [partner.organisation.name for partner in row.partners.all()]
                ),
                body=" ".join(
                    [row.description, row.outcome] + [area.name for area in row.focus_areas.all()]
                ),
                facets=tuple(facet_key("f", area.slug) for area in row.focus_areas.all()),
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def load(self, ids, user):
        return self.visible(user).select_related("lead_cluster").in_bulk(ids)

    def subtitle(self, item):
        return " · ".join([str(item.get_status_display()), item.lead_cluster.name])
