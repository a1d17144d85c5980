/* entity.h - the data model as data: every entity attain stores (people, accounts,
 * transactions, ...) is described once, by a table of fields. The store builds its tables and
 * statements from these descriptors, the import converts and validates CSV text with them, the
 * export writes them back, and docs/import.md is generated from them. One source of truth.
 *
 * The descriptors live in entities.c (the index of each field in model/fields.h); field
 * conversion and validation in field.c; the rules that involve several fields of a row (exit
 * after hire, end after start) in rules.c; the rules that need other rows or the database
 * (overlaps, cycles, uniqueness) in checks.h; docs/import.md is written by import_doc.h. */
#ifndef ATTAIN_MODEL_ENTITY_H
#define ATTAIN_MODEL_ENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

typedef enum at_field_type {
    AT_FIELD_ID,       /* the row's external id: text 1..128, unique in the entity */
    AT_FIELD_REF,      /* the external id of a row of another entity; stored as its internal id */
    AT_FIELD_TEXT,     /* UTF-8 text, at most max_len characters */
    AT_FIELD_EMAIL,    /* text with one @ and a dot after it */
    AT_FIELD_ENUM,     /* one of values[] */
    AT_FIELD_INT,      /* int64 within [min, max] */
    AT_FIELD_MONEY,    /* at_money, 1e-4 */
    AT_FIELD_RATE,     /* at_rate, 1e-9; "0.25" or "25%" */
    AT_FIELD_DAY,      /* at_day, YYYY-MM-DD */
    AT_FIELD_TIME,     /* at_time, ISO 8601, stored UTC seconds */
    AT_FIELD_BOOL,     /* true/false, yes/no, 1/0 */
    AT_FIELD_CURRENCY, /* ISO 4217 code */
    AT_FIELD_COORD,    /* decimal degrees, stored as int64 micro-degrees, within [min, max] */
    AT_FIELD_PERIOD,   /* a fiscal period label ("2026-Q1"), stored as text, checked on import */
} at_field_type;

typedef struct at_field {
    const char *name;        /* the CSV column and the database column */
    at_field_type type;
    bool required;
    const char *ref_entity;  /* AT_FIELD_REF: the entity referred to ("people") */
    const char *const *values; /* AT_FIELD_ENUM: NULL-terminated list */
    int64_t min, max;        /* AT_FIELD_INT/COORD bounds (min == max == 0: unbounded);
                                AT_FIELD_TEXT: max is the length limit (0: 256).
                                Bounds are inclusive and in the stored unit: COORD in
                                micro-degrees; MONEY (1e-4) and RATE (1e-9) take bounds too
                                (amount >= 0: min 0, max INT64_MAX; rate 0..1: 0..AT_RATE_SCALE) */
    const char *example;     /* for docs/import.md */
    const char *description; /* for docs/import.md: what it means, rules it obeys */
    const char *default_value; /* the text an empty cell stands for (parsed as if written);
                                  NULL: empty means "not present". A DAY defaulting to
                                  "0001-01-01" means "since the beginning": it is a key part,
                                  so never NULL in the store, and at_field_format writes it
                                  back empty. */
    bool unique;             /* unique within the entity when present (beside the key):
                                checked across rows by the importer (model/checks.h) */
} at_field;

typedef struct at_entity at_entity;

/* A typed value of one field of one row. Text-like values (id, ref, text, email, enum,
 * currency, period) are in text; the others in number (money at 1e-4, rate at 1e-9, day,
 * time, bool as 0/1, coord in micro-degrees). A REF also carries the internal id once the
 * import has resolved it (0 until then). */
typedef struct at_value {
    bool present;
    at_str text;
    int64_t number;
    int64_t ref_id;
} at_value;

/* A row: one at_value per field of the entity, in the entity's field order. */
typedef struct at_row {
    const at_entity *entity;
    at_value *values;
} at_row;

/* Checks the rules that involve several fields of one row (exit_date >= hire_date ...).
 * Fills err with the field that is wrong as its where (the caller adds the file and line). */
typedef at_code (*at_row_rule)(const at_row *row, at_error *err);

struct at_entity {
    const char *name;          /* "transactions": also the table and the file name stem */
    const char *file;          /* "transactions.csv" */
    const char *summary;       /* one line for docs and help */
    const at_field *fields;
    size_t field_count;
    /* the fields that identify a row for upsert: {"id"} for most, or a natural key
     * ({"from_currency","to_currency","effective_date"}); NULL-terminated */
    const char *const *key;
    at_row_rule rule;          /* NULL when the entity has no cross-field rules */
    /* the entity's rules in words (row rules and the checks across rows), for docs and help;
     * NULL-terminated, or NULL when there are none */
    const char *const *rule_text;
};

/* Every entity, in import order (an entity comes after those it refers to). */
extern const at_entity *const at_entities[];
extern const size_t at_entity_count;

const at_entity *at_entity_find(at_str name); /* by name ("people") or file ("people.csv") */
/* Index of a field in the entity, or -1. */
int at_entity_field_index(const at_entity *entity, at_str name);

/* The type's name as docs write it: "id", "ref", "text", "email", "enum", "int", "money",
 * "rate", "day", "time", "bool", "currency", "coord", "period". */
const char *at_field_type_name(at_field_type type);
/* The field's full type for docs and messages: "text(64)", "ref:people", "enum(a|b)",
 * "int[0..10]", "int[1..]", "money (>= 0)", "rate[0..1]", "rate (> 0)", "coord[-90..90]".
 * Returns the length like snprintf. */
size_t at_field_type_label(const at_field *field, char *buf, size_t size);
/* The length limit of a TEXT field in characters (max, or 256 when max is 0). */
int64_t at_field_text_limit(const at_field *field);

/* The value of a field of a row by index (model/fields.h: AT_PEOPLE_EXIT_DATE). */
static inline const at_value *at_row_value(const at_row *row, int index)
{
    return &row->values[index];
}

/* Converts the text of one CSV cell into a typed value; empty text is "not present" (an error
 * "required column X is empty" when the field is required), or the field's default_value when
 * it has one. Text values point into arena copies (an ENUM's text points to the descriptor's
 * own value string and its number is the value's index; a PERIOD's text is the canonical
 * label, "2026-Q1" for "2026-q1"). The text is taken as it is: the CSV reader does not trim,
 * and a space at either end of an id is an error, not silently dropped. err->where is
 * "column NAME" and the message starts with the field's name; the caller prefixes
 * file:line:column with at_error_prefix_where. Codes: AT_ERR_INVALID for a bad cell,
 * AT_ERR_OVERFLOW for a number beyond int64 or the money/rate scale, AT_ERR_NOMEM. */
at_code at_field_parse(const at_field *field, at_str text, at_arena *arena, at_value *out,
                       at_error *err);
/* Writes the value back as canonical text (the export's format): parse(format(v)) == v.
 * A value that is not present is written as "". Money as at_money_format ("12.50"), rate as
 * at_rate_format ("0.25"), day YYYY-MM-DD (empty for the "since the beginning" default), time
 * YYYY-MM-DDTHH:MM:SSZ, bool true/false, coord with the decimals it needs ("37.5", "-121.88633").
 * buf must hold the text and a NUL (AT_ERR_OVERFLOW otherwise); out points into buf, or into
 * value->text for text-like values. */
at_code at_field_format(const at_field *field, const at_value *value, char *buf, size_t size,
                        at_str *out, at_error *err);

#endif
