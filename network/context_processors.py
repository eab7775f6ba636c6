from django.conf import settings

from network.permissions import is_network_admin


def portal(request):
    user = getattr(request, "user", None)
    return {
        "network_name": settings.NETWORK_NAME,
        "is_network_admin": is_network_admin(user),
    }
