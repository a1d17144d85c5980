/* checks.c - the rules across rows (checks.h): overlapping spans, loops in hierarchies, unique
 * values, and a row's values against the rows it refers to, all through lookups the importer
 * passes in. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/checks.h"
#include "model/fields.h"

#define SHOW_MAX 60 /* bytes of an id or value shown in a message */
#define LOOP_SHOWN 8 /* members of a loop named in a message */
#define MAX_STEPS 1000000

/* "%.*s" arguments for a view, cut to SHOW_MAX bytes. */
#define SHOW(s) (int)((s).len < SHOW_MAX ? (s).len : SHOW_MAX), (s).ptr

static at_code fail_col(at_error *err, at_code code, const char *column, const char *hint,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static at_code fail_col(at_error *err, at_code code, const char *column, const char *hint,
                        const char *fmt, ...)
{
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "column %s", column);
    va_list ap;
    va_start(ap, fmt);
    at_vfail(err, code, where, hint, fmt, ap);
    va_end(ap);
    return code;
}

static bool is(const at_value *v, const char *text)
{
    return v->present && at_str_eq_cstr(v->text, text);
}

/* ---- spans -------------------------------------------------------------------------------- */

at_span at_span_of_row(const at_row *row, int owner_field, int start_field, int end_field,
                       const char *where)
{
    const at_value *o = &row->values[owner_field];
    const at_value *s = &row->values[start_field];
    const at_value *e = &row->values[end_field];
    return (at_span){
        .owner = o->present ? o->text : at_str_make("", 0),
        .start = s->present ? (at_day)s->number : AT_DAY_MIN,
        .end = e->present ? (at_day)e->number : AT_DAY_MAX,
        .where = where,
    };
}

static int compare_str(at_str a, at_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

static int compare_spans(const void *pa, const void *pb)
{
    const at_span *a = pa, *b = pb;
    int c = compare_str(a->owner, b->owner);
    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return 0;
}

static const char *span_day(at_day d, bool is_start, char buf[AT_DATE_TEXT_MAX + 8])
{
    if (is_start && d == AT_DAY_MIN)
        return "(beginning)";
    if (!is_start && d == AT_DAY_MAX)
        return "(open)";
    at_day_format(d, buf, AT_DATE_TEXT_MAX + 8);
    return buf;
}

at_code at_check_spans_disjoint(at_span *spans, size_t n, const char *what,
                                const char *owner_column, at_error_list *problems,
                                size_t *found)
{
    *found = 0;
    if (n > 1)
        qsort(spans, n, sizeof *spans, compare_spans);
    size_t latest = 0; /* of the current owner, the span that ends last */
    for (size_t i = 1; i < n; i++) {
        if (compare_str(spans[i].owner, spans[i - 1].owner) != 0) {
            latest = i;
            continue;
        }
        const at_span *a = &spans[latest], *b = &spans[i];
        if (b->start <= a->end) {
            char as[24], ae[24], bs[24], be[24], before[24], hint[AT_ERROR_HINT_MAX];
            if (b->start > a->start) {
                at_day_format(b->start - 1, before, sizeof before);
                snprintf(hint, sizeof hint,
                         "end the earlier one on %s, the day before the later one starts, or "
                         "correct the dates",
                         before);
            } else {
                snprintf(hint, sizeof hint,
                         "the two start on the same day: keep one of them or correct the dates");
            }
            at_code c = at_error_list_addf(
                problems, AT_ERR_CONFLICT, b->where, hint,
                "%s of %s %.*s overlap: %s..%s (%s) and %s..%s (%s)", what, owner_column,
                SHOW(b->owner), span_day(a->start, true, as), span_day(a->end, false, ae),
                a->where ? a->where : "?", span_day(b->start, true, bs),
                span_day(b->end, false, be), b->where ? b->where : "?");
            if (c != AT_OK)
                return c;
            (*found)++;
        }
        if (b->end > a->end)
            latest = i;
    }
    return AT_OK;
}

/* ---- loops -------------------------------------------------------------------------------- */

typedef struct walk {
    at_parent_fn parent;
    void *ctx;
} walk;

static at_code name_loop(at_str on_loop, size_t length, const walk *w, const char *what,
                         const char *suffix, at_error *err)
{
    char path[AT_ERROR_MESSAGE_MAX - 64];
    size_t k = 0;
    at_str node = on_loop;
    for (size_t i = 0; i <= length && i <= LOOP_SHOWN && k < sizeof path; i++) {
        k += (size_t)snprintf(path + k, sizeof path - k, "%s%.*s", i ? " -> " : "",
                              SHOW(node));
        if (!w->parent(w->ctx, node, &node))
            break;
    }
    if (length > LOOP_SHOWN && k < sizeof path)
        snprintf(path + k, sizeof path - k, " -> ... (%zu in the loop)", length);
    return at_fail(err, AT_ERR_CONFLICT, NULL,
                   "a row cannot be above itself: change the parent of one of them",
                   "%s loop%s: %s", what, suffix, path);
}

static at_code find_loop(at_str start, const walk *w, const char *what, const char *suffix,
                         at_error *err)
{
    /* Brent's cycle finding: the tortoise jumps to the hare at powers of two. */
    at_str tortoise = start, hare;
    if (!w->parent(w->ctx, start, &hare))
        return AT_OK;
    size_t power = 1, length = 1, steps = 0;
    while (!at_str_eq(tortoise, hare)) {
        if (power == length) {
            tortoise = hare;
            power *= 2;
            length = 0;
        }
        if (!w->parent(w->ctx, hare, &hare))
            return AT_OK;
        length++;
        if (++steps > MAX_STEPS)
            return at_fail(err, AT_ERR_CONFLICT, NULL,
                           "check the parents: no real hierarchy is this deep",
                           "%s above %.*s go more than %d levels up", what, SHOW(start),
                           MAX_STEPS);
    }
    /* name the loop from start when start is on it: the row being imported comes first */
    at_str from = hare, node = hare;
    for (size_t i = 0; i < length; i++) {
        if (at_str_eq(node, start))
            from = start;
        if (!w->parent(w->ctx, node, &node))
            break;
    }
    return name_loop(from, length, w, what, suffix, err);
}

at_code at_check_no_cycle(at_str start, at_parent_fn parent, void *ctx, const char *what,
                          at_error *err)
{
    walk w = {parent, ctx};
    return find_loop(start, &w, what, "", err);
}

typedef struct dated {
    at_manager_on_fn manager_on;
    void *ctx;
    at_day day;
} dated;

static bool manager_that_day(void *ctx, at_str node, at_str *parent)
{
    const dated *d = ctx;
    return d->manager_on(d->ctx, node, d->day, parent);
}

at_code at_check_reporting_cycle(at_str person, at_day day, at_manager_on_fn manager_on,
                                 void *ctx, at_error *err)
{
    dated d = {manager_on, ctx, day};
    walk w = {manager_that_day, &d};
    char on[32], suffix[48];
    at_day_format(day, on, sizeof on);
    snprintf(suffix, sizeof suffix, " on %s", on);
    return find_loop(person, &w, "reporting lines", suffix, err);
}

/* ---- unique ------------------------------------------------------------------------------- */

at_code at_check_unique(const at_entity *entity, int field, at_str value, at_str row_id,
                        at_holder_fn holder, void *ctx, at_error *err)
{
    at_str other;
    if (value.len == 0 || !holder(ctx, value, &other) || at_str_eq(other, row_id))
        return AT_OK;
    const char *name = entity->fields[field].name;
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint, "give each row of %s its own %s%s", entity->file, name,
             entity->fields[field].required ? "" : ", or leave it empty");
    return fail_col(err, AT_ERR_CONFLICT, name, hint, "%s '%.*s' is already used by %s %.*s",
                    name, SHOW(value), entity->name, SHOW(other));
}

/* ---- against other rows ------------------------------------------------------------------- */

at_code at_check_opportunity_stage(const at_row *opportunity, at_stage_outcome_fn outcome,
                                   void *ctx, at_error *err)
{
    const at_value *stage = &opportunity->values[AT_OPPORTUNITIES_STAGE_ID];
    const at_value *status = &opportunity->values[AT_OPPORTUNITIES_STATUS];
    at_str out;
    if (!stage->present || !status->present || !outcome(ctx, stage->text, &out) ||
        at_str_eq(out, status->text))
        return AT_OK;
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint, "set status to %.*s, or move the deal to a stage whose outcome "
                                "is %.*s",
             SHOW(out), SHOW(status->text));
    return fail_col(err, AT_ERR_INVALID, "status", hint,
                    "status %.*s does not agree with stage %.*s, whose outcome is %.*s",
                    SHOW(status->text), SHOW(stage->text), SHOW(out));
}

at_code at_check_lead_opportunity(const at_row *lead, at_exists_fn opportunity_exists,
                                  void *ctx, at_error *err)
{
    const at_value *o = &lead->values[AT_LEADS_OPPORTUNITY_ID];
    if (!o->present || opportunity_exists(ctx, o->text))
        return AT_OK;
    return fail_col(err, AT_ERR_NOT_FOUND, "opportunity_id",
                    "give the id of an opportunity in opportunities.csv or the database, or "
                    "leave it empty",
                    "opportunity_id '%.*s' names no opportunity", SHOW(o->text));
}

static bool is_decimal(at_str s)
{
    size_t i = 0, digits = 0;
    if (s.len && (s.ptr[0] == '+' || s.ptr[0] == '-'))
        i = 1;
    for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
        digits++;
    if (i < s.len && s.ptr[i] == '.') {
        size_t frac = 0;
        for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
            frac++;
        if (!frac)
            return false;
    }
    return digits > 0 && i == s.len;
}

static bool is_one_of(at_str value, at_str choices, bool nocase)
{
    const char *p = choices.ptr, *end = choices.ptr + choices.len;
    while (p <= end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        at_str part = at_str_make(p, (size_t)(stop - p));
        if (nocase ? at_str_eq_nocase(part, value) : at_str_eq(part, value))
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

at_code at_check_response_value(at_str type, at_str choices, at_str value, at_error *err)
{
    if (at_str_eq_cstr(type, "yes_no")) {
        static const char *const ok[] = {"yes", "no", "true", "false", "1", "0"};
        for (size_t i = 0; i < 6; i++)
            if (at_str_eq_nocase(value, at_str_from(ok[i])))
                return AT_OK;
        return fail_col(err, AT_ERR_INVALID, "value", "answer a yes/no point with yes or no",
                        "value '%.*s' is not yes or no", SHOW(value));
    }
    if (at_str_eq_cstr(type, "choice")) {
        if (is_one_of(value, choices, false))
            return AT_OK;
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "%s one of: %.*s (separated by |)",
                 is_one_of(value, choices, true) ? "the choices are case-sensitive: write"
                                                 : "write",
                 SHOW(choices));
        return fail_col(err, AT_ERR_INVALID, "value", hint,
                        "value '%.*s' is not one of the point's choices", SHOW(value));
    }
    if (at_str_eq_cstr(type, "number")) {
        if (is_decimal(value))
            return AT_OK;
        return fail_col(err, AT_ERR_INVALID, "value",
                        "write a number with digits and an optional '.', e.g. 42 or 3.5",
                        "value '%.*s' is not a number", SHOW(value));
    }
    if (at_str_eq_cstr(type, "date")) {
        at_day d;
        at_error inner;
        if (at_day_parse(value, &d, &inner) == AT_OK)
            return AT_OK;
        return fail_col(err, AT_ERR_INVALID, "value", inner.hint, "value for a date point: %s",
                        inner.message);
    }
    return AT_OK; /* text: any text (already checked as text) */
}

at_code at_check_scorecard_response(const at_row *response, at_point_fn point, void *ctx,
                                    at_error *err)
{
    const at_value *p = &response->values[AT_SCORECARD_RESPONSES_POINT_ID];
    const at_value *value = &response->values[AT_SCORECARD_RESPONSES_VALUE];
    at_point_info info;
    if (!p->present || !point(ctx, p->text, &info))
        return AT_OK;
    if (value->present) {
        at_code c = at_check_response_value(info.type, info.choices, value->text, err);
        if (c != AT_OK)
            return c;
    }
    bool lead = response->values[AT_SCORECARD_RESPONSES_LEAD_ID].present;
    bool opp = response->values[AT_SCORECARD_RESPONSES_OPPORTUNITY_ID].present;
    if (at_str_eq_cstr(info.applies_to, "lead") && opp && !lead)
        return fail_col(err, AT_ERR_INVALID, "opportunity_id",
                        "give lead_id instead of opportunity_id",
                        "point %.*s is on a scorecard for leads, but the answer names an "
                        "opportunity",
                        SHOW(p->text));
    if (at_str_eq_cstr(info.applies_to, "opportunity") && lead && !opp)
        return fail_col(err, AT_ERR_INVALID, "lead_id", "give opportunity_id instead of lead_id",
                        "point %.*s is on a scorecard for opportunities, but the answer names a "
                        "lead",
                        SHOW(p->text));
    return AT_OK;
}

at_code at_check_cancellation(const at_row *cancellation, at_money cancelled_before,
                              at_transaction_fn original, void *ctx, at_error *err)
{
    const at_value *type = &cancellation->values[AT_TRANSACTIONS_TYPE];
    const at_value *oid = &cancellation->values[AT_TRANSACTIONS_ORIGINAL_ID];
    const at_value *amount = &cancellation->values[AT_TRANSACTIONS_AMOUNT];
    const at_value *currency = &cancellation->values[AT_TRANSACTIONS_CURRENCY];
    at_transaction_info o;
    if (!is(type, "cancellation") || !oid->present || !original(ctx, oid->text, &o))
        return AT_OK;
    if (at_str_eq_cstr(o.type, "cancellation"))
        return fail_col(err, AT_ERR_INVALID, "original_id",
                        "name the booking, invoice or payment being cancelled",
                        "original_id '%.*s' is itself a cancellation", SHOW(oid->text));
    if (currency->present && !at_str_eq(currency->text, o.currency))
        return fail_col(err, AT_ERR_INVALID, "currency",
                        "a cancellation is in the currency of what it cancels",
                        "currency %.*s differs from %.*s of original %.*s",
                        SHOW(currency->text), SHOW(o.currency), SHOW(oid->text));
    char a[AT_MONEY_TEXT_MAX], b[AT_MONEY_TEXT_MAX];
    if (o.amount <= 0) {
        at_money_format(o.amount, b, sizeof b);
        return fail_col(err, AT_ERR_INVALID, "original_id",
                        "only a transaction with a positive amount can be cancelled",
                        "original %.*s has amount %s: there is nothing to cancel",
                        SHOW(oid->text), b);
    }
    if (!amount->present)
        return AT_OK;
    at_money total;
    bool overflow = at_money_add(amount->number, cancelled_before, &total, NULL) != AT_OK;
    if (overflow || total < -o.amount) {
        at_money_format(overflow ? amount->number : total, a, sizeof a);
        at_money_format(o.amount, b, sizeof b);
        return fail_col(err, AT_ERR_INVALID, "amount",
                        "a cancellation reverses at most the original's amount",
                        "cancellations of %.*s add up to %s, more than its amount %s",
                        SHOW(oid->text), a, b);
    }
    return AT_OK;
}

at_code at_check_split_shares(at_str transaction_id, const at_rate *shares, size_t n,
                              at_error *err)
{
    __int128 sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += shares[i];
    if (sum <= AT_RATE_SCALE)
        return AT_OK;
    char total[AT_MONEY_TEXT_MAX];
    if (sum > INT64_MAX)
        snprintf(total, sizeof total, "more than 9 billion");
    else
        at_rate_format((at_rate)sum, total, sizeof total);
    return fail_col(err, AT_ERR_INVALID, "share",
                    "the split shares of a transaction add up to 1 at most; the owner keeps "
                    "the rest",
                    "split shares of transaction %.*s add up to %s, more than 1",
                    SHOW(transaction_id), total);
}
