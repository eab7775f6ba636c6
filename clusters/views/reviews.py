"""The review queue: cluster staff approve or send back new and changed profiles, test sites,
knowledge offers and needs of their members and applicants; network admins see every queue.
The rules are network.moderation's; these views only show them and ask for decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusters import moderation as cluster_moderation
from clusters.permissions import VIEW, capabilities, get_cluster_for_user
from clusters.querysets import is_network_admin
from network import moderation
from network.redirects import next_path

QUEUE_LIMIT = 200  # oldest first; more than this waiting means the queue needs people, not pages


def _render_queue(request, cluster):
    items, total = cluster_moderation.queue(cluster, limit=QUEUE_LIMIT)
    return render(
        request,
        "clusters/review_queue.html",
        {
            "cluster": cluster,
            "items": items,
            "total": total,
            "can": capabilities(request.user, cluster) if cluster else set(),
        },
    )


@login_required
def review_queue(request, slug):
    return _render_queue(request, get_cluster_for_user(request, slug, VIEW))


@login_required
def review_queue_all(request):
    if not is_network_admin(request.user):
        raise PermissionDenied
    return _render_queue(request, None)


def _item_for_reviewer(request, kind: str, pk: int):
    model = moderation.KINDS.get(kind)
    if model is None:
        raise Http404
    queryset = model.objects.all()
    if kind != "organisation":
        queryset = queryset.select_related("owner")
    item = get_object_or_404(queryset, pk=pk)
    if not moderation.may_review(request.user, moderation.owner_of(item)):
        # Said the same way whether the item exists or not.
        raise Http404
    return item


def _back(request) -> str:
    queue = "clusters:review_queue_all" if is_network_admin(request.user) else "clusters:index"
    return next_path(request, default=reverse(queue), field="back")


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, kind, pk):
    item = _item_for_reviewer(request, kind, pk)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                moderation.approve(item, actor=request.user)
                messages.success(request, _("Approved: it is shown now."))
            elif action == "send_back":
                moderation.send_back(item, actor=request.user, reason=request.POST.get("reason"))
                messages.success(request, _("Sent back to the owners with your reason."))
            else:
                raise moderation.ReviewError(_("Choose approve or send back."))
        except moderation.ReviewError as exc:
            error = str(exc)
        else:
            return redirect(_back(request))
        item.refresh_from_db()
    return render(
        request,
        "clusters/review_detail.html",
        {
            "item": item,
            "kind": kind,
            "kind_label": moderation.KIND_LABELS[kind],
            "title": moderation.title_of(item),
            "owner": moderation.owner_of(item),
            "content": moderation.content_rows(item),
            "changes": moderation.change_rows(item),
            "events": moderation.history(item)[:20],
            "error": error,
            "reason": request.POST.get("reason", ""),
            "back": request.POST.get("back") or request.GET.get("back", ""),
        },
    )
