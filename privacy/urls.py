from django.urls import path

from privacy import api, api_consent, api_rights

urlpatterns = [
    path("audit/access-log", api.AccessLogListApi.as_view(), name="audit-access-log"),
    path(
        "audit/access-log/export",
        api.AccessLogExportApi.as_view(),
        name="audit-access-log-export",
    ),
    path("audit/break-glass", api.BreakGlassListApi.as_view(), name="audit-break-glass"),
]

# Data-subject rights, request tracking and registers (docs/adr/0013).
urlpatterns += [
    path(
        "privacy/subjects/<uuid:subject_id>/export",
        api_rights.SubjectExportApi.as_view(),
        name="privacy-subject-export",
    ),
    path(
        "privacy/subjects/<uuid:subject_id>/erasure",
        api_rights.SubjectErasureApi.as_view(),
        name="privacy-subject-erasure",
    ),
    path(
        "privacy/subjects/<uuid:subject_id>/restriction",
        api_rights.SubjectRestrictionApi.as_view(),
        name="privacy-subject-restriction",
    ),
    path(
        "privacy/subjects/<uuid:subject_id>/restriction/lift",
        api_rights.SubjectRestrictionLiftApi.as_view(),
        name="privacy-subject-restriction-lift",
    ),
    path("privacy/requests", api_rights.SubjectRequestListApi.as_view(), name="privacy-requests"),
    path(
        "privacy/requests/<uuid:request_id>/close",
        api_rights.SubjectRequestCloseApi.as_view(),
        name="privacy-request-close",
    ),
    path(
        "privacy/consent-register",
        api_rights.ConsentRegisterApi.as_view(),
        name="privacy-consent-register",
    ),
    path(
        "privacy/consent-gaps", api_consent.ConsentGapListApi.as_view(), name="privacy-consent-gaps"
    ),
    path(
        "privacy/processing-register",
        api_rights.ProcessingRegisterApi.as_view(),
        name="privacy-processing-register",
    ),
]
