from network.models.accounts import User
from network.models.concepts import Concept
from network.models.joining import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    RegisterExtract,
)
from network.models.merges import DuplicateDismissal, OrganisationMerge
from network.models.moderation import ReviewAction, ReviewEvent, ReviewStatus
from network.models.notifications import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
)
from network.models.offers import KnowledgeOffer, TestSite
from network.models.organisations import Affiliation, Organisation, Person
from network.models.reference import FocusArea, Municipality, NetworkFigures, Region, Tag
from network.models.search import (
    SavedSearch,
    SavedSearchFrequency,
    SavedSearchSent,
    SearchDocument,
    SearchTerm,
    SearchWatermark,
)
from network.models.slugs import SlugKind, SlugRedirect

__all__ = [
    "Affiliation",
    "Concept",
    "DuplicateDismissal",
    "FocusArea",
    "Invitation",
    "JoinRequest",
    "JoinRequestStatus",
    "KnowledgeOffer",
    "Municipality",
    "NetworkFigures",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "Organisation",
    "OrganisationMerge",
    "Person",
    "Region",
    "RegisterExtract",
    "ReviewAction",
    "ReviewEvent",
    "ReviewStatus",
    "SavedSearch",
    "SavedSearchFrequency",
    "SavedSearchSent",
    "SearchDocument",
    "SearchTerm",
    "SearchWatermark",
    "SlugKind",
    "SlugRedirect",
    "Tag",
    "TestSite",
    "User",
]
