/* test_formula_util.h - what the formula tests share: a resolver over a fixed table of names
 * (the slots below), compiling with a known origin (plan.yaml line 10, column 12), and
 * checking an error's place, message and hint. */
#ifndef ATTAIN_TEST_FORMULA_UTIL_H
#define ATTAIN_TEST_FORMULA_UTIL_H

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/money.h"
#include "plan/formula.h"

/* The names the tests' formulas may use, and their slots. */
enum {
    S_BOOKINGS = 0,   /* money */
    S_QUOTA = 1,      /* money */
    S_ATTAINMENT = 2, /* bookings.attainment, number */
    S_DEALS = 3,      /* count */
    S_COMMISSION = 4, /* money */
    S_FLAG = 5,       /* bool */
    S_RATE = 6,       /* number */
    S_AVG_MARGIN = 7, /* metric.avg_margin, number */
    S_AMOUNT = 8,     /* money */
    S_MARGIN = 9,     /* money */
    S_UNITS = 10,     /* count */
    S_FAR = 200,      /* money, a high slot */
    S_COUNT = 201,
};

static const struct {
    const char *name;
    at_unit unit;
    int slot;
} TEST_NAMES[] = {
    {"bookings", AT_UNIT_MONEY, S_BOOKINGS},
    {"quota", AT_UNIT_MONEY, S_QUOTA},
    {"bookings.attainment", AT_UNIT_NUMBER, S_ATTAINMENT},
    {"deals", AT_UNIT_COUNT, S_DEALS},
    {"commission", AT_UNIT_MONEY, S_COMMISSION},
    {"flag", AT_UNIT_BOOL, S_FLAG},
    {"rate", AT_UNIT_NUMBER, S_RATE},
    {"metric.avg_margin", AT_UNIT_NUMBER, S_AVG_MARGIN},
    {"amount", AT_UNIT_MONEY, S_AMOUNT},
    {"margin", AT_UNIT_MONEY, S_MARGIN},
    {"units", AT_UNIT_COUNT, S_UNITS},
    {"far", AT_UNIT_MONEY, S_FAR},
};

static inline at_code test_resolve(void *ctx, at_str name, at_unit *unit, int *slot,
                                   at_error *err)
{
    int *calls = ctx;
    if (calls)
        (*calls)++;
    for (size_t i = 0; i < sizeof TEST_NAMES / sizeof TEST_NAMES[0]; i++) {
        if (at_str_eq_cstr(name, TEST_NAMES[i].name)) {
            *unit = TEST_NAMES[i].unit;
            *slot = TEST_NAMES[i].slot;
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_NOT_FOUND, NULL, "names here are bookings, quota, deals, ...",
                   "unknown name '%.*s'", (int)name.len, name.ptr);
}

static const at_formula_origin TEST_ORIGIN = {"plan.yaml", 10, 12};

static inline at_code test_compile(at_arena *arena, const char *text, at_unit want,
                                   at_formula **out, at_error *err)
{
    return at_formula_compile(text, strlen(text), TEST_ORIGIN, test_resolve, NULL, want, arena,
                              out, err);
}

static inline void test_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

/* Compiling text fails with code at where, the message containing message and the hint
 * containing hint (NULL: not checked). */
static inline void test_compile_fails(const char *text, at_unit want, at_code code,
                                      const char *where, const char *message, const char *hint)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f = (at_formula *)&arena; /* must be reset to NULL */
    at_error err;
    memset(&err, 0, sizeof err);
    at_code rc = test_compile(&arena, text, want, &f, &err);
    if (rc != code)
        fail_msg("'%s': expected code %s, got %s (%s)", text, at_code_name(code),
                 at_code_name(rc), err.message);
    if (f != NULL)
        fail_msg("'%s': the formula was not reset to NULL", text);
    if (strcmp(err.where, where) != 0)
        fail_msg("'%s': expected where \"%s\", got \"%s\" (%s)", text, where, err.where,
                 err.message);
    test_contains(err.message, message);
    if (hint)
        test_contains(err.hint, hint);
    at_arena_free(&arena);
}

/* Compiles text (which must compile) and evaluates it with slots; returns the result. */
static inline int64_t test_eval(const char *text, at_unit want, const int64_t *slots)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    if (test_compile(&arena, text, want, &f, &err) != AT_OK)
        fail_msg("'%s' does not compile: %s: %s (%s)", text, err.where, err.message, err.hint);
    int64_t v = 0;
    if (at_formula_eval(f, slots, &v, &err) != AT_OK)
        fail_msg("'%s' fails: %s: %s (%s)", text, err.where, err.message, err.hint);
    at_arena_free(&arena);
    return v;
}

#endif
