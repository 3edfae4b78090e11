from .catalogue import CourseIndexPage
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
from .guidance_requests import GuidanceRequest
from .places import Municipality, Region
from .self_assessment import SelfAssessmentPage

__all__ = [
    "CentreKind",
    "CentrePage",
    "CourseIndexPage",
    "DecentralisedEducationPage",
    "ExceptionDay",
    "GuidanceIndexPage",
    "GuidanceRequest",
    "Municipality",
    "OpeningHours",
    "Region",
    "SelfAssessmentPage",
    "Service",
    "Weekday",
]
