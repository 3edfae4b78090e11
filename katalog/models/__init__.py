from .catalogue import (
    Audience,
    Category,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    DeliveryMode,
    SessionStatus,
)
from .guidance import (
    CentreKind,
    CentrePage,
    DecentralisedEducationPage,
    ExceptionDay,
    GuidanceIndexPage,
    OpeningHours,
    Service,
    Weekday,
)
from .guidance_requests import GuidanceRequest, GuidanceRequestLogEntry
from .places import Municipality, Region
from .self_assessment import SelfAssessmentPage

__all__ = [
    "Audience",
    "Category",
    "CentreKind",
    "CentrePage",
    "CourseIndexPage",
    "CoursePage",
    "CourseSession",
    "DecentralisedEducationPage",
    "DeliveryMode",
    "ExceptionDay",
    "GuidanceIndexPage",
    "GuidanceRequest",
    "GuidanceRequestLogEntry",
    "Municipality",
    "OpeningHours",
    "Region",
    "SelfAssessmentPage",
    "Service",
    "SessionStatus",
    "Weekday",
]
