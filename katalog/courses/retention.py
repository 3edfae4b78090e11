"""The courses room keeps no personal data yet (see portal.retention); enrolments will."""

from portal.retention import not_personal

not_personal("courses.CoursePage", "the course contact published on the course page")
