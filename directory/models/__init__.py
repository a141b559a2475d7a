"""The directory's data: reference tables, listings and their locations, moderation and
stewardship. Everything is importable from `directory.models`, as Django and the
migrations expect.

- reference: organization types, languages, sectors, jurisdictions
- listings: organizations, their lifecycle and social links
- locations: where organizations are, with the public precision of each point
- moderation: suggestions, possible duplicates, old-address redirects
- stewardship: verification requests and the organizer mail throttle
- limits: counters of the per-client limits kept in the database
- provenance: the public-source record each imported listing came from
"""

from directory.models.fields import (
    HttpURLField,
    HttpURLFormField,
    NaturalKeyManager,
    TypedTextModel,
    validate_hex_colour,
    validate_http_url,
    validate_phone,
    validate_zip_code,
)
from directory.models.imports import ImportJob, ImportJobStatus
from directory.models.limits import RateLimitCounter
from directory.models.listings import (
    AcceptingMembers,
    MembershipModel,
    Organization,
    OrganizationQuerySet,
    OrganizationStatus,
    SocialLink,
    stale_cutoff,
)
from directory.models.locations import Location, PointSource, Precision
from directory.models.moderation import (
    ChangeReason,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    DuplicateReason,
    DuplicateScan,
    PossibleDuplicate,
    PossibleDuplicateStatus,
    SlugRedirect,
)
from directory.models.provenance import Source, SourceRecord
from directory.models.reference import (
    Jurisdiction,
    JurisdictionKind,
    Language,
    OrganizationType,
    Sector,
)
from directory.models.stewardship import MailThrottle, VerificationAnswer, VerificationRequest

__all__ = [
    "AcceptingMembers",
    "ChangeReason",
    "ChangeRequest",
    "ChangeRequestKind",
    "ChangeRequestStatus",
    "DuplicateReason",
    "DuplicateScan",
    "HttpURLField",
    "HttpURLFormField",
    "ImportJob",
    "ImportJobStatus",
    "Jurisdiction",
    "JurisdictionKind",
    "Language",
    "Location",
    "MailThrottle",
    "MembershipModel",
    "NaturalKeyManager",
    "Organization",
    "OrganizationQuerySet",
    "OrganizationStatus",
    "OrganizationType",
    "PointSource",
    "PossibleDuplicate",
    "PossibleDuplicateStatus",
    "Precision",
    "RateLimitCounter",
    "Sector",
    "SlugRedirect",
    "SocialLink",
    "Source",
    "SourceRecord",
    "TypedTextModel",
    "VerificationAnswer",
    "VerificationRequest",
    "stale_cutoff",
    "validate_hex_colour",
    "validate_http_url",
    "validate_phone",
    "validate_zip_code",
]
