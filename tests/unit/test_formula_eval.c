/* test_formula_eval.c - evaluating formulas: every operator and function on hand-computed
 * values, half-even rounding at ties in every kind of operation (and on the 128-bit path),
 * overflow and division by zero with their positions and values, branches that are never
 * evaluated, and column evaluation giving exactly what row evaluation gives on random data.
 * Raw values: money at 1e-4 (1234.5678 = 12345678), numbers at 1e-9 (0.05 = 50,000,000),
 * counts at 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "test_formula_util.h"

#define MONEY AT_UNIT_MONEY
#define NUMBER AT_UNIT_NUMBER
#define ANY AT_UNIT_ANY
#define BOOL AT_UNIT_BOOL
#define E9 INT64_C(1000000000)

typedef struct eval_case {
    const char *text;
    at_unit want;
    int64_t expect;
} eval_case;

static void run_cases(const eval_case *cases, size_t n, const int64_t *slots)
{
    for (size_t i = 0; i < n; i++) {
        int64_t v = test_eval(cases[i].text, cases[i].want, slots);
        if (v != cases[i].expect)
            fail_msg("'%s' = %lld, expected %lld", cases[i].text, (long long)v,
                     (long long)cases[i].expect);
    }
}

static int64_t *base_slots(void)
{
    static int64_t s[S_COUNT];
    memset(s, 0, sizeof s);
    s[S_BOOKINGS] = 12345678;     /* 1,234.5678 */
    s[S_QUOTA] = 10000000;        /* 1,000.00 */
    s[S_ATTAINMENT] = 1250000000; /* 1.25 */
    s[S_DEALS] = 7;
    s[S_UNITS] = 8;
    s[S_COMMISSION] = 61255000;   /* 6,125.50 */
    s[S_FLAG] = 1;
    s[S_RATE] = 50000000;         /* 0.05 */
    s[S_AMOUNT] = 3;              /* 0.0003 */
    s[S_MARGIN] = -3;             /* -0.0003 */
    s[S_AVG_MARGIN] = 400000000;  /* 0.40 */
    return s;
}

/* ---- operators ------------------------------------------------------------------------------- */

static void arithmetic(void **state)
{
    (void)state;
    static const eval_case cases[] = {
        /* 1234.5678 x 0.05 = 61.72839 -> 61.7284 */
        {"bookings * rate", ANY, 617284},
        {"rate * bookings", ANY, 617284},
        {"bookings * deals", ANY, 86419746},       /* x 7 = 8,641.9746 exactly */
        {"deals * rate", ANY, 350000000},          /* 7 x 0.05 = 0.35 */
        {"deals * units", ANY, 56},
        {"rate * rate", ANY, 2500000},             /* 0.0025 */
        {"bookings / quota", ANY, 1234567800},     /* 1.2345678 */
        {"bookings / rate", ANY, 246913560},       /* 24,691.356 */
        {"bookings / deals", ANY, 1763668},        /* 176.36682857.. -> 176.3668 */
        {"deals / units", ANY, 875000000},         /* 0.875 */
        {"rate / deals", ANY, 7142857},            /* 0.00714285714.. -> 0.007142857 */
        {"deals / rate", ANY, 140 * E9},           /* 7 / 0.05 = 140 */
        {"rate / rate", ANY, E9},
        {"deals + rate", ANY, 7050000000},         /* 7.05 */
        {"rate + deals", ANY, 7050000000},
        {"deals - units", ANY, -1},
        {"bookings - quota", ANY, 2345678},        /* 234.5678 */
        {"bookings + quota", ANY, 22345678},
        {"amount - 1500", ANY, -14999997},         /* 0.0003 - 1,500 */
        {"1500 - amount", MONEY, 14999997},
        {"-bookings", ANY, -12345678},
        {"- -bookings", ANY, 12345678},
        {"-deals", ANY, -7},
        {"abs(margin)", ANY, 3},
        {"abs(amount)", ANY, 3},
        {"abs(-rate)", ANY, 50000000},
        {"abs(deals - units)", ANY, 1},
        /* literals */
        {"12.5%", ANY, 125000000},
        {"100%", ANY, E9},
        {"0.0000001%", ANY, 1},
        {"0.000000001", ANY, 1},
        {"1500", MONEY, 15000000},
        {"1500", ANY, 1500 * E9},
        {"0.0001", MONEY, 1},
        {"-1500", MONEY, -15000000},
        {"9223372036.854775807", ANY, INT64_MAX},
        {"922337203685477.5807", MONEY, INT64_MAX},
        {"-922337203685477.5807", MONEY, -INT64_MAX},
        /* literals standing for money */
        {"100 * deals", MONEY, 7000000},           /* 700.00 */
        {"deals * 100", MONEY, 7000000},
        {"100 * deals", ANY, 700 * E9},            /* as a number: 700 */
        {"5000 * bookings.attainment", MONEY, 62500000}, /* 6,250.00 */
        {"1000 / deals", MONEY, 1428571},          /* 142.857142.. -> 142.8571 */
        {"1500 / bookings", ANY, 1215000100},      /* 1.2150000996.. -> 1.2150001 */
        {"0.5 * 0.2", MONEY, 1000},                /* 0.10 */
        {"deals + 1", ANY, 8 * E9},
        /* precedence and associativity */
        {"1 + 2 * 3", ANY, 7 * E9},
        {"(1 + 2) * 3", ANY, 9 * E9},
        {"10 - 2 - 3", ANY, 5 * E9},
        {"12 / 3 / 2", ANY, 2 * E9},
        {"-2 * 3", ANY, -6 * E9},
        {"2 - -3", ANY, 5 * E9},
        {"2 * -(1 + 2)", ANY, -6 * E9},
    };
    run_cases(cases, sizeof cases / sizeof cases[0], base_slots());
}

static void comparisons_and_logic(void **state)
{
    (void)state;
    static const eval_case cases[] = {
        {"bookings > 1000", BOOL, 1},
        {"bookings < 1000", BOOL, 0},
        {"bookings >= 1234.5678", BOOL, 1},
        {"bookings > 1234.5678", BOOL, 0},
        {"bookings <= 1234.5677", BOOL, 0},
        {"bookings <= 1234.5678", BOOL, 1},
        {"deals == 7", BOOL, 1},
        {"deals != 7", BOOL, 0},
        {"deals >= units", BOOL, 0},
        {"deals < units", BOOL, 1},
        {"deals < 7.5", BOOL, 1},                  /* a count against a number */
        {"rate < 5%", BOOL, 0},
        {"rate <= 5%", BOOL, 1},
        {"bookings.attainment >= 125%", BOOL, 1},
        {"metric.avg_margin >= 35%", BOOL, 1},
        {"flag == true", BOOL, 1},
        {"flag != true", BOOL, 0},
        {"flag == false", BOOL, 0},
        {"flag and deals > 3", BOOL, 1},
        {"flag and deals > 7", BOOL, 0},
        {"not flag or deals > 7", BOOL, 0},
        {"not flag or deals > 6", BOOL, 1},
        {"true and false", BOOL, 0},
        {"false and true", BOOL, 0},
        {"true and true", BOOL, 1},
        {"false or false", BOOL, 0},
        {"false or true", BOOL, 1},
        {"true or false", BOOL, 1},
        {"not not flag", BOOL, 1},
        {"not false", BOOL, 1},
        /* precedence: or < and < not < comparisons */
        {"1 + 2 > 2 and 1 < 2", BOOL, 1},
        {"false and false or true", BOOL, 1},      /* (false and false) or true */
        {"true or false and false", BOOL, 1},      /* true or (false and false) */
        {"not false and false", BOOL, 0},          /* (not false) and false */
        {"not 1 > 2", BOOL, 1},                    /* not (1 > 2) */
        {"not flag == false", BOOL, 1},            /* not (true == false) */
        {"not bookings > quota", BOOL, 0},         /* not (bookings > quota) */
        {"flag == not false", BOOL, 1},            /* flag == (not false) */
    };
    run_cases(cases, sizeof cases / sizeof cases[0], base_slots());
}

static void functions(void **state)
{
    (void)state;
    static const eval_case cases[] = {
        {"min(commission, 5000)", MONEY, 50000000},
        {"max(commission, 5000)", MONEY, 61255000},
        {"min(3, 1, 2)", ANY, E9},
        {"max(3, 1, 2)", ANY, 3 * E9},
        {"min(-1, -2)", ANY, -2 * E9},
        {"max(deals, units, 2)", ANY, 8 * E9},
        {"min(deals, units)", ANY, 7},
        {"max(bookings, 2000, 1500)", MONEY, 20000000},
        {"if(flag, 1, 2)", ANY, E9},
        {"if(not flag, 1, 2)", ANY, 2 * E9},
        {"if(flag, bookings, 0)", MONEY, 12345678},
        {"if(deals > units, 0.05 * bookings, 0.02 * bookings)", MONEY, 246914}, /* 24.691356 */
        {"if(flag, if(deals > 7, 1, 2), 3)", ANY, 2 * E9},
        {"if(flag, deals, rate)", ANY, 7 * E9},
        {"round(bookings, 2)", MONEY, 12345700},    /* 1,234.57 */
        {"round(bookings, 0)", MONEY, 12350000},    /* 1,235 */
        {"round(bookings, 3)", MONEY, 12345680},    /* 1,234.568 */
        {"round(bookings, 4)", MONEY, 12345678},
        {"round(bookings, 1)", MONEY, 12346000},    /* 1,234.6 */
        {"round(-bookings, 2)", MONEY, -12345700},
        {"round(1500.555, 2)", MONEY, 15005600},    /* .555 -> .56 (6 is even) */
        {"abs(-5)", MONEY, 50000},
        {"abs(5)", ANY, 5 * E9},
    };
    run_cases(cases, sizeof cases / sizeof cases[0], base_slots());
}

/* ---- rounding -------------------------------------------------------------------------------- */

typedef struct tie_case {
    const char *text;
    int64_t a, b; /* bookings (or rate) and the second operand's slot value */
    int s1, s2;
    int64_t expect;
} tie_case;

static void rounding_ties_go_to_even(void **state)
{
    (void)state;
    static const tie_case cases[] = {
        /* money x number: 0.0001 x 0.5 = 0.00005 -> 0; 0.0003 x 0.5 = 0.00015 -> 0.0002 */
        {"bookings * rate", 1, 500000000, S_BOOKINGS, S_RATE, 0},
        {"bookings * rate", 3, 500000000, S_BOOKINGS, S_RATE, 2},
        {"bookings * rate", 5, 500000000, S_BOOKINGS, S_RATE, 2},
        {"bookings * rate", 7, 500000000, S_BOOKINGS, S_RATE, 4},
        {"bookings * rate", -1, 500000000, S_BOOKINGS, S_RATE, 0},
        {"bookings * rate", -3, 500000000, S_BOOKINGS, S_RATE, -2},
        {"bookings * rate", 3, -500000000, S_BOOKINGS, S_RATE, -2},
        /* just off the tie: 0.0003 x 0.500000001 = 0.000150000.. -> 0.0002; x 0.499999999 */
        {"bookings * rate", 1, 500000001, S_BOOKINGS, S_RATE, 1},
        {"bookings * rate", 3, 499999999, S_BOOKINGS, S_RATE, 1},
        /* money / count: 0.0001 / 2 -> 0; 0.0003 / 2 -> 0.0002; 0.0005 / 2 -> 0.0002 */
        {"bookings / deals", 1, 2, S_BOOKINGS, S_DEALS, 0},
        {"bookings / deals", 3, 2, S_BOOKINGS, S_DEALS, 2},
        {"bookings / deals", 5, 2, S_BOOKINGS, S_DEALS, 2},
        {"bookings / deals", -5, 2, S_BOOKINGS, S_DEALS, -2},
        /* a negative divisor: 0.0003 / -2 = -0.00015 -> -0.0002; -0.0005 / -2 -> 0.0002 */
        {"bookings / deals", 3, -2, S_BOOKINGS, S_DEALS, -2},
        {"bookings / deals", 1, -2, S_BOOKINGS, S_DEALS, 0},
        {"bookings / deals", -5, -2, S_BOOKINGS, S_DEALS, 2},
        /* money / money: 0.0001 / 200,000 = 0.0000000005 -> 0; 0.0003 / .. -> 0.000000002 */
        {"bookings / quota", 1, 2000000000, S_BOOKINGS, S_QUOTA, 0},
        {"bookings / quota", 3, 2000000000, S_BOOKINGS, S_QUOTA, 2},
        {"bookings / quota", 3, -2000000000, S_BOOKINGS, S_QUOTA, -2},
        /* number / count and number x number at 1e-9 */
        {"rate / deals", 1, 2, S_RATE, S_DEALS, 0},
        {"rate / deals", 3, 2, S_RATE, S_DEALS, 2},
        {"rate / deals", 5, 2, S_RATE, S_DEALS, 2},
        {"rate / deals", -3, 2, S_RATE, S_DEALS, -2},
        {"rate * bookings.attainment", 1, 500000000, S_RATE, S_ATTAINMENT, 0},
        {"rate * bookings.attainment", 3, 500000000, S_RATE, S_ATTAINMENT, 2},
        /* count / count: 1 / 2,000,000,000 = 0.0000000005 -> 0; 3 / 2e9 -> 0.000000002 */
        {"deals / units", 1, 2000000000, S_DEALS, S_UNITS, 0},
        {"deals / units", 3, 2000000000, S_DEALS, S_UNITS, 2},
        /* money / number: 0.0001 / 2 (as a number) -> 0; 0.0003 / 2 -> 0.0002 */
        {"bookings / rate", 1, 2000000000, S_BOOKINGS, S_RATE, 0},
        {"bookings / rate", 3, 2000000000, S_BOOKINGS, S_RATE, 2},
        {"bookings / rate", 3, -2000000000, S_BOOKINGS, S_RATE, -2},
        /* round(): 0.125 -> 0.12, 0.135 -> 0.14, -0.125 -> -0.12, 2.5 -> 2, 3.5 -> 4 */
        {"round(bookings, 2)", 1250, 0, S_BOOKINGS, S_QUOTA, 1200},
        {"round(bookings, 2)", 1350, 0, S_BOOKINGS, S_QUOTA, 1400},
        {"round(bookings, 2)", -1250, 0, S_BOOKINGS, S_QUOTA, -1200},
        {"round(bookings, 2)", 1251, 0, S_BOOKINGS, S_QUOTA, 1300},
        {"round(bookings, 0)", 25000, 0, S_BOOKINGS, S_QUOTA, 20000},
        {"round(bookings, 0)", 35000, 0, S_BOOKINGS, S_QUOTA, 40000},
        {"round(bookings, 0)", -25000, 0, S_BOOKINGS, S_QUOTA, -20000},
        {"round(bookings, 0)", 5000, 0, S_BOOKINGS, S_QUOTA, 0},
        {"round(bookings, 3)", 5, 0, S_BOOKINGS, S_QUOTA, 0},
        {"round(bookings, 3)", 15, 0, S_BOOKINGS, S_QUOTA, 20},
        /* the 128-bit path: 900 trillion-ish x 0.5, products beyond 64 bits */
        {"bookings * rate", INT64_C(9000000000000000000), 500000000, S_BOOKINGS, S_RATE,
         INT64_C(4500000000000000000)},
        {"bookings * rate", INT64_C(9000000000000000001), 500000000, S_BOOKINGS, S_RATE,
         INT64_C(4500000000000000000)},
        {"bookings * rate", INT64_C(9000000000000000003), 500000000, S_BOOKINGS, S_RATE,
         INT64_C(4500000000000000002)},
        /* INT64_MAX x 0.5 = 4611686018427387903.5 -> ...904 (even) */
        {"bookings * rate", INT64_MAX, 500000000, S_BOOKINGS, S_RATE,
         INT64_C(4611686018427387904)},
        {"bookings * rate", INT64_MIN, 500000000, S_BOOKINGS, S_RATE,
         INT64_C(-4611686018427387904)},
        /* 400 trillion / 2 as a number: 4e18 x 1e9 needs 128 bits */
        {"bookings / rate", INT64_C(4000000000000000000), 2000000000, S_BOOKINGS, S_RATE,
         INT64_C(2000000000000000000)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t *s = base_slots();
        s[cases[i].s1] = cases[i].a;
        s[cases[i].s2] = cases[i].b;
        if (cases[i].s2 == cases[i].s1)
            fail_msg("bad case");
        int64_t v = test_eval(cases[i].text, ANY, s);
        if (v != cases[i].expect)
            fail_msg("'%s' with %lld, %lld = %lld, expected %lld", cases[i].text,
                     (long long)cases[i].a, (long long)cases[i].b, (long long)v,
                     (long long)cases[i].expect);
    }
}

/* money x rate in a formula is at_money_mul_rate half-even, on random values small and large */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Du;
}

static void agrees_with_money_h(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *mul, *ratio, *divi;
    at_error err;
    assert_int_equal(test_compile(&arena, "bookings * rate", ANY, &mul, &err), AT_OK);
    assert_int_equal(test_compile(&arena, "bookings / quota", ANY, &ratio, &err), AT_OK);
    assert_int_equal(test_compile(&arena, "bookings / deals", ANY, &divi, &err), AT_OK);
    int64_t *s = base_slots();
    for (int i = 0; i < 100000; i++) {
        int shift = (int)(rng() % 63);
        s[S_BOOKINGS] = (int64_t)(rng() >> shift) * (rng() & 1 ? 1 : -1);
        s[S_RATE] = (int64_t)(rng() >> (rng() % 63)) * (rng() & 1 ? 1 : -1);
        s[S_QUOTA] = (int64_t)(rng() >> (rng() % 63)) * (rng() & 1 ? 1 : -1);
        s[S_DEALS] = (int64_t)(rng() >> (rng() % 63)) * (rng() & 1 ? 1 : -1);
        int64_t want, got;
        at_code a = at_money_mul_rate(s[S_BOOKINGS], s[S_RATE], AT_ROUND_HALF_EVEN, &want, NULL);
        at_code b = at_formula_eval(mul, s, &got, NULL);
        assert_int_equal(a == AT_OK, b == AT_OK);
        if (a == AT_OK)
            assert_int_equal(want, got);
        if (s[S_QUOTA] != 0) {
            a = at_money_ratio(s[S_BOOKINGS], s[S_QUOTA], AT_ROUND_HALF_EVEN, &want, NULL);
            b = at_formula_eval(ratio, s, &got, NULL);
            assert_int_equal(a == AT_OK, b == AT_OK);
            if (a == AT_OK)
                assert_int_equal(want, got);
        }
        if (s[S_DEALS] != 0) {
            a = at_money_div_int(s[S_BOOKINGS], s[S_DEALS], AT_ROUND_HALF_EVEN, &want, NULL);
            b = at_formula_eval(divi, s, &got, NULL);
            assert_int_equal(a == AT_OK, b == AT_OK);
            if (a == AT_OK)
                assert_int_equal(want, got);
        }
    }
    at_arena_free(&arena);
}

/* ---- errors ---------------------------------------------------------------------------------- */

typedef struct fail_case {
    const char *text;
    int s1;
    int64_t v1;
    int s2;
    int64_t v2;
    at_code code;
    const char *where, *message, *hint;
} fail_case;

static void run_failures(const fail_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const fail_case *fc = &cases[i];
        at_arena arena;
        at_arena_init(&arena, 0);
        at_formula *f;
        at_error err;
        if (test_compile(&arena, fc->text, ANY, &f, &err) != AT_OK)
            fail_msg("'%s' does not compile: %s", fc->text, err.message);
        int64_t *s = base_slots();
        s[fc->s1] = fc->v1;
        s[fc->s2] = fc->v2;
        int64_t v = 12345;
        at_code rc = at_formula_eval(f, s, &v, &err);
        if (rc != fc->code)
            fail_msg("'%s': %s, expected %s", fc->text, at_code_name(rc), at_code_name(fc->code));
        assert_int_equal(v, 12345); /* untouched */
        if (strcmp(err.where, fc->where) != 0)
            fail_msg("'%s': where %s, expected %s", fc->text, err.where, fc->where);
        if (strcmp(err.message, fc->message) != 0)
            fail_msg("'%s': message\n  %s\nexpected\n  %s", fc->text, err.message, fc->message);
        test_contains(err.hint, fc->hint);
        /* the same from the column evaluation, with the row */
        const int64_t *columns[S_COUNT];
        int64_t col[S_COUNT][3];
        int64_t *b = base_slots();
        for (int k = 0; k < S_COUNT; k++) {
            col[k][0] = col[k][1] = col[k][2] = b[k];
            columns[k] = col[k];
        }
        col[fc->s1][2] = fc->v1; /* only the last row fails */
        col[fc->s2][2] = fc->v2;
        int64_t out[3];
        size_t failed = 99;
        at_error cerr;
        assert_int_equal(at_formula_eval_columns(f, columns, 3, out, &failed, &cerr), fc->code);
        assert_int_equal(failed, 2);
        assert_string_equal(cerr.where, err.where);
        assert_string_equal(cerr.message, err.message);
        assert_string_equal(cerr.hint, err.hint);
        at_arena_free(&arena);
    }
}

static void overflow(void **state)
{
    (void)state;
    static const fail_case cases[] = {
        {"bookings + amount", S_BOOKINGS, INT64_MAX, S_AMOUNT, 1, AT_ERR_OVERFLOW,
         "plan.yaml:10:21",
         "overflow in \"bookings + amount\": 922,337,203,685,477.5807 + 0.0001 does not fit in "
         "money",
         "money holds up to +-922,337,203,685,477.5807"},
        {"bookings - quota", S_BOOKINGS, INT64_MIN, S_QUOTA, 10000, AT_ERR_OVERFLOW,
         "plan.yaml:10:21",
         "overflow in \"bookings - quota\": -922,337,203,685,477.5808 - 1.00 does not fit in "
         "money",
         "check the inputs"},
        {"bookings * 2", S_BOOKINGS, INT64_MAX, S_QUOTA, 0, AT_ERR_OVERFLOW, "plan.yaml:10:21",
         "overflow in \"bookings * 2\": 922,337,203,685,477.5807 * 2 does not fit in money",
         "money holds"},
        {"bookings * deals", S_BOOKINGS, INT64_MAX / 2 + 1, S_DEALS, 2, AT_ERR_OVERFLOW,
         "plan.yaml:10:21",
         "overflow in \"bookings * deals\": 461,168,601,842,738.7904 * 2 does not fit in money",
         "money holds"},
        {"-bookings", S_BOOKINGS, INT64_MIN, S_QUOTA, 0, AT_ERR_OVERFLOW, "plan.yaml:10:12",
         "overflow in \"-bookings\": -(-922,337,203,685,477.5808) does not fit in money",
         "money holds"},
        {"abs(bookings)", S_BOOKINGS, INT64_MIN, S_QUOTA, 0, AT_ERR_OVERFLOW, "plan.yaml:10:12",
         "overflow in \"abs(bookings)\": abs(-922,337,203,685,477.5808) does not fit in money",
         "money holds"},
        {"deals + rate", S_DEALS, INT64_C(10000000000), S_RATE, 0, AT_ERR_OVERFLOW,
         "plan.yaml:10:12",
         "overflow in \"deals + rate\": the count 10,000,000,000 as a number does not fit in "
         "number",
         "numbers hold up to +-9,223,372,036.854775807"},
        {"round(bookings, 0)", S_BOOKINGS, INT64_MAX, S_QUOTA, 0, AT_ERR_OVERFLOW,
         "plan.yaml:10:12",
         "overflow in \"round(bookings, 0)\": round(922,337,203,685,477.5807, 0) does not fit "
         "in money",
         "money holds"},
        {"bookings / rate", S_BOOKINGS, INT64_MAX, S_RATE, 1, AT_ERR_OVERFLOW, "plan.yaml:10:21",
         "overflow in \"bookings / rate\": 922,337,203,685,477.5807 / 0.000000001 does not fit "
         "in money",
         "money holds"},
        {"rate / deals", S_RATE, INT64_MIN, S_DEALS, -1, AT_ERR_OVERFLOW, "plan.yaml:10:17",
         "overflow in \"rate / deals\": -9,223,372,036.854775808 / -1 does not fit in number",
         "a divisor close to 0?"},
        {"deals * units", S_DEALS, INT64_MAX, S_UNITS, 2, AT_ERR_OVERFLOW, "plan.yaml:10:18",
         "overflow in \"deals * units\": 9,223,372,036,854,775,807 * 2 does not fit in count",
         "counts hold up to +-9,223,372,036,854,775,807"},
        {"rate * rate", S_RATE, INT64_C(4000000000000000000), S_ATTAINMENT, 0, AT_ERR_OVERFLOW,
         "plan.yaml:10:17",
         "overflow in \"rate * rate\": 4,000,000,000 * 4,000,000,000 does not fit in number",
         "numbers hold"},
        {"bookings / quota", S_BOOKINGS, INT64_MAX, S_QUOTA, 1, AT_ERR_OVERFLOW,
         "plan.yaml:10:21",
         "overflow in \"bookings / quota\": 922,337,203,685,477.5807 / 0.0001 does not fit in "
         "number",
         "numbers hold"},
        /* where the overflow sits on a later line */
        {"bookings +\n  quota", S_BOOKINGS, INT64_MAX, S_QUOTA, 1, AT_ERR_OVERFLOW,
         "plan.yaml:10:21",
         "overflow in \"bookings +\\x0A  quota\": 922,337,203,685,477.5807 + 0.0001 does not "
         "fit in money",
         "money holds"},
        {"1 +\n  bookings * 2", S_BOOKINGS, INT64_MAX, S_QUOTA, 1, AT_ERR_OVERFLOW,
         "plan.yaml:11:12",
         "overflow in \"1 +\\x0A  bookings * 2\": 922,337,203,685,477.5807 * 2 does not fit in "
         "money",
         "money holds"},
    };
    run_failures(cases, sizeof cases / sizeof cases[0]);
}

static void division_by_zero(void **state)
{
    (void)state;
    static const fail_case cases[] = {
        {"bookings / quota", S_QUOTA, 0, S_DEALS, 7, AT_ERR_INVALID, "plan.yaml:10:21",
         "division by zero in \"bookings / quota\": 1,234.5678 / 0.00",
         "guard the divisor: if(quota != 0, bookings / quota, 0)"},
        {"deals / units", S_UNITS, 0, S_DEALS, 7, AT_ERR_INVALID, "plan.yaml:10:18",
         "division by zero in \"deals / units\": 7 / 0",
         "guard the divisor: if(units != 0, deals / units, 0)"},
        {"rate / (deals - units)", S_UNITS, 7, S_DEALS, 7, AT_ERR_INVALID, "plan.yaml:10:17",
         "division by zero in \"rate / (deals - units)\": 0.05 / 0",
         "guard the divisor: if((deals - units) != 0, rate / (deals - units), 0)"},
        {"1 + bookings / rate", S_RATE, 0, S_DEALS, 7, AT_ERR_INVALID, "plan.yaml:10:25",
         "division by zero in \"1 + bookings / rate\": 1,234.5678 / 0",
         "guard the divisor: if(rate != 0, bookings / rate, 0)"},
    };
    run_failures(cases, sizeof cases / sizeof cases[0]);
}

static void branches_not_taken_are_not_evaluated(void **state)
{
    (void)state;
    int64_t *s = base_slots();
    s[S_QUOTA] = 0;
    s[S_BOOKINGS] = INT64_MAX;
    static const eval_case cases[] = {
        {"if(quota > 0, bookings / quota, 0)", ANY, 0},
        {"if(quota == 0, 0, bookings / quota)", ANY, 0},
        {"quota != 0 and bookings / quota > 1", BOOL, 0},
        {"quota == 0 or bookings / quota > 1", BOOL, 1},
        {"if(flag, 1, bookings + bookings)", MONEY, 10000},
        {"if(not flag, -(bookings + 1), 2)", MONEY, 20000},
        {"if(flag, if(quota > 0, bookings / quota, 3), bookings / quota)", ANY, 3 * E9},
    };
    run_cases(cases, sizeof cases / sizeof cases[0], s);
}

static void bad_calls(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f, *constant;
    at_error err;
    assert_int_equal(test_compile(&arena, "bookings * rate", ANY, &f, &err), AT_OK);
    assert_int_equal(test_compile(&arena, "1 + 2", ANY, &constant, &err), AT_OK);
    int64_t v;
    assert_int_equal(at_formula_eval(f, NULL, &v, &err), AT_ERR_INVALID);
    assert_int_equal(at_formula_eval(f, base_slots(), NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_formula_eval(NULL, base_slots(), &v, &err), AT_ERR_INVALID);
    assert_int_equal(at_formula_eval(constant, NULL, &v, &err), AT_OK); /* reads no slot */
    assert_int_equal(v, 3 * E9);
    /* columns: a column the formula reads is missing; no rows; no columns for a constant */
    const int64_t *columns[S_COUNT] = {0};
    int64_t one = 1, out[2];
    columns[S_BOOKINGS] = &one;
    size_t failed = 7;
    assert_int_equal(at_formula_eval_columns(f, columns, 1, out, &failed, &err), AT_ERR_INVALID);
    test_contains(err.message, "reads slot 6, but its column is missing");
    assert_int_equal(failed, 0);
    assert_int_equal(at_formula_eval_columns(f, NULL, 0, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_formula_eval_columns(f, NULL, 1, out, NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_formula_eval_columns(constant, NULL, 2, out, NULL, &err), AT_OK);
    assert_int_equal(out[0], 3 * E9);
    assert_int_equal(out[1], 3 * E9);
    at_arena_free(&arena);
}

/* ---- columns agree with rows ----------------------------------------------------------------- */

static int64_t random_value(at_unit unit, bool tame)
{
    uint64_t r = rng();
    if (unit == AT_UNIT_BOOL)
        return (int64_t)(r & 1);
    int64_t sign = (r >> 8) & 1 ? -1 : 1;
    int64_t scale = unit == AT_UNIT_MONEY ? 10000 : unit == AT_UNIT_NUMBER ? E9 : 1;
    switch (tame ? 9 : r % 10) {
    case 0: return 0;
    case 1: return sign;
    case 2: {
        static const int64_t edges[] = {INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
                                        INT64_MAX / 2, E9, 10000};
        return edges[(r >> 16) % 7];
    }
    case 3:
    case 4: return (int64_t)rng();
    default: {
        int64_t v = (int64_t)(rng() % (uint64_t)(1000 * scale)) + 1; /* never 0 when tame */
        return sign * v;
    }
    }
}

static size_t runs_failed, runs_ok; /* both kinds must be seen */

static void compare_columns_with_rows(const at_formula *f, size_t rows, bool tame)
{
    int64_t *data = malloc(S_COUNT * rows * sizeof *data);
    int64_t *out = malloc(rows * sizeof *out);
    assert_non_null(data);
    assert_non_null(out);
    const int64_t *columns[S_COUNT];
    for (int k = 0; k < S_COUNT; k++)
        columns[k] = data + (size_t)k * rows;
    for (size_t t = 0; t < sizeof TEST_NAMES / sizeof TEST_NAMES[0]; t++)
        for (size_t r = 0; r < rows; r++)
            data[(size_t)TEST_NAMES[t].slot * rows + r] = random_value(TEST_NAMES[t].unit, tame);
    size_t failed = SIZE_MAX;
    at_error cerr;
    memset(out, 0, rows * sizeof *out);
    at_code crc = at_formula_eval_columns(f, columns, rows, out, &failed, &cerr);
    size_t checked = crc == AT_OK ? rows : failed + 1;
    if (crc == AT_OK)
        runs_ok++;
    else
        runs_failed++;
    assert_true(checked <= rows);
    for (size_t r = 0; r < checked; r++) {
        int64_t slots[S_COUNT], v = 0;
        for (int k = 0; k < S_COUNT; k++)
            slots[k] = columns[k][r];
        at_error err;
        at_code rc = at_formula_eval(f, slots, &v, &err);
        if (r < checked - 1 || crc == AT_OK) {
            if (rc != AT_OK)
                fail_msg("'%s' row %zu: rows fail (%s) where columns do not",
                         at_formula_text(f), r, err.message);
            if (v != out[r])
                fail_msg("'%s' row %zu: row %lld, column %lld", at_formula_text(f), r,
                         (long long)v, (long long)out[r]);
        } else {
            if (rc != crc)
                fail_msg("'%s' row %zu: row gives %s, columns %s", at_formula_text(f), r,
                         at_code_name(rc), at_code_name(crc));
            assert_string_equal(err.message, cerr.message);
            assert_string_equal(err.where, cerr.where);
        }
    }
    free(data);
    free(out);
}

static void columns_agree_with_rows(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        at_unit want;
    } formulas[] = {
        {"bookings * rate", ANY},
        {"bookings / quota", ANY},
        {"bookings / deals", ANY},
        {"deals / units", ANY},
        {"rate / deals", ANY},
        {"deals / rate", ANY},
        {"bookings / rate", ANY},
        {"bookings + quota - amount", ANY},
        {"deals * units - deals", ANY},
        {"deals * rate + rate", ANY},
        {"-bookings", ANY},
        {"abs(margin) + abs(amount) - abs(bookings)", ANY},
        {"abs(deals - units) + abs(rate)", ANY},
        {"round(bookings, 2)", ANY},
        {"round(amount * rate, 0) + round(margin, 3)", ANY},
        {"min(bookings, quota, amount)", ANY},
        {"max(deals, units, 3)", ANY},
        {"bookings > quota", ANY},
        {"deals <= units or rate == 5% and not flag", ANY},
        {"if(flag, bookings / quota, rate)", ANY},
        {"if(quota > 0, bookings / quota, 0)", ANY},
        {"quota != 0 and bookings / quota > 1", ANY},
        {"quota == 0 or bookings / quota > 1", ANY},
        {"if(flag, if(deals > units, bookings * rate, amount / deals), "
         "if(rate > 0, bookings / rate, -quota))",
         ANY},
        {"if(bookings >= quota, 0.05 * bookings, 0.02 * bookings) + 100 * deals", MONEY},
        {"min(commission, 5000) - max(amount, margin)", MONEY},
        {"bookings.attainment * bookings + metric.avg_margin * margin", ANY},
        {"if(deals > 0, amount / deals, 0) * units", ANY},
        {"5000 * bookings.attainment", MONEY},
        {"if(flag and rate > 0, 1500 / rate, 0)", ANY},
        {"if(rate > 1, if(rate > 2, if(rate > 3, 1, 2), 3), if(rate < -1, 4, 5))", ANY},
        {"deals + rate > units", ANY},
        {"far - bookings", ANY},
    };
    static const size_t sizes[] = {1, 2, 255, 256, 257, 1000};
    at_arena arena;
    at_arena_init(&arena, 0);
    for (size_t i = 0; i < sizeof formulas / sizeof formulas[0]; i++) {
        at_formula *f;
        at_error err;
        if (test_compile(&arena, formulas[i].text, formulas[i].want, &f, &err) != AT_OK)
            fail_msg("'%s' does not compile: %s", formulas[i].text, err.message);
        for (int round = 0; round < 10; round++)
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                compare_columns_with_rows(f, sizes[k], round % 2 == 0);
    }
    at_arena_free(&arena);
    assert_true(runs_ok > 500);
    assert_true(runs_failed > 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic),
        cmocka_unit_test(comparisons_and_logic),
        cmocka_unit_test(functions),
        cmocka_unit_test(rounding_ties_go_to_even),
        cmocka_unit_test(agrees_with_money_h),
        cmocka_unit_test(overflow),
        cmocka_unit_test(division_by_zero),
        cmocka_unit_test(branches_not_taken_are_not_evaluated),
        cmocka_unit_test(bad_calls),
        cmocka_unit_test(columns_agree_with_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
