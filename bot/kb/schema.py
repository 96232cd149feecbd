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
# Facts a policy condition may test: the ids and values of person_facts.yml and the
# residence categories of residence.yml (checked across files by bot.kb.validate).
FACT_VALUE = {"type": ["string", "boolean", "integer"]}
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



def sourced_text_with(required=(), **extra) -> Dict[str, Any]:
    """SOURCED_TEXT with more properties (and more of them required)."""
    return {**SOURCED_TEXT, "required": SOURCED_TEXT["required"] + list(required),
            "properties": {**SOURCED_TEXT["properties"], **extra}}


# A policy note; `about` says when it is shown: with the papers, as the correction of a common
# mistake, with the policy in general, or only when asked (what the policy may not cover: chỗ ở).
NOTE = sourced_text_with(about={"enum": ["papers", "misconception", "general", "asked"]},
                         claims=TEXT_LIST,  # a misconception: how people state it (its correction is said first)
                         asks=TEXT_LIST)  # how people ask what the note says: a question it answers on its own

CONDITIONS = {
    "type": "object",
    "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
    "additionalProperties": {
        "anyOf": [FACT_VALUE, {"type": "array", "minItems": 1, "items": FACT_VALUE}],
    },
}

# A rule whose outcome is not confirmed: the support is then "có thể được (đang xác nhận: text)".
DOUBT = {
    "type": "object",
    "required": ["id", "text", "source"],
    "additionalProperties": False,
    "properties": {
        "id": ID,
        "when": CONDITIONS,     # applies only when these hold
        "unless": CONDITIONS,   # does not apply when these hold
        "groups": {"type": "array", "minItems": 1, "items": ID},  # benefit doubts: these groups only
        "text": TEXT,
        "short": TEXT,  # a few words for the first message ("trường tư thục")
        "source": SOURCE,
    },
}

# A rule that rules a person out, with the reason they are told.
EXCLUSION = {
    "type": "object",
    "required": ["id", "if", "text", "source"],
    "additionalProperties": False,
    "properties": {
        "id": ID,
        "if": CONDITIONS,
        "ask_when": CONDITIONS,  # the fact is asked only when these hold
        "text": TEXT,
        "source": SOURCE,
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
                    "effective_text": TEXT,
                    "status": {"enum": ["in_force", "replaced", "draft", "unknown"]},
                    "replaces": TEXT_LIST,
                    "replaced_by": ID,
                    "read_in": TEXT_LIST,
                    "not_for": {
                        "type": "object",
                        "required": ["levels", "text"],
                        "additionalProperties": False,
                        "properties": {"levels": {"type": "array", "minItems": 1,
                                                  "items": {"enum": ["so_cap", "trung_cap", "cao_dang"]}},
                                       "text": TEXT},
                    },
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
        },
        "applies_to": SOURCED_TEXT,
    },
}

BENEFIT = {
    "type": "object",
    "required": ["id", "label", "kind", "groups", "source"],
    "additionalProperties": False,
    "properties": {
        "id": ID,
        "label": TEXT,
        "short": TEXT,            # a few words for a phone-sized line
        "aliases": TEXT_LIST,     # how people name it ("tiền xe", "học bổng")
        "kind": {
            "enum": [
                "percent_of_base_salary", "fixed_amount", "tuition_exemption",
                "tuition_reduction", "amount_unknown",
            ]
        },
        "percent": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
        "amount": {"type": "integer", "minimum": 1},
        "up_to": {"type": "boolean"},  # the amount is a ceiling ("tối đa")
        "per": {"enum": ["month", "year", "course"]},
        "months_per_year": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
        # When months_per_year is not known: the possible numbers (course totals are a range).
        "months_per_year_options": {"type": "array", "minItems": 2, "items": {"type": "integer", "minimum": 1, "maximum": 12}},
        "groups": {"type": "array", "minItems": 1, "items": ID},
        "conditions": CONDITIONS,
        "unless": CONDITIONS,
        "doubts": {"type": "array", "items": DOUBT},
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
                "button": TEXT,  # the title of a button that opens this policy
                "order": {"type": "integer", "minimum": 1},  # where it comes in lists and buttons
                "aliases": {"type": "array", "minItems": 1, "items": TEXT},
                "summary": TEXT,
                "summary_source": SOURCE,
                "scope": {
                    "type": "object",
                    "required": ["levels", "text", "source"],
                    "additionalProperties": False,
                    "properties": {
                        "levels": {"type": "array", "items": {"enum": LEVELS}},
                        "conditions": CONDITIONS,
                        "text": TEXT,
                        "source": SOURCE,
                        "exclusions": {"type": "array", "items": EXCLUSION},
                        "doubts": {"type": "array", "items": DOUBT},
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
                            "doubts": {"type": "array", "items": DOUBT},
                        },
                    },
                },
                "benefits": {"type": "array", "items": BENEFIT},
                "papers": {"type": "array", "items": SOURCED_TEXT},
                "notes": {"type": "array", "items": NOTE},
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
            "required": ["summary", "summary_source", "methods", "papers", "steps", "timing", "where", "eligibility"],
            "additionalProperties": False,
            "properties": {
                "summary": TEXT,
                "summary_source": SOURCE,
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
                "department": {
                    "anyOf": [
                        {"type": "null"},
                        {
                            "type": "object",
                            "required": ["name", "source"],
                            "additionalProperties": False,
                            "properties": {"name": TEXT, "source": SOURCE},
                        },
                    ]
                },
                "address": OPT_TEXT,
                "phone": OPT_TEXT,
                "hotline": OPT_TEXT,
                "email": OPT_TEXT,
                "website": OPT_TEXT,
                "fanpage": OPT_TEXT,
                "zalo": OPT_TEXT,
                "office_hours": {
                    "type": "object",
                    "required": ["text", "schedule", "closed", "verification", "source"],
                    "additionalProperties": False,
                    "properties": {
                        "text": TEXT,
                        # "mon-fri 07:30-11:30,13:30-17:00" (Vietnamese time), or null while unknown.
                        "schedule": {
                            "type": ["string", "null"],
                            "pattern": "^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))? "
                                       "[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9](,[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9])*$",
                        },
                        "closed": {"type": "array", "items": {"type": "date"}},  # days off (Tết, holidays)
                        "verification": {"enum": VERIFICATION},
                        "source": SOURCE,
                    },
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
                    "if_guaranteed": TEXT,
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

FACT_WORDS = {"type": "array", "items": TEXT}
FACT_VALUE_ENTRY = {
    "type": "object",
    "required": ["value", "says", "if_says", "words"],
    "additionalProperties": False,
    "properties": {
        "value": FACT_VALUE,
        "says": TEXT,       # how the reply repeats it ("hộ cận nghèo")
        "if_says": TEXT,    # the condition, for "nếu ..." ("gia đình thuộc hộ cận nghèo")
        "words": FACT_WORDS,
        "sets": {"type": "object", "additionalProperties": FACT_VALUE},  # other facts the words state
        "satisfies": {"type": "array", "items": FACT_VALUE},  # also meets conditions written for these values
    },
}
ROLES = ["learner", "household", "parent", "parents", "grandparent"]
PERSON_FACTS_FILE = {
    "type": "object",
    "required": ["facts", "implications", "derived"],
    "additionalProperties": False,
    "properties": {
        "facts": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "about", "roles", "ask", "values", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "about": {"enum": ["learner", "household", "parent", "programme"]},
                    "kind": {"enum": ["choice", "number"]},
                    "common": {"type": "boolean"},
                    "roles": {"type": "array", "items": {"enum": ROLES}},
                    "unclear_roles": {"type": "array", "items": {"enum": ROLES}},
                    "ask": TEXT,
                    "unclear_ask": TEXT,
                    "values": {"type": "array", "items": FACT_VALUE_ENTRY},
                    "negated": FACT_VALUE,
                    "negated_says": TEXT,
                    "negated_values": {"type": "object", "additionalProperties": FACT_VALUE},
                    "unclear": FACT_WORDS,
                    "name_prefixes": TEXT_LIST,
                    "names": {"type": "array", "items": {"type": "array", "minItems": 1, "items": TEXT}},
                    "source": SOURCE,
                },
            },
        },
        "implications": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["if", "then", "text", "source"],
                "additionalProperties": False,
                "properties": {"if": CONDITIONS, "then": {"type": "object", "additionalProperties": FACT_VALUE},
                               "text": TEXT, "source": SOURCE},
            },
        },
        "derived": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "from", "by", "ranges", "says", "if_says", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "from": ID,
                    "by": ID,
                    "ranges": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0}},
                    },
                    "says": {"type": "object", "required": ["true", "false"], "additionalProperties": False,
                             "properties": {"true": TEXT, "false": TEXT}},
                    "if_says": TEXT,
                    "source": SOURCE,
                },
            },
        },
    },
}

CATEGORY_SOURCE = {
    "type": "object",
    "required": ["category", "source"],
    "additionalProperties": False,
    "properties": {"category": ID, "source": SOURCE},
}
RESIDENCE_FILE = {
    "type": "object",
    "required": ["categories", "none_words", "commune_doubt", "communes_source", "communes"],
    "additionalProperties": False,
    "properties": {
        "categories": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "short", "label", "says", "if_says", "words", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": ID, "short": TEXT, "label": TEXT, "says": TEXT, "if_says": TEXT, "words": TEXT_LIST,
                    "implies": {"type": "array", "items": ID},
                    "negates": {"type": "array", "items": ID},
                    "source": SOURCE,
                },
            },
        },
        "none_words": TEXT_LIST,
        "commune_doubt": sourced_text_with(["short"], short=TEXT),
        "communes_source": SOURCE,
        "communes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "kind"],
                "additionalProperties": False,
                "properties": {
                    "name": TEXT,
                    "kind": {"enum": ["xã", "phường"]},
                    "formed_from": TEXT_LIST,
                    "categories": {"type": "array", "items": CATEGORY_SOURCE},
                },
            },
        },
    },
}

QUESTIONS_FILE = {
    "type": "object",
    "required": ["source", "questions"],
    "additionalProperties": False,
    "properties": {
        "source": SOURCE,
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "text", "facts", "choices"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "text": TEXT,
                    "facts": {"type": "array", "minItems": 1, "items": ID},
                    "choices": {
                        "type": "array",
                        "minItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["key", "title"],
                            "additionalProperties": False,
                            "properties": {
                                "key": TEXT,
                                "title": TEXT,
                                "sets": {"type": "object"},
                                "words": TEXT_LIST,
                            },
                        },
                    },
                },
            },
        },
    },
}

BENEFIT_REF = {"type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"}
STACKING_FILE = {
    "type": "object",
    "required": ["rules"],
    "additionalProperties": False,
    "properties": {
        "rules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "rule", "text", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": ID,
                    "rule": {"enum": ["highest_only", "unknown"]},
                    "benefits": {"type": "array", "minItems": 2, "items": BENEFIT_REF},
                    "sides": {"type": "array", "minItems": 2, "maxItems": 2,
                              "items": {"type": "array", "minItems": 1, "items": BENEFIT_REF}},
                    "text": TEXT,
                    "short": TEXT,
                    "source": SOURCE,
                },
                "allOf": [
                    {"if": {"properties": {"rule": {"const": "highest_only"}}}, "then": {"required": ["benefits"]}},
                    {"if": {"properties": {"rule": {"const": "unknown"}}}, "then": {"required": ["sides"]}},
                ],
            },
        }
    },
}

# File name (relative to the knowledge-base folder, glob allowed) -> schema.
RETRIEVAL_FILE = {
    "type": "object",
    "required": ["synonyms", "thresholds"],
    "additionalProperties": False,
    "properties": {
        "synonyms": {"type": "array", "items": {"type": "array", "minItems": 2, "items": TEXT}},
        "thresholds": {
            "type": "object",
            "required": ["claims", "asks"],
            "additionalProperties": False,
            "properties": {"claims": {"type": "number", "minimum": 0, "maximum": 1},
                           "asks": {"type": "number", "minimum": 0, "maximum": 1}},
        },
    },
}

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
    "person_facts.yml": PERSON_FACTS_FILE,
    "residence.yml": RESIDENCE_FILE,
    "support_questions.yml": QUESTIONS_FILE,
    "stacking.yml": STACKING_FILE,
    "retrieval.yml": RETRIEVAL_FILE,
}
