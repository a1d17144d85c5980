/* audit.c - how the store writes a field's value into an audit row's before/after JSON.
 *
 * The audit trail is for people and for the API, so values are written the way the CSV files
 * write them, exactly: money, rates and coordinates as decimal strings (a JSON number would be
 * read back as a double by most tools), days and times as ISO text, references as the
 * referenced row's external id. Which rows get audited is decided in the backend (see
 * sqlite_store.c and docs/design.md): every update and delete with the changed fields before
 * and after; inserts made by an import once per import and entity (the rows carry import_id);
 * other inserts one row each. */
#include <inttypes.h>
#include <stdio.h>

#include "core/date.h"
#include "core/money.h"
#include "store/store_impl.h"

static void add_micro_degrees(at_text *t, int64_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    at_text_addf(t, "\"%s%" PRIu64 ".%06" PRIu64 "\"", v < 0 ? "-" : "", mag / 1000000u,
                 mag % 1000000u);
}

void at_audit_json_value(at_text *t, const at_field *field, bool present, at_str text,
                         int64_t number)
{
    if (!present) {
        at_text_add(t, "null");
        return;
    }
    char buf[64];
    switch (field->type) {
    case AT_FIELD_ID:
    case AT_FIELD_REF:
    case AT_FIELD_TEXT:
    case AT_FIELD_EMAIL:
    case AT_FIELD_ENUM:
    case AT_FIELD_CURRENCY:
    case AT_FIELD_PERIOD:
        at_text_json_string(t, text);
        return;
    case AT_FIELD_INT:
        at_text_addf(t, "%" PRId64, number);
        return;
    case AT_FIELD_MONEY:
        at_money_format(number, buf, sizeof buf);
        at_text_json_string(t, at_str_from(buf));
        return;
    case AT_FIELD_RATE:
        at_rate_format(number, buf, sizeof buf);
        at_text_json_string(t, at_str_from(buf));
        return;
    case AT_FIELD_DAY:
        if (number < INT32_MIN || number > INT32_MAX) {
            at_text_addf(t, "%" PRId64, number);
            return;
        }
        at_day_format((at_day)number, buf, sizeof buf);
        at_text_json_string(t, at_str_from(buf));
        return;
    case AT_FIELD_TIME:
        at_time_format(number, buf, sizeof buf);
        at_text_json_string(t, at_str_from(buf));
        return;
    case AT_FIELD_BOOL:
        at_text_add(t, number ? "true" : "false");
        return;
    case AT_FIELD_COORD:
        add_micro_degrees(t, number);
        return;
    }
    at_text_addf(t, "%" PRId64, number);
}
