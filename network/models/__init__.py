from network.models.accounts import User
from network.models.merges import DuplicateDismissal, OrganisationMerge
from network.models.moderation import ReviewAction, ReviewEvent, ReviewStatus
from network.models.notifications import Notification, NotificationPreference
from network.models.offers import KnowledgeOffer, TestSite
from network.models.organisations import Affiliation, Organisation, Person
from network.models.reference import FocusArea, Municipality, NetworkFigures, Region, Tag

__all__ = [
    "Affiliation",
    "DuplicateDismissal",
    "FocusArea",
    "KnowledgeOffer",
    "Municipality",
    "NetworkFigures",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationMerge",
    "Person",
    "Region",
    "ReviewAction",
    "ReviewEvent",
    "ReviewStatus",
    "Tag",
    "TestSite",
    "User",
]
