from .catalogue import CourseIndexPage
from .guidance import GuidanceIndexPage
from .places import Municipality, Region

__all__ = ["CourseIndexPage", "GuidanceIndexPage", "Municipality", "Region"]
