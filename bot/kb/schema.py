"""JSON schemas of the knowledge-base files (YAML is read into plain data first).

Dates are real YAML dates (2026-07-01), checked with the extra "date" type.
"""

from __future__ import annotations

from typing import Any, Dict

VERIFICATION = ["verified", "secondary", "unverified"]
LEVELS = ["so_cap", "trung_cap", "cao_dang"]
FIELDS = [
    "nong_lam_nghiep", "cong_nghiep", "du_lich_dich_vu", "y_te", "cong_nghe_thong_tin",
    "kinh_te", "xay_dung", "nghe_truyen_thong", "ngoai_ngu", "su_pham",
]
ECONOMIC_FIELDS = [
    "nong_nghiep_hang_hoa", "duoc_lieu", "du_lich_cong_dong", "nghe_truyen_thong",
    "xuat_khau_lao_dong",
]
FAQ_TOPICS = [
    "why_vocational", "pathways", "jobs", "labour_export", "admission", "programmes",
    "policy_general", "career_guidance", "student_life",
]
# Facts about a person that policy conditions may test (read by the eligibility logic).
CONDITION_KEYS = {
    "ethnicity": ["minority", "very_small", "kinh"],
    "household": ["poor", "near_poor"],
    "residence": ["extremely_difficult", "difficult", "special_area"],
    "level": LEVELS,
    "disabled": [True],
    "orphan": [True],
    "meritorious": [True],
    "nominated": [True],
    "boarding_school_graduate": [True],
    "lower_secondary_graduate": [True],
    "parent_work_accident": [True],
    "hazardous_trade": [True],
    "traditional_arts": [True],
}

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
TEXT = {"type": "string", "minLength": 1}
OPT_TEXT = {"type": ["string", "null"]}
TEXT_LIST = {"type": "array", "items": TEXT}

SOURCE: Dict[str, Any] = {
    "type": "object",
    "required": ["document", "verification"],
    "additionalProperties": False,
    "properties": {
        "document": ID,
        "article": TEXT,
        "verification": {"enum": VERIFICATION},
        "note": TEXT,
    },
}

SOURCED_TEXT = {
    "type": "object",
    "required": ["text", "source"],
    "additionalProperties": False,
    "properties": {"text": TEXT, "source": SOURCE},
}

CONDITIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        key: {
            "anyOf": [
                {"enum": values},
                {"type": "array", "minItems": 1, "items": {"enum": values}},
            ]
        }
        for key, values in CONDITION_KEYS.items()
    },
}

SOURCES_FILE = {
    "type": "object",
    "required": ["documents"],
    "additionalProperties": False,
    "properties": {
        "documents": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "short", "title", "issuer", "status", "read_in"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "short": TEXT,
                    "title": TEXT,
                    "issuer": TEXT,
                    "date": {"type": ["date", "null"]},
                    "date_text": TEXT,
                    "effective": {"type": "date"},
                    "status": {"enum": ["in_force", "replaced", "unknown"]},
                    "replaces": TEXT_LIST,
                    "replaced_by": ID,
                    "read_in": TEXT_LIST,
                },
            },
        }
    },
}

BASE_SALARY_FILE = {
    "type": "object",
    "required": ["base_salary"],
    "additionalProperties": False,
    "properties": {
        "base_salary": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["amount", "effective_from", "source"],
                "additionalProperties": False,
                "properties": {
                    "amount": {"type": "integer", "minimum": 1},
                    "effective_from": {"type": "date"},
                    "source": SOURCE,
                },
            },
        }
    },
}

BENEFIT = {
    "type": "object",
    "required": ["id", "label", "kind", "groups", "source"],
    "additionalProperties": False,
    "properties": {
        "id": ID,
        "label": TEXT,
        "kind": {
            "enum": [
                "percent_of_base_salary", "fixed_amount", "tuition_exemption",
                "tuition_reduction",
            ]
        },
        "percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        "amount": {"type": "integer", "minimum": 1},
        "per": {"enum": ["month", "year", "course"]},
        "months_per_year": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
        "groups": {"type": "array", "minItems": 1, "items": ID},
        "conditions": CONDITIONS,
        "unless": CONDITIONS,
        "source": SOURCE,
    },
    "allOf": [
        {
            "if": {"properties": {"kind": {"const": "percent_of_base_salary"}}},
            "then": {"required": ["percent", "per", "months_per_year"]},
        },
        {
            "if": {"properties": {"kind": {"const": "fixed_amount"}}},
            "then": {"required": ["amount", "per"]},
        },
        {
            "if": {"properties": {"kind": {"enum": ["tuition_exemption", "tuition_reduction"]}}},
            "then": {"required": ["percent"]},
        },
    ],
}

POLICY_FILE = {
    "type": "object",
    "required": ["policy"],
    "additionalProperties": False,
    "properties": {
        "policy": {
            "type": "object",
            "required": [
                "id", "document", "name", "aliases", "summary", "summary_source", "scope",
                "groups", "benefits", "papers", "notes", "open_questions",
            ],
            "additionalProperties": False,
            "properties": {
                "id": ID,
                "document": ID,
                "name": TEXT,
                "aliases": {"type": "array", "minItems": 1, "items": TEXT},
                "summary": TEXT,
                "summary_source": SOURCE,
                "scope": {
                    "type": "object",
                    "required": ["levels", "public_institution_only", "text", "source"],
                    "additionalProperties": False,
                    "properties": {
                        "levels": {"type": "array", "items": {"enum": LEVELS}},
                        "public_institution_only": {"type": "boolean"},
                        "text": TEXT,
                        "source": SOURCE,
                    },
                },
                "stacking": {
                    "type": "object",
                    "required": ["rule", "text", "source"],
                    "additionalProperties": False,
                    "properties": {
                        "rule": {"enum": ["highest_only"]},
                        "text": TEXT,
                        "source": SOURCE,
                    },
                },
                "ethnic_groups": {
                    "type": "object",
                    "required": ["names", "in_lai_chau", "source"],
                    "additionalProperties": False,
                    "properties": {
                        "names": TEXT_LIST,
                        "in_lai_chau": TEXT_LIST,
                        "source": SOURCE,
                    },
                },
                "groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "label", "conditions", "source"],
                        "additionalProperties": False,
                        "properties": {
                            "id": ID,
                            "label": TEXT,
                            "short": TEXT,
                            "conditions": CONDITIONS,
                            "source": SOURCE,
                            # The papers that prove a person belongs to the group.
                            "proof": {"type": "array", "items": SOURCED_TEXT},
                        },
                    },
                },
                "benefits": {"type": "array", "items": BENEFIT},
                "papers": {"type": "array", "items": SOURCED_TEXT},
                "notes": {"type": "array", "items": SOURCED_TEXT},
                "open_questions": {"type": "array", "items": SOURCED_TEXT},
            },
        }
    },
}

OFFERING = {
    "type": "object",
    "required": ["level", "duration", "duration_months", "entry", "certificate", "fee"],
    "additionalProperties": False,
    "properties": {
        "level": {"enum": LEVELS},
        "duration": TEXT,
        "duration_months": {"type": "integer", "minimum": 1, "maximum": 48},
        "entry": TEXT,
        "certificate": TEXT,
        "fee": {
            "type": "object",
            "required": ["amount_per_month", "note"],
            "additionalProperties": False,
            "properties": {
                "amount_per_month": {"type": ["integer", "null"], "minimum": 0},
                "note": TEXT,
            },
        },
    },
}

PROGRAMMES_FILE = {
    "type": "object",
    "required": ["programmes"],
    "additionalProperties": False,
    "properties": {
        "programmes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "id", "name", "aliases", "field", "economic_fields", "riasec", "status",
                    "summary", "taught", "offerings", "jobs", "income", "locations", "source",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "name": TEXT,
                    "aliases": TEXT_LIST,
                    "field": {"enum": FIELDS},
                    "economic_fields": {"type": "array", "items": {"enum": ECONOMIC_FIELDS}},
                    "riasec": {
                        "type": "array", "minItems": 1, "maxItems": 3,
                        "items": {"enum": list("RIASEC")},
                    },
                    "status": {"enum": ["draft", "confirmed"]},
                    "summary": TEXT,
                    "taught": {"type": "array", "minItems": 1, "items": TEXT},
                    "offerings": {"type": "array", "minItems": 1, "items": OFFERING},
                    "jobs": {"type": "array", "minItems": 1, "items": TEXT},
                    "income": {
                        "type": "object",
                        "required": ["min", "max", "note"],
                        "additionalProperties": False,
                        "properties": {
                            "min": {"type": "integer", "minimum": 0},
                            "max": {"type": "integer", "minimum": 0},
                            "note": TEXT,
                            "source": SOURCE,
                        },
                    },
                    "locations": {"type": "array", "minItems": 1, "items": TEXT},
                    "source": SOURCE,
                },
            },
        }
    },
}

ADMISSION_FILE = {
    "type": "object",
    "required": ["admission"],
    "additionalProperties": False,
    "properties": {
        "admission": {
            "type": "object",
            "required": ["summary", "methods", "papers", "steps", "timing", "where", "eligibility"],
            "additionalProperties": False,
            "properties": {
                "summary": TEXT,
                "methods": {"type": "array", "minItems": 1, "items": SOURCED_TEXT},
                "papers": {"type": "array", "minItems": 1, "items": SOURCED_TEXT},
                "steps": {"type": "array", "minItems": 1, "items": SOURCED_TEXT},
                "timing": SOURCED_TEXT,
                "where": SOURCED_TEXT,
                "notes": {"type": "array", "items": SOURCED_TEXT},
                "eligibility": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["level", "text", "source"],
                        "additionalProperties": False,
                        "properties": {"level": {"enum": LEVELS}, "text": TEXT, "source": SOURCE},
                    },
                },
            },
        }
    },
}

NAMED_UNIT = {
    "type": "object",
    "required": ["name", "role", "source"],
    "additionalProperties": False,
    "properties": {"name": TEXT, "role": TEXT, "source": SOURCE},
}

CONTACTS_FILE = {
    "type": "object",
    "required": ["contacts"],
    "additionalProperties": False,
    "properties": {
        "contacts": {
            "type": "object",
            "required": [
                "institution", "department", "address", "phone", "hotline", "email",
                "website", "fanpage", "zalo", "office_hours", "status", "note", "source",
            ],
            "additionalProperties": False,
            "properties": {
                "institution": TEXT,
                "department": OPT_TEXT,
                "address": OPT_TEXT,
                "phone": OPT_TEXT,
                "hotline": OPT_TEXT,
                "email": OPT_TEXT,
                "website": OPT_TEXT,
                "fanpage": OPT_TEXT,
                "zalo": OPT_TEXT,
                "office_hours": {
                    "type": "object",
                    "required": ["text", "verification"],
                    "additionalProperties": False,
                    "properties": {"text": TEXT, "verification": {"enum": VERIFICATION}},
                },
                "status": {"enum": ["draft", "confirmed"]},
                "note": OPT_TEXT,
                "source": SOURCE,
                "other_units": {"type": "array", "items": NAMED_UNIT},
            },
        }
    },
}

FAQS_FILE = {
    "type": "object",
    "required": ["faqs"],
    "additionalProperties": False,
    "properties": {
        "faqs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "topic", "question", "keywords", "answer", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "topic": {"enum": FAQ_TOPICS},
                    "question": TEXT,
                    "keywords": TEXT_LIST,
                    "answer": TEXT,
                    "source": SOURCE,
                },
            },
        }
    },
}

CAREER_FILE = {
    "type": "object",
    "required": ["core_message", "messages", "local_economic_fields", "targets_2030", "riasec_types"],
    "additionalProperties": False,
    "properties": {
        "core_message": SOURCED_TEXT,
        "messages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "text", "source"],
                "additionalProperties": False,
                "properties": {"id": ID, "text": TEXT, "source": SOURCE},
            },
        },
        "local_economic_fields": {
            "type": "array",
            "minItems": 5,
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["id", "label", "description", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": {"enum": ECONOMIC_FIELDS},
                    "label": TEXT,
                    "description": TEXT,
                    "source": SOURCE,
                },
            },
        },
        "targets_2030": {"type": "array", "items": SOURCED_TEXT},
        "riasec_types": {
            "type": "array",
            "minItems": 6,
            "maxItems": 6,
            "items": {
                "type": "object",
                "required": ["code", "label", "description", "source"],
                "additionalProperties": False,
                "properties": {
                    "code": {"enum": list("RIASEC")},
                    "label": TEXT,
                    "description": TEXT,
                    "source": SOURCE,
                },
            },
        },
    },
}

QUIZ_KEY = {"type": "string", "pattern": "^[a-z0-9_]{1,20}$"}
QUIZ_FILE = {
    "type": "object",
    "required": ["source", "interest_questions", "constraints"],
    "additionalProperties": False,
    "properties": {
        "source": SOURCE,
        "interest_questions": {
            "type": "array",
            "minItems": 6,
            "items": {
                "type": "object",
                "required": ["id", "text", "options"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "text": TEXT,
                    "options": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 4,
                        "items": {
                            "type": "object",
                            "required": ["key", "type", "title"],
                            "additionalProperties": False,
                            "properties": {"key": QUIZ_KEY, "type": {"enum": list("RIASEC")}, "title": TEXT},
                        },
                    },
                },
            },
        },
        "constraints": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text", "options"],
                "additionalProperties": False,
                "properties": {
                    "id": {"enum": ["level", "place"]},
                    "text": TEXT,
                    "options": {
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["key", "title"],
                            "additionalProperties": False,
                            "properties": {
                                "key": QUIZ_KEY,
                                "title": TEXT,
                                "levels": {"type": "array", "minItems": 1, "items": {"enum": LEVELS}},
                                "place": {"enum": ["near_home", "anywhere", "abroad"]},
                            },
                        },
                    },
                },
            },
        },
    },
}

# File name (relative to the knowledge-base folder, glob allowed) -> schema.
FILE_SCHEMAS = {
    "sources.yml": SOURCES_FILE,
    "base_salary.yml": BASE_SALARY_FILE,
    "policies/*.yml": POLICY_FILE,
    "programmes.yml": PROGRAMMES_FILE,
    "admission.yml": ADMISSION_FILE,
    "contacts.yml": CONTACTS_FILE,
    "faqs.yml": FAQS_FILE,
    "career_guidance.yml": CAREER_FILE,
    "career_quiz.yml": QUIZ_FILE,
}
