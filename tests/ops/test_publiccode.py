"""publiccode.yml at the root is valid against the Standard for Public Code's core schema,
version 0.4 (docs/standard/schema.core.rst of publiccodeyml/publiccode.yml): every mandatory
key, the enumerations, the lengths, the controlled vocabularies and the date format. The
official validator is a Go program (publiccode-parser-go); no Python or npm package of it
exists, so its rules are written out here as a JSON Schema (docs/adr/0045)."""

import datetime
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent

# docs/standard/categories-list.rst and scope-list.rst of the standard.
CATEGORIES = [
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
]
SCOPES = [
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
]
# BCP 47: a primary language subtag, optionally followed by subtags.
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
URL = r"^https?://[^\s/$.?#].[^\s]*$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
# An SPDX expression of licence identifiers joined by AND/OR/WITH.
SPDX = r"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$"

DEPENDENCY = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "versionMin": {"type": "string"},
        "versionMax": {"type": "string"},
        "version": {"type": "string"},
        "optional": {"type": "boolean"},
    },
    "additionalProperties": False,
}
CONTACT = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
        "phone": {"type": "string"},
        "affiliation": {"type": "string"},
    },
    "additionalProperties": False,
}
CONTRACTOR = {
    "type": "object",
    "required": ["name", "until"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "until": {"type": "string", "pattern": DATE},
        "email": {"type": "string"},
        "website": {"type": "string", "pattern": URL},
    },
    "additionalProperties": False,
}
DESCRIPTION = {
    "type": "object",
    "required": ["shortDescription", "longDescription", "features"],
    "properties": {
        "localisedName": {"type": "string"},
        "genericName": {"type": "string", "maxLength": 35},
        "shortDescription": {"type": "string", "minLength": 1, "maxLength": 150},
        "longDescription": {"type": "string", "minLength": 150, "maxLength": 10000},
        "documentation": {"type": "string", "pattern": URL},
        "apiDocumentation": {"type": "string", "pattern": URL},
        "features": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "screenshots": {"type": "array", "items": {"type": "string"}},
        "videos": {"type": "array", "items": {"type": "string", "pattern": URL}},
        "awards": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "publiccodeYmlVersion",
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ],
    "properties": {
        "publiccodeYmlVersion": {"const": "0.4"},
        "name": {"type": "string", "minLength": 1},
        "applicationSuite": {"type": "string"},
        "url": {"type": "string", "pattern": URL},
        "landingURL": {"type": "string", "pattern": URL},
        "isBasedOn": {"type": ["string", "array"]},
        "softwareVersion": {"type": "string"},
        "releaseDate": {"type": "string", "pattern": DATE},
        "logo": {"type": "string"},
        "platforms": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "categories": {"type": "array", "minItems": 1, "items": {"enum": CATEGORIES}},
        "usedBy": {"type": "array", "items": {"type": "string"}},
        "roadmap": {"type": "string"},
        "developmentStatus": {"enum": ["concept", "development", "beta", "stable", "obsolete"]},
        "softwareType": {
            "enum": [
                "standalone/mobile",
                "standalone/iot",
                "standalone/desktop",
                "standalone/web",
                "standalone/backend",
                "standalone/other",
                "addon",
                "library",
                "configurationFiles",
            ]
        },
        "intendedAudience": {
            "type": "object",
            "properties": {
                "countries": {"type": "array", "items": {"pattern": "^[a-z]{2}$"}},
                "unsupportedCountries": {"type": "array", "items": {"pattern": "^[a-z]{2}$"}},
                "scope": {"type": "array", "items": {"enum": SCOPES}},
            },
            "additionalProperties": False,
        },
        "description": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LANGUAGE},
            "additionalProperties": DESCRIPTION,
        },
        "legal": {
            "type": "object",
            "required": ["license"],
            "properties": {
                "license": {"type": "string", "pattern": SPDX},
                "mainCopyrightOwner": {"type": "string"},
                "repoOwner": {"type": "string"},
                "authorsFile": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "maintenance": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"enum": ["internal", "contract", "community", "none"]},
                "contractors": {"type": "array", "items": CONTRACTOR},
                "contacts": {"type": "array", "items": CONTACT},
            },
            "additionalProperties": False,
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": "contract"}}},
                    "then": {
                        "required": ["contractors"],
                        "properties": {"contractors": {"minItems": 1}},
                    },
                },
                {
                    "if": {"properties": {"type": {"enum": ["internal", "community"]}}},
                    "then": {"required": ["contacts"], "properties": {"contacts": {"minItems": 1}}},
                },
            ],
        },
        "localisation": {
            "type": "object",
            "required": ["localisationReady", "availableLanguages"],
            "properties": {
                "localisationReady": {"type": "boolean"},
                "availableLanguages": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": LANGUAGE},
                },
            },
            "additionalProperties": False,
        },
        "dependsOn": {
            "type": "object",
            "properties": {
                kind: {"type": "array", "items": DEPENDENCY}
                for kind in ("open", "proprietary", "hardware")
            },
            "additionalProperties": False,
        },
    },
    # Country sections (two lowercase letters) are allowed beside the core keys.
    "patternProperties": {"^[a-z]{2}$": {"type": "object"}},
    "additionalProperties": False,
}


def problems(document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    found = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    # "features" and "longDescription" are mandatory for at least one language; DESCRIPTION
    # asks them of every language, stricter than the standard, on purpose.
    return found


def load() -> Any:
    text = (ROOT / "publiccode.yml").read_text(encoding="utf-8")
    # YAML 1.1 loaders read an unquoted 2026-01-01 as a date; the standard wants strings.
    return yaml.safe_load(text)


def test_publiccode_yml_is_valid():
    assert problems(load()) == []


def test_the_languages_match_the_interface():
    document = load()
    assert set(document["description"]) == set(document["localisation"]["availableLanguages"])
    assert set(document["localisation"]["availableLanguages"]) == {"nl", "en"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("legal"), "'legal' is a required property"),
        (lambda d: d.update(publiccodeYmlVersion="0.2"), "'0.4' was expected"),
        (lambda d: d.update(softwareType="backend"), "is not one of"),
        (lambda d: d.update(categories=["loneliness"]), "is not one of"),
        (lambda d: d["description"]["en"].update(shortDescription="x" * 151), "is too long"),
        (lambda d: d["description"]["en"].update(longDescription="short"), "is too short"),
        (lambda d: d["maintenance"].pop("contacts"), "'contacts' is a required property"),
        (lambda d: d["localisation"].pop("availableLanguages"), "'availableLanguages'"),
        (
            lambda d: d.update(releaseDate=str(datetime.date(2026, 12, 7)) + "T00:00"),
            "does not match",
        ),
        (lambda d: d.update(unknownKey=1), "does not match any of the regexes"),
    ],
)
def test_the_check_refuses_what_the_standard_refuses(change, expected):
    document = load()
    change(document)
    found = problems(document)
    assert found and any(expected in problem for problem in found), found


def test_no_unquoted_dates_that_yaml_turns_into_dates():
    text = (ROOT / "publiccode.yml").read_text(encoding="utf-8")
    assert not re.search(r":\s+\d{4}-\d{2}-\d{2}\s*$", text, re.MULTILINE)
