from .catalogue import (
    Audience,
    Category,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    DeliveryMode,
    SessionStatus,
)
from .guidance import GuidanceIndexPage
from .places import Municipality, Region

__all__ = [
    "Audience",
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CourseSession",
    "DeliveryMode",
    "GuidanceIndexPage",
    "Municipality",
    "Region",
    "SessionStatus",
]
