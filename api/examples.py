"""Examples for the OpenAPI schema, taken from the demo data (``manage.py load_demo``, Riverbank
Council's view): real shapes and values, never placeholders. ``api.schema`` attaches them to
their components; tests/api/test_contract.py checks each has exactly its component's fields."""

POSTING_IN_SCHOOL = {
    "id": 5,
    "role": "primary",
    "officer_collar_number": "RB1006",
    "officer_name": "Femi Adebayo",
    "officer_rank": "Sergeant",
    "start_date": "2025-11-08",
    "end_date": None,
}
SCHOOL = {
    "urn": "9100049",
    "name": "Victoria Park Academy",
    "local_authority": "E09000901",
    "local_authority_name": "Riverbank",
    "ward": "E05909015",
    "ward_name": "Elm Park",
    "phase": "secondary",
    "status": "open",
    "establishment_type": "Community school",
    "statutory_low_age": 11,
    "statutory_high_age": 18,
    "pupil_count": 1551,
    "fsm_percentage": "35.7",
    "postcode": "RB5 6PQ",
    "bcu": "RB-BCU",
    "current_postings": [POSTING_IN_SCHOOL],
    "priority": {
        "total": "33.25",
        "rank_in_bcu": 13,
        "band": "medium",
        "crime": "32.54",
        "fsm": "10.71",
        "pupils": "10.00",
        "advice": "0.00",
        "coverage": "-20.00",
        "run_computed_at": "2026-12-06T20:08:38.832488Z",
    },
    "updated_at": "2026-12-06T20:08:33.533382Z",
}
POSTING = {
    "id": 7,
    "school": "9100003",
    "role": "secondary",
    "officer_collar_number": "RB1001",
    "officer_name": "Aisha Okafor",
    "officer_rank": "Police Constable",
    "start_date": "2026-09-16",
    "end_date": None,
    "updated_at": "2026-12-06T20:08:34.635072Z",
}
DSL_CONTACT = {
    "id": 1,
    "school": "9100001",
    "name": "Tomasz Rahman",
    "role": "lead",
    "email": "dsl.9100001@riverbank-schools.invalid",
    "phone": "020 7946 0895",
    "last_confirmed_on": "2025-07-24",
    "is_current": True,
    "updated_at": "2026-12-06T20:08:37.791344Z",
}
OFFICER_COMPLIANCE = {
    "collar_number": "RB1001",
    "name": "Aisha Okafor",
    "rank": "Police Constable",
    "bcu": "RB-BCU",
    "is_compliant": True,
    "courses": [
        {"course": "SSO-ADB", "course_name": "Adultification bias", "status": "current"},
        {"course": "SSO-SGC", "course_name": "Safeguarding children", "status": "current"},
    ],
}
CONCERN_STATISTICS = {
    "urn": "9100001",
    "name": "Ashgrove Nursery School",
    "total": "c",
    "by_category": {
        "neglect": "c",
        "physical": "c",
        "emotional": 0,
        "sexual": 0,
        "exploitation": 0,
        "online": 0,
        "bullying": 0,
        "mental_health": 0,
        "other": 0,
    },
    "by_status": {"open": "c", "under_review": "c", "referred": 0, "closed": 0},
    "shared_with_police": "c",
}
SEARCH_FIGURES = {
    "searches": 32,
    "thorough_searches": 6,
    "with_appropriate_adult": "c",
    "intimate_searches": "c",
    "referrals_made": "c",
    "share_of_searches_pct": "45.7",
    "appropriate_adult_pct": "c",
    "referral_pct": "c",
    "rate_per_1000_pupils": None,
    "relative_rate_vs_white": None,
}
SEARCH_ROW = {**SEARCH_FIGURES, "key": "13_15", "label": "13 to 15"}
SEARCH_STATISTICS = {
    "date_from": "2026-01-01",
    "date_to": "2026-11-30",
    "group_by": "age_band",
    "rows": [SEARCH_ROW],
    "total": {
        **SEARCH_FIGURES,
        "searches": 70,
        "thorough_searches": 11,
        "intimate_searches": 5,
        "share_of_searches_pct": "100.0",
    },
}
CHANGE = {
    "type": "posting",
    "id": "7",
    "deleted": False,
    "school": None,
    "posting": POSTING,
    "dsl_contact": None,
    "training_compliance": None,
    "search_statistics": None,
    "concern_statistics": None,
    "activity_summary": None,
}
STATISTICS_REFRESH = {"local_authority": "E09000901", "date_from": "2026-12-01", "date_to": "2026-12-31"}
STATISTICS_CHANGE = {
    **CHANGE,
    "type": "concern_statistics",
    "id": "E09000901",
    "posting": None,
    "concern_statistics": STATISTICS_REFRESH,
}
CHANGES_PAGE = {"changes": [CHANGE, STATISTICS_CHANGE], "cursor": "c1.79", "has_more": False}

ERROR = {"status": 404, "code": "not_found", "detail": "Not found.", "errors": {}}

ACTIVITY_ROW = {"key": "School visit or daily check", "label": "School visit or daily check", "activities": 36}
ACTIVITY_SUMMARY = {
    "month": "2026-11",
    "group_by": "category",
    "rows": [
        {"key": "Diversion referral", "label": "Diversion referral", "activities": 5},
        {"key": "One-to-one support or mentoring", "label": "One-to-one support or mentoring", "activities": 10},
        {"key": "PSHE or curriculum session", "label": "PSHE or curriculum session", "activities": "c"},
        {"key": "Post-incident support", "label": "Post-incident support", "activities": 5},
        ACTIVITY_ROW,
        {"key": "Youth service engagement", "label": "Youth service engagement", "activities": "c"},
    ],
    "total": 62,
}
COMPONENT_EXAMPLES = {
    "Error": ERROR,
    "School": SCHOOL,
    "CurrentPosting": POSTING_IN_SCHOOL,
    "LatestPriority": SCHOOL["priority"],
    "Posting": POSTING,
    "DSLContact": DSL_CONTACT,
    "OfficerCompliance": OFFICER_COMPLIANCE,
    "CourseStatus": OFFICER_COMPLIANCE["courses"][0],
    "ConcernStatistics": CONCERN_STATISTICS,
    "SearchFigures": SEARCH_STATISTICS["total"],
    "ActivitySummaryRow": ACTIVITY_ROW,
    "ActivitySummary": ACTIVITY_SUMMARY,
    "SearchStatisticsRow": SEARCH_ROW,
    "SearchStatistics": SEARCH_STATISTICS,
    "Change": CHANGE,
    "StatisticsRefresh": STATISTICS_REFRESH,
    "ChangesPage": CHANGES_PAGE,
}
# Each paginated list: its first page of one row, as the demo gives it.
LIST_EXAMPLES = {
    "PaginatedSchoolList": ("schools", 30, SCHOOL),
    "PaginatedPostingList": ("postings", 15, POSTING),
    "PaginatedDSLContactList": ("dsl-contacts", 38, DSL_CONTACT),
    "PaginatedOfficerComplianceList": ("training-compliance", 7, OFFICER_COMPLIANCE),
    "PaginatedConcernStatisticsList": ("concern-statistics", 30, CONCERN_STATISTICS),
}


def list_example(path: str, count: int, row: dict) -> dict:
    return {
        "count": count,
        "next": f"http://127.0.0.1:8000/api/v1/{path}/?page=2&page_size=1",
        "previous": None,
        "next_page": 2,
        "results": [row],
    }
