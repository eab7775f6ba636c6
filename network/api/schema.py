"""The OpenAPI schema also documents the API's refusals, so clients (and schemathesis) know
every status code an operation may answer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


REFUSALS = {
    "401": _("No token, or an unknown, revoked or expired one."),
    "403": _("The token lacks the scope this operation needs."),
    "404": _("Not found, or not visible to this token."),
    "429": _("The token's rate limit is used up; see Retry-After."),
}


class APIAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not getattr(self.view, "required_scope", None):
            return responses
        for code, description in REFUSALS.items():
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(description)), code
                ),
            )
        if self.method == "GET":
            responses.setdefault(
                "400",
                self._get_response_for_code(
                    OpenApiResponse(
                        {"type": "object", "additionalProperties": True},
                        description=str(_("A filter or parameter has a value it cannot take.")),
                    ),
                    "400",
                ),
            )
        return responses
