/* test_money.c - exact money and rates: rounding in every mode, overflow at the int64 limits,
 * parsing and formatting (exact round trips, malformed input and its messages), allocation.
 * Every expected value is worked out by hand in the comments beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"

#define HE AT_ROUND_HALF_EVEN
#define HU AT_ROUND_HALF_UP
#define HD AT_ROUND_HALF_DOWN
#define DN AT_ROUND_DOWN
#define UP AT_ROUND_UP
#define FL AT_ROUND_FLOOR
#define CE AT_ROUND_CEILING

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

/* ---- rounding ----------------------------------------------------------------------------- */

typedef struct rounding_case {
    int64_t num, den;
    int64_t want[7]; /* half-even, half-up, half-down, down, up, floor, ceiling */
} rounding_case;

static void rounding_table_every_mode(void **state)
{
    (void)state;
    static const rounding_case cases[] = {
        /* exact ties */
        {5, 2, {2, 3, 2, 2, 3, 2, 3}},             /* 2.5 */
        {7, 2, {4, 4, 3, 3, 4, 3, 4}},             /* 3.5 */
        {3, 2, {2, 2, 1, 1, 2, 1, 2}},             /* 1.5 */
        {1, 2, {0, 1, 0, 0, 1, 0, 1}},             /* 0.5 */
        {-1, 2, {0, -1, 0, 0, -1, -1, 0}},         /* -0.5 */
        {-5, 2, {-2, -3, -2, -2, -3, -3, -2}},     /* -2.5 */
        {-7, 2, {-4, -4, -3, -3, -4, -4, -3}},     /* -3.5 */
        {5, -2, {-2, -3, -2, -2, -3, -3, -2}},     /* -2.5 by a negative divisor */
        {-5, -2, {2, 3, 2, 2, 3, 2, 3}},           /* 2.5 from two negatives */
        /* just below and just above a tie */
        {24999999, 10000000, {2, 2, 2, 2, 3, 2, 3}},          /* 2.4999999 */
        {25000001, 10000000, {3, 3, 3, 2, 3, 2, 3}},          /* 2.5000001 */
        {-24999999, 10000000, {-2, -2, -2, -2, -3, -3, -2}},  /* -2.4999999 */
        {-25000001, 10000000, {-3, -3, -3, -2, -3, -3, -2}},  /* -2.5000001 */
        /* not near a tie */
        {1, 3, {0, 0, 0, 0, 1, 0, 1}},      /* 0.333 */
        {-2, 3, {-1, -1, -1, 0, -1, -1, 0}}, /* -0.667 */
        /* exact */
        {7, 1, {7, 7, 7, 7, 7, 7, 7}},
        {0, 5, {0, 0, 0, 0, 0, 0, 0}},
        {-21, 7, {-3, -3, -3, -3, -3, -3, -3}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int m = 0; m < 7; m++) {
            int64_t got = 12345;
            at_error e;
            assert_int_equal(at_div_round_i128(cases[i].num, cases[i].den, (at_rounding)m, &got,
                                               &e),
                             AT_OK);
            if (got != cases[i].want[m])
                fail_msg("%lld / %lld in %s: got %lld, want %lld", (long long)cases[i].num,
                         (long long)cases[i].den, at_rounding_name((at_rounding)m),
                         (long long)got, (long long)cases[i].want[m]);
        }
    }
}

typedef struct money_round_case {
    at_money value;
    int decimals;
    at_money want[7];
} money_round_case;

static void money_round_to_cents_every_mode(void **state)
{
    (void)state;
    static const money_round_case cases[] = {
        /* 1.005: a tie between 1.00 and 1.01; even is 1.00 */
        {10050, 2, {10000, 10100, 10000, 10000, 10100, 10000, 10100}},
        /* 1.015: a tie between 1.01 and 1.02; even is 1.02 */
        {10150, 2, {10200, 10200, 10100, 10100, 10200, 10100, 10200}},
        /* -1.005 */
        {-10050, 2, {-10000, -10100, -10000, -10000, -10100, -10100, -10000}},
        /* 1.0051: just above the tie */
        {10051, 2, {10100, 10100, 10100, 10000, 10100, 10000, 10100}},
        /* 1.0049: just below the tie */
        {10049, 2, {10000, 10000, 10000, 10000, 10100, 10000, 10100}},
        /* -1.0049 */
        {-10049, 2, {-10000, -10000, -10000, -10000, -10100, -10100, -10000}},
        /* 2.5 to whole units */
        {25000, 0, {20000, 30000, 20000, 20000, 30000, 20000, 30000}},
        /* 12345.6789 to whole units */
        {123456789, 0, {123460000, 123460000, 123460000, 123450000, 123460000, 123450000,
                        123460000}},
        /* 1.2345 to 3 decimals: a tie, even is 1.234 */
        {12345, 3, {12340, 12350, 12340, 12340, 12350, 12340, 12350}},
        /* 4 decimals: nothing to round */
        {-12345, 4, {-12345, -12345, -12345, -12345, -12345, -12345, -12345}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int m = 0; m < 7; m++) {
            at_money got;
            assert_int_equal(at_money_round(cases[i].value, cases[i].decimals, (at_rounding)m,
                                            &got, NULL),
                             AT_OK);
            if (got != cases[i].want[m])
                fail_msg("round %lld to %d in %s: got %lld, want %lld",
                         (long long)cases[i].value, cases[i].decimals,
                         at_rounding_name((at_rounding)m), (long long)got,
                         (long long)cases[i].want[m]);
        }
}

static void money_round_at_the_limits(void **state)
{
    (void)state;
    at_money got;
    at_error e;
    /* 922337203685477.5807 to cents: .5807 -> .58 (half-even, down) */
    assert_int_equal(at_money_round(INT64_MAX, 2, HE, &got, &e), AT_OK);
    assert_true(got == INT64_C(9223372036854775800));
    /* up: .59, one cent past the largest amount */
    assert_int_equal(at_money_round(INT64_MAX, 2, UP, &got, &e), AT_ERR_OVERFLOW);
    assert_contains(e.message, "922337203685477.5807 rounded to 2 decimals (up)");
    assert_int_equal(at_money_round(INT64_MAX, 0, HE, &got, &e), AT_ERR_OVERFLOW);
    assert_int_equal(at_money_round(INT64_MAX, 0, DN, &got, &e), AT_OK);
    assert_true(got == INT64_C(9223372036854770000));
    /* -922337203685477.5808 to cents: -.58 half-even, -.59 floor (too small) */
    assert_int_equal(at_money_round(INT64_MIN, 2, HE, &got, &e), AT_OK);
    assert_true(got == INT64_C(-9223372036854775800));
    assert_int_equal(at_money_round(INT64_MIN, 2, FL, &got, &e), AT_ERR_OVERFLOW);
    assert_int_equal(at_money_round(INT64_MIN, 4, FL, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    /* bad decimals and modes */
    assert_int_equal(at_money_round(100, 5, HE, &got, &e), AT_ERR_INVALID);
    assert_contains(e.hint, "0 to 4 decimals");
    assert_int_equal(at_money_round(100, -1, HE, &got, &e), AT_ERR_INVALID);
    assert_int_equal(at_money_round(100, 2, (at_rounding)7, &got, &e), AT_ERR_INVALID);
    assert_contains(e.hint, "half-even");
}

static void div_round_i128_limits(void **state)
{
    (void)state;
    int64_t got;
    at_error e;
    __int128 two63 = (__int128)1 << 63;
    assert_int_equal(at_div_round_i128(-two63, 1, HE, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    assert_int_equal(at_div_round_i128(two63, 1, HE, &got, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "9223372036854775808 / 1 (half-even) does not fit in 64 bits");
    /* 2^63 - 0.5 rounds to 2^63 - 1 half-down, to 2^63 half-up */
    assert_int_equal(at_div_round_i128(2 * two63 - 1, 2, HD, &got, &e), AT_OK);
    assert_true(got == INT64_MAX);
    assert_int_equal(at_div_round_i128(2 * two63 - 1, 2, HU, &got, &e), AT_ERR_OVERFLOW);
    assert_int_equal(at_div_round_i128(5, 0, HE, &got, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot divide 5 by zero");
    assert_int_equal(at_div_round_i128(5, 2, (at_rounding)-1, &got, &e), AT_ERR_INVALID);
}

static void rounding_names_and_parse(void **state)
{
    (void)state;
    const char *names[7] = {"half-even", "half-up", "half-down", "down",
                            "up",        "floor",   "ceiling"};
    for (int m = 0; m < 7; m++) {
        assert_string_equal(at_rounding_name((at_rounding)m), names[m]);
        at_rounding got = (at_rounding)99;
        assert_int_equal(at_rounding_parse(at_str_from(names[m]), &got, NULL), AT_OK);
        assert_int_equal(got, m);
    }
    assert_string_equal(at_rounding_name((at_rounding)7), "unknown");
    at_rounding got;
    assert_int_equal(at_rounding_parse(AT_STR("HALF_UP"), &got, NULL), AT_OK);
    assert_int_equal(got, AT_ROUND_HALF_UP);
    assert_int_equal(at_rounding_parse(AT_STR("Half Even"), &got, NULL), AT_OK);
    assert_int_equal(got, AT_ROUND_HALF_EVEN);
    at_error e;
    assert_int_equal(at_rounding_parse(AT_STR("bankers"), &got, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "unknown rounding mode 'bankers'");
    assert_contains(e.hint, "half-even, half-up, half-down, down, up, floor, ceiling");
    assert_int_equal(at_rounding_parse(AT_STR(""), &got, &e), AT_ERR_INVALID);
}

/* ---- arithmetic and overflow -------------------------------------------------------------- */

static void add_sub_at_the_limits(void **state)
{
    (void)state;
    at_money got;
    at_error e;
    assert_int_equal(at_money_add(12500, 7500, &got, &e), AT_OK); /* 1.25 + 0.75 = 2.00 */
    assert_true(got == 20000);
    assert_int_equal(at_money_add(INT64_MAX, 0, &got, &e), AT_OK);
    assert_true(got == INT64_MAX);
    assert_int_equal(at_money_add(INT64_MIN, INT64_MAX, &got, &e), AT_OK);
    assert_true(got == -1);
    assert_int_equal(at_money_add(INT64_MAX, 1, &got, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "922337203685477.5807 + 0.0001 does not fit in an amount");
    assert_contains(e.hint, "misplaced decimal point");
    assert_int_equal(at_money_add(INT64_MIN, -1, &got, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "-922337203685477.5808 + -0.0001 does not fit in an amount");

    assert_int_equal(at_money_sub(-1, INT64_MAX, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    assert_int_equal(at_money_sub(INT64_MIN, 1, &got, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "-922337203685477.5808 - 0.0001 does not fit in an amount");
    assert_int_equal(at_money_sub(0, INT64_MIN, &got, &e), AT_ERR_OVERFLOW);
    assert_int_equal(at_money_sub(INT64_MAX, -1, &got, &e), AT_ERR_OVERFLOW);
}

static void mul_int_at_the_limits(void **state)
{
    (void)state;
    at_money got;
    at_error e;
    assert_int_equal(at_money_mul_int(12500, 3, &got, &e), AT_OK); /* 1.25 x 3 = 3.75 */
    assert_true(got == 37500);
    assert_int_equal(at_money_mul_int(INT64_MIN, 1, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    /* 1.00 x 922337203685477 = 922337203685477.00 fits; one more does not */
    assert_int_equal(at_money_mul_int(10000, INT64_C(922337203685477), &got, &e), AT_OK);
    assert_true(got == INT64_C(9223372036854770000));
    assert_int_equal(at_money_mul_int(10000, INT64_C(922337203685478), &got, &e),
                     AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "1.00 x 922337203685478 does not fit in an amount");
    assert_int_equal(at_money_mul_int(INT64_MIN, -1, &got, &e), AT_ERR_OVERFLOW);
    assert_int_equal(at_money_mul_int(INT64_MAX, 2, &got, &e), AT_ERR_OVERFLOW);
}

static void mul_rate_rounds_once(void **state)
{
    (void)state;
    at_money got;
    at_error e;
    /* 100.00 x 0.05 = 5.00 */
    assert_int_equal(at_money_mul_rate(1000000, 50000000, HE, &got, &e), AT_OK);
    assert_true(got == 50000);
    /* 0.0001 x 0.5 = 0.00005: a tie at the 4th decimal; even is 0, half-up 0.0001 */
    assert_int_equal(at_money_mul_rate(1, 500000000, HE, &got, &e), AT_OK);
    assert_true(got == 0);
    assert_int_equal(at_money_mul_rate(1, 500000000, HU, &got, &e), AT_OK);
    assert_true(got == 1);
    /* 0.0003 x 0.5 = 0.00015: even is 0.0002, down 0.0001 */
    assert_int_equal(at_money_mul_rate(3, 500000000, HE, &got, &e), AT_OK);
    assert_true(got == 2);
    assert_int_equal(at_money_mul_rate(3, 500000000, DN, &got, &e), AT_OK);
    assert_true(got == 1);
    /* -0.0003 x 0.5 = -0.00015: floor -0.0002, ceiling -0.0001 */
    assert_int_equal(at_money_mul_rate(-3, 500000000, FL, &got, &e), AT_OK);
    assert_true(got == -2);
    assert_int_equal(at_money_mul_rate(-3, 500000000, CE, &got, &e), AT_OK);
    assert_true(got == -1);
    /* 12345.6789 x 1.1 = 13580.24679 -> 13580.2468 */
    assert_int_equal(at_money_mul_rate(123456789, 1100000000, HE, &got, &e), AT_OK);
    assert_true(got == 135802468);
    /* the limits: x 1 is exact, x 2 and -1 x INT64_MIN overflow */
    assert_int_equal(at_money_mul_rate(INT64_MAX, AT_RATE_SCALE, HE, &got, &e), AT_OK);
    assert_true(got == INT64_MAX);
    assert_int_equal(at_money_mul_rate(INT64_MIN, AT_RATE_SCALE, HE, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    assert_int_equal(at_money_mul_rate(INT64_MAX, 2 * AT_RATE_SCALE, HE, &got, &e),
                     AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "922337203685477.5807 x 2.0 does not fit in an amount");
    assert_int_equal(at_money_mul_rate(INT64_MIN, -AT_RATE_SCALE, HE, &got, &e),
                     AT_ERR_OVERFLOW);
    assert_int_equal(at_money_mul_rate(1, 1, (at_rounding)9, &got, &e), AT_ERR_INVALID);
}

static void div_int_and_ratio(void **state)
{
    (void)state;
    at_money got;
    at_rate r;
    at_error e;
    /* 100.00 / 3 = 33.33333...: 33.3333 half-even, 33.3334 up */
    assert_int_equal(at_money_div_int(1000000, 3, HE, &got, &e), AT_OK);
    assert_true(got == 333333);
    assert_int_equal(at_money_div_int(1000000, 3, UP, &got, &e), AT_OK);
    assert_true(got == 333334);
    /* 0.0003 / 2 = 0.00015 -> 0.0002 half-even; -0.0003 / 2 -> -0.0001 half-down */
    assert_int_equal(at_money_div_int(3, 2, HE, &got, &e), AT_OK);
    assert_true(got == 2);
    assert_int_equal(at_money_div_int(-3, 2, HD, &got, &e), AT_OK);
    assert_true(got == -1);
    assert_int_equal(at_money_div_int(INT64_MIN, -1, HE, &got, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "-922337203685477.5808 / -1 does not fit in an amount");
    assert_int_equal(at_money_div_int(INT64_MIN, 1, HE, &got, &e), AT_OK);
    assert_true(got == INT64_MIN);
    assert_int_equal(at_money_div_int(12500, 0, HE, &got, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot divide 1.25 by zero");

    /* 75.00 / 100.00 = 0.75 */
    assert_int_equal(at_money_ratio(750000, 1000000, HE, &r, &e), AT_OK);
    assert_true(r == 750000000);
    /* 1 / 3 = 0.333333333|33 ; 2 / 3 = 0.666666666|67 */
    assert_int_equal(at_money_ratio(10000, 30000, HE, &r, &e), AT_OK);
    assert_true(r == 333333333);
    assert_int_equal(at_money_ratio(10000, 30000, UP, &r, &e), AT_OK);
    assert_true(r == 333333334);
    assert_int_equal(at_money_ratio(20000, 30000, HE, &r, &e), AT_OK);
    assert_true(r == 666666667);
    assert_int_equal(at_money_ratio(20000, 30000, DN, &r, &e), AT_OK);
    assert_true(r == 666666666);
    /* -50 / 200 = -0.25 */
    assert_int_equal(at_money_ratio(-500000, 2000000, HE, &r, &e), AT_OK);
    assert_true(r == -250000000);
    assert_int_equal(at_money_ratio(500000, 0, HE, &r, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot compute 50.00 / 0.00: the divisor is zero");
    /* 922337203685477.5807 / 0.0001 = 9.2e18: far beyond the largest rate (9.2e9) */
    assert_int_equal(at_money_ratio(INT64_MAX, 1, HE, &r, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "922337203685477.5807 / 0.0001 does not fit in a rate");
    /* near the largest rate (9223372036.854775807): 9223372036.8547 / 1.00 fits, and
     * 9223372036.8548 / 1.00 does not */
    assert_int_equal(at_money_ratio(INT64_C(92233720368547), 10000, HE, &r, &e), AT_OK);
    assert_true(r == INT64_C(9223372036854700000));
    assert_int_equal(at_money_ratio(INT64_C(92233720368548), 10000, HE, &r, &e),
                     AT_ERR_OVERFLOW);
}

static void rate_mul(void **state)
{
    (void)state;
    at_rate r;
    at_error e;
    /* 0.5 x 0.5 = 0.25 */
    assert_int_equal(at_rate_mul(500000000, 500000000, HE, &r, &e), AT_OK);
    assert_true(r == 250000000);
    /* 1e-9 x 0.5 = 0.5e-9 -> 0 (even); 3e-9 x 0.5 = 1.5e-9 -> 2e-9 */
    assert_int_equal(at_rate_mul(1, 500000000, HE, &r, &e), AT_OK);
    assert_true(r == 0);
    assert_int_equal(at_rate_mul(3, 500000000, HE, &r, &e), AT_OK);
    assert_true(r == 2);
    assert_int_equal(at_rate_mul(INT64_MAX, 2 * AT_RATE_SCALE, HE, &r, &e), AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "9223372036.854775807 x 2.0 does not fit in a rate");
}

/* ---- formatting --------------------------------------------------------------------------- */

static void format_money(void **state)
{
    (void)state;
    static const struct {
        at_money v;
        const char *text;
    } cases[] = {
        {0, "0.00"},
        {1, "0.0001"},
        {-1, "-0.0001"},
        {10000, "1.00"},
        {120000, "12.00"},
        {123000, "12.30"},
        {123450, "12.345"},
        {1234567, "123.4567"},
        {-5000, "-0.50"},
        {-12345000, "-1234.50"},
        {INT64_MAX, "922337203685477.5807"},
        {INT64_MIN, "-922337203685477.5808"},
    };
    char buf[AT_MONEY_TEXT_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = at_money_format(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
    /* a short buffer is cut and terminated; the full length is returned */
    char small[4];
    assert_int_equal(at_money_format(123450, small, sizeof small), 6);
    assert_string_equal(small, "12.");
    assert_int_equal(at_money_format(123450, NULL, 0), 6);
}

static void format_money_fixed(void **state)
{
    (void)state;
    char buf[AT_MONEY_TEXT_MAX];
    /* 12345.6789 */
    at_money_format_fixed(123456789, 2, HE, buf, sizeof buf);
    assert_string_equal(buf, "12345.68");
    at_money_format_fixed(123456789, 2, DN, buf, sizeof buf);
    assert_string_equal(buf, "12345.67");
    at_money_format_fixed(123456789, 0, HE, buf, sizeof buf);
    assert_string_equal(buf, "12346");
    at_money_format_fixed(123456789, 4, HE, buf, sizeof buf);
    assert_string_equal(buf, "12345.6789");
    /* 1.005: a tie */
    at_money_format_fixed(10050, 2, HE, buf, sizeof buf);
    assert_string_equal(buf, "1.00");
    at_money_format_fixed(10050, 2, HU, buf, sizeof buf);
    assert_string_equal(buf, "1.01");
    /* -0.0001: no negative zero, but floor goes to -0.01 */
    at_money_format_fixed(-1, 2, HE, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    at_money_format_fixed(-1, 2, FL, buf, sizeof buf);
    assert_string_equal(buf, "-0.01");
    /* the limits round past int64 without overflowing: text has no limit */
    at_money_format_fixed(INT64_MAX, 0, HE, buf, sizeof buf);
    assert_string_equal(buf, "922337203685478");
    at_money_format_fixed(INT64_MIN, 0, HE, buf, sizeof buf);
    assert_string_equal(buf, "-922337203685478");
    /* decimals outside 0..4 are clamped */
    at_money_format_fixed(10000, 7, HE, buf, sizeof buf);
    assert_string_equal(buf, "1.0000");
    at_money_format_fixed(15000, -2, HE, buf, sizeof buf);
    assert_string_equal(buf, "2");
}

static void format_rates(void **state)
{
    (void)state;
    char buf[AT_MONEY_TEXT_MAX];
    at_rate_format(50000000, buf, sizeof buf);
    assert_string_equal(buf, "0.05");
    at_rate_format(AT_RATE_SCALE, buf, sizeof buf);
    assert_string_equal(buf, "1.0");
    at_rate_format(0, buf, sizeof buf);
    assert_string_equal(buf, "0.0");
    at_rate_format(1, buf, sizeof buf);
    assert_string_equal(buf, "0.000000001");
    at_rate_format(-1250000000, buf, sizeof buf);
    assert_string_equal(buf, "-1.25");
    at_rate_format(INT64_MIN, buf, sizeof buf);
    assert_string_equal(buf, "-9223372036.854775808");
    at_rate_format(INT64_MAX, buf, sizeof buf);
    assert_string_equal(buf, "9223372036.854775807");

    at_rate_format_percent(50000000, 2, buf, sizeof buf);
    assert_string_equal(buf, "5.00%");
    at_rate_format_percent(125000000, 1, buf, sizeof buf);
    assert_string_equal(buf, "12.5%");
    at_rate_format_percent(125000000, 0, buf, sizeof buf); /* 12.5 -> 12 (even) */
    assert_string_equal(buf, "12%");
    at_rate_format_percent(135000000, 0, buf, sizeof buf); /* 13.5 -> 14 (even) */
    assert_string_equal(buf, "14%");
    at_rate_format_percent(1, 7, buf, sizeof buf);
    assert_string_equal(buf, "0.0000001%");
    at_rate_format_percent(-50000000, 0, buf, sizeof buf);
    assert_string_equal(buf, "-5%");
    at_rate_format_percent(50000000, 9, buf, sizeof buf); /* clamped to 7 */
    assert_string_equal(buf, "5.0000000%");
}

/* ---- parsing ------------------------------------------------------------------------------ */

static void parse_good_money(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        at_money want;
    } cases[] = {
        {"12", 120000},
        {"-1234.5", -12345000},
        {"1234.5678", 12345678},
        {"+0.1", 1000},
        {"0", 0},
        {"-0", 0},
        {"-0.0000", 0},
        {"007.50", 75000},
        {"1.23450", 12345},   /* zeros past the 4th decimal lose nothing */
        {"2.500000", 25000},
        {"0000000000000000000000001", 10000},
        {"922337203685477.5807", INT64_MAX},
        {"-922337203685477.5808", INT64_MIN},
        {"0.0001", 1},
        {"-0.0001", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_money got = 42;
        at_error e;
        if (at_money_parse(at_str_from(cases[i].text), &got, &e) != AT_OK)
            fail_msg("'%s': %s", cases[i].text, e.message);
        if (got != cases[i].want)
            fail_msg("'%s': got %lld, want %lld", cases[i].text, (long long)got,
                     (long long)cases[i].want);
    }
}

typedef struct bad_case {
    const char *text;
    at_code code;
    const char *message;
    const char *hint_part;
} bad_case;

static void parse_bad_money(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"", AT_ERR_INVALID, "empty amount", "write a number such as 1234.50"},
        {"-", AT_ERR_INVALID, "amount '-' has a sign but no digits", "e.g. -1234.50"},
        {"+", AT_ERR_INVALID, "amount '+' has a sign but no digits", "digits after the sign"},
        /* decided: "1." and ".5" are refused; a digit on both sides of the point */
        {"1.", AT_ERR_INVALID, "amount '1.' has no digit after the decimal point (character 2)",
         "e.g. 1.0 or 1"},
        {".5", AT_ERR_INVALID, "amount '.5' has no digit before the decimal point (character 1)",
         "e.g. 0.5"},
        {"-.5", AT_ERR_INVALID,
         "amount '-.5' has no digit before the decimal point (character 2)", "e.g. 0.5"},
        {"1e5", AT_ERR_INVALID, "amount '1e5' has an exponent at character 2",
         "100000 instead of 1e5"},
        {"1,000", AT_ERR_INVALID, "amount '1,000' has a ',' at character 2",
         "remove the thousands separator"},
        {"1'000", AT_ERR_INVALID, "amount '1'000' has a ''' at character 2",
         "remove the thousands separator"},
        {"12,50", AT_ERR_INVALID, "amount '12,50' has a ',' at character 3",
         "decimals take a '.'"},
        {" 1", AT_ERR_INVALID, "amount ' 1' has a space at character 1", "remove the spaces"},
        {"1 ", AT_ERR_INVALID, "amount '1 ' has a space at character 2", "remove the spaces"},
        {"--1", AT_ERR_INVALID, "amount '--1' has a misplaced '-' at character 2",
         "one sign at most"},
        {"+-1", AT_ERR_INVALID, "amount '+-1' has a misplaced '-' at character 2",
         "one sign at most"},
        {"1-", AT_ERR_INVALID, "amount '1-' has a misplaced '-' at character 2",
         "in front"},
        {"1.23456", AT_ERR_INVALID, "amount '1.23456' has 5 decimals; an amount holds at most 4",
         "write at most 4 decimals, e.g. 12.3456"},
        {"0.00001", AT_ERR_INVALID, "amount '0.00001' has 5 decimals; an amount holds at most 4",
         "at most 4 decimals"},
        {"1.23450001", AT_ERR_INVALID,
         "amount '1.23450001' has 8 decimals; an amount holds at most 4", "at most 4 decimals"},
        {"1.2.3", AT_ERR_INVALID, "amount '1.2.3' has a second decimal point at character 4",
         "no thousands separators"},
        {"$12", AT_ERR_INVALID, "amount '$12' has an unexpected '$' at character 1",
         "no currency signs"},
        {"12a", AT_ERR_INVALID, "amount '12a' has an unexpected 'a' at character 3",
         "write only digits"},
        {"NaN", AT_ERR_INVALID, "amount 'NaN' has an unexpected 'N' at character 1",
         "write only digits"},
        {"\xe2\x82\xac" "5", AT_ERR_INVALID,
         "amount '\\xE2\\x82\\xAC5' has an unexpected byte 0xE2 at character 1 (a currency sign "
         "or other symbol?)",
         "no currency signs"},
        {"922337203685477.5808", AT_ERR_OVERFLOW,
         "amount '922337203685477.5808' is too large: the largest is 922337203685477.5807",
         "misplaced decimal point"},
        {"-922337203685477.5809", AT_ERR_OVERFLOW,
         "amount '-922337203685477.5809' is too small: the smallest is -922337203685477.5808",
         "misplaced decimal point"},
        {"99999999999999999999999", AT_ERR_OVERFLOW,
         "amount '99999999999999999999999' is too large: the largest is 922337203685477.5807",
         "extra digits"},
        /* 2^124: times 10^4 it is 625 x 2^128, which a 128-bit accumulator would wrap to 0 */
        {"21267647932558653966460912964485513216", AT_ERR_OVERFLOW,
         "amount '21267647932558653966460912964485513216' is too large", "extra digits"},
        {"12345678901234567890123456789012345678901234567890", AT_ERR_OVERFLOW,
         "amount '1234567890123456789012345678901234567890...' is too large", "extra digits"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_money got = 42;
        at_error e;
        at_code c = at_money_parse(at_str_from(cases[i].text), &got, &e);
        if (c != cases[i].code)
            fail_msg("'%s': code %d, want %d", cases[i].text, c, cases[i].code);
        assert_true(got == 42); /* untouched on failure */
        if (!strstr(e.message, cases[i].message))
            fail_msg("'%s': message \"%s\", want \"%s\"", cases[i].text, e.message,
                     cases[i].message);
        if (!strstr(e.hint, cases[i].hint_part))
            fail_msg("'%s': hint \"%s\", want \"%s\"", cases[i].text, e.hint, cases[i].hint_part);
    }
    /* a NUL byte in the middle is a stray byte, not the end */
    at_money got;
    at_error e;
    assert_int_equal(at_money_parse(at_str_make("1\0002", 3), &got, &e), AT_ERR_INVALID);
    assert_contains(e.message, "byte 0x00 at character 2");
    assert_int_equal(at_money_parse(at_str_make(NULL, 0), &got, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "empty amount");
}

static void parse_rounded_money(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        at_rounding mode;
        at_money want;
    } cases[] = {
        {"1.23456", HE, 12346},      /* 1.2345|6: above half */
        {"1.23455", HE, 12346},      /* a tie; 12345 is odd, so up to the even 12346 */
        {"1.23445", HE, 12344},      /* a tie; 12344 is even, stays */
        {"1.234450001", HE, 12345},  /* just above the tie */
        {"1.234549999", HE, 12345},  /* just below the tie */
        {"1.23455", HU, 12346},
        {"1.23455", HD, 12345},
        {"1.23459", DN, 12345},
        {"1.23451", UP, 12346},
        {"1.23450001", UP, 12346},   /* the first dropped digit is 0, a later one is not */
        {"1.23450001", CE, 12346},
        {"1.23450001", HE, 12345},
        {"-1.23455", HE, -12346},
        {"-1.23451", FL, -12346},
        {"-1.23459", CE, -12345},
        {"-1.23459", DN, -12345},
        {"0.00005", HE, 0},
        {"0.00005", HU, 1},
        {"-0.00005", HU, -1},
        {"1.23450000", UP, 12345},   /* zeros are exact: nothing to round */
        {"922337203685477.58074", HE, INT64_MAX},
        {"7", HE, 70000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_money got = 42;
        at_error e;
        if (at_money_parse_rounded(at_str_from(cases[i].text), cases[i].mode, &got, &e) != AT_OK)
            fail_msg("'%s': %s", cases[i].text, e.message);
        if (got != cases[i].want)
            fail_msg("'%s' %s: got %lld, want %lld", cases[i].text,
                     at_rounding_name(cases[i].mode), (long long)got, (long long)cases[i].want);
    }
    at_money got;
    at_error e;
    /* .5807|5 is a tie, 5807 odd: half-even rounds up past the largest amount */
    assert_int_equal(at_money_parse_rounded(AT_STR("922337203685477.58075"), HE, &got, &e),
                     AT_ERR_OVERFLOW);
    assert_int_equal(at_money_parse_rounded(AT_STR("922337203685477.58075"), DN, &got, &e),
                     AT_OK);
    assert_true(got == INT64_MAX);
    assert_int_equal(at_money_parse_rounded(AT_STR("1,5"), HE, &got, &e), AT_ERR_INVALID);
    assert_int_equal(at_money_parse_rounded(AT_STR("1.5"), (at_rounding)12, &got, &e),
                     AT_ERR_INVALID);
    assert_contains(e.hint, "half-even");
}

static void parse_rates(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        at_rate want;
    } good[] = {
        {"0.05", 50000000},
        {"5%", 50000000},
        {"12.5%", 125000000},
        {"-1.25", -1250000000},
        {"100%", 1000000000},
        {"-0.5%", -5000000},
        {"1", 1000000000},
        {"0.000000001", 1},
        {"0.0000001%", 1},
        {"0.0500000000", 50000000},
        {"9223372036.854775807", INT64_MAX},
        {"-9223372036.854775808", INT64_MIN},
        {"922337203685.4775807%", INT64_MAX},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        at_rate got = 42;
        at_error e;
        if (at_rate_parse(at_str_from(good[i].text), &got, &e) != AT_OK)
            fail_msg("'%s': %s", good[i].text, e.message);
        if (got != good[i].want)
            fail_msg("'%s': got %lld, want %lld", good[i].text, (long long)got,
                     (long long)good[i].want);
    }
    static const bad_case bad[] = {
        {"", AT_ERR_INVALID, "empty rate", "0.05"},
        {"%", AT_ERR_INVALID, "rate '%' has no digits before the %", "5% or 0.05"},
        {"5%%", AT_ERR_INVALID, "percentage '5%%' has an unexpected '%' at character 2",
         "write only digits"},
        {"%5", AT_ERR_INVALID, "rate '%5' has an unexpected '%' at character 1",
         "write only digits"},
        {" 5%", AT_ERR_INVALID, "percentage ' 5%' has a space at character 1", "5%"},
        {"0.0000000001", AT_ERR_INVALID, "rate '0.0000000001' has 10 decimals; a rate holds "
                                         "at most 9",
         "at most 9 decimals"},
        {"0.00000001%", AT_ERR_INVALID,
         "percentage '0.00000001%' has 8 decimals; a percentage holds at most 7",
         "at most 7 decimals before the %"},
        {"1e-3", AT_ERR_INVALID, "rate '1e-3' has an exponent at character 2", "1e5"},
        {"9223372036.854775808", AT_ERR_OVERFLOW,
         "rate '9223372036.854775808' is too large: the largest is 9223372036.854775807", ""},
        {"922337203685.4775808%", AT_ERR_OVERFLOW,
         "percentage '922337203685.4775808%' is too large: the largest is "
         "922337203685.4775807%",
         ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        at_rate got = 42;
        at_error e;
        at_code c = at_rate_parse(at_str_from(bad[i].text), &got, &e);
        if (c != bad[i].code)
            fail_msg("'%s': code %d, want %d (%s)", bad[i].text, c, bad[i].code, e.message);
        assert_true(got == 42);
        if (!strstr(e.message, bad[i].message))
            fail_msg("'%s': message \"%s\", want \"%s\"", bad[i].text, e.message,
                     bad[i].message);
        if (!strstr(e.hint, bad[i].hint_part))
            fail_msg("'%s': hint \"%s\", want \"%s\"", bad[i].text, e.hint, bad[i].hint_part);
    }
}

/* A deterministic stream of values (splitmix64) for the round-trip property. */
static uint64_t next_value(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static void parse_format_round_trip(void **state)
{
    (void)state;
    int64_t fixed[] = {INT64_MIN, INT64_MIN + 1, -INT64_C(10000), -1, 0, 1, 9999, 10000, 10001,
                       INT64_MAX - 1, INT64_MAX, INT64_C(1234567890123), -INT64_C(50000)};
    uint64_t seed = 2024;
    char buf[AT_MONEY_TEXT_MAX];
    for (size_t i = 0; i < 200000; i++) {
        int64_t v;
        if (i < sizeof fixed / sizeof fixed[0]) {
            v = fixed[i];
        } else {
            uint64_t x = next_value(&seed);
            /* mix full-range values with small ones and round amounts */
            v = (int64_t)x;
            if (i % 3 == 1)
                v = (int64_t)(x % 2000001) - 1000000;
            else if (i % 3 == 2)
                v = ((int64_t)(x % 2000001) - 1000000) * 100;
        }
        at_money m;
        at_money_format(v, buf, sizeof buf);
        if (at_money_parse(at_str_from(buf), &m, NULL) != AT_OK || m != v)
            fail_msg("money %lld -> '%s' -> %lld", (long long)v, buf, (long long)m);
        at_rate r;
        at_rate_format(v, buf, sizeof buf);
        if (at_rate_parse(at_str_from(buf), &r, NULL) != AT_OK || r != v)
            fail_msg("rate %lld -> '%s' -> %lld", (long long)v, buf, (long long)r);
        at_money_format_fixed(v, 4, HE, buf, sizeof buf);
        if (at_money_parse(at_str_from(buf), &m, NULL) != AT_OK || m != v)
            fail_msg("fixed %lld -> '%s'", (long long)v, buf);
        at_rate_format_percent(v, 7, buf, sizeof buf);
        if (at_rate_parse(at_str_from(buf), &r, NULL) != AT_OK || r != v)
            fail_msg("percent %lld -> '%s'", (long long)v, buf);
    }
}

/* ---- allocation --------------------------------------------------------------------------- */

static void allocate_cases(void **state)
{
    (void)state;
    static const struct {
        at_money total;
        int64_t weights[4];
        size_t n;
        int decimals;
        at_money want[4];
    } cases[] = {
        /* 100.00 in three equal parts: 3 x 33.33 = 99.99; the spare cent goes to the first
         * part (equal remainders: the lower index wins) */
        {1000000, {1, 1, 1}, 3, 2, {333400, 333300, 333300}},
        /* negative totals mirror positive ones */
        {-1000000, {1, 1, 1}, 3, 2, {-333400, -333300, -333300}},
        /* 1:2 -> 33.333.. and 66.666..: remainders 1/3 and 2/3, the cent goes to the second */
        {1000000, {1, 2}, 2, 2, {333300, 666700}},
        /* weight 0 gets nothing; 1.01 / 2 = 0.505 each, the cent to the lower index */
        {10100, {0, 1, 1}, 3, 2, {0, 5100, 5000}},
        /* 0.02 in four: two cents for the first two */
        {200, {1, 1, 1, 1}, 4, 2, {100, 100, 0, 0}},
        /* 0.01 by 1:3: remainders 1/4 and 3/4; the larger remainder beats the lower index */
        {100, {1, 3}, 2, 2, {0, 100}},
        /* the total is rounded first (half-even): 10.005 -> 10.00; 10.015 -> 10.02 */
        {100050, {1, 1}, 2, 2, {50000, 50000}},
        {100150, {1, 1}, 2, 2, {50100, 50100}},
        /* whole units (JPY): 10 in three -> 4, 3, 3 */
        {100000, {1, 1, 1}, 3, 0, {40000, 30000, 30000}},
        /* 4 decimals: 1.0000 in three -> 0.3334, 0.3333, 0.3333 */
        {10000, {1, 1, 1}, 3, 4, {3334, 3333, 3333}},
        /* exact split: no leftover */
        {900, {1, 2}, 2, 2, {300, 600}},
        /* the largest amount in halves: 4611686018427387903.5 each, the odd unit first */
        {INT64_MAX, {1, 1}, 2, 4, {INT64_C(4611686018427387904), INT64_C(4611686018427387903)}},
        {INT64_MIN, {1, 1}, 2, 4, {-INT64_C(4611686018427387904), -INT64_C(4611686018427387904)}},
        /* huge weights: W = 2^64 - 1; 100 cents x (2^63 - 1) / W = 49 rest 2^64 - 51 for
         * each of the first two, 0 rest 100 for the third; two cents left: to the first two */
        {10000, {INT64_MAX, INT64_MAX, 1}, 3, 2, {5000, 5000, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_money parts[4] = {7, 7, 7, 7};
        at_error e;
        if (at_money_allocate(cases[i].total, cases[i].weights, cases[i].n, cases[i].decimals,
                              parts, &e) != AT_OK)
            fail_msg("case %zu: %s", i, e.message);
        for (size_t k = 0; k < cases[i].n; k++)
            if (parts[k] != cases[i].want[k])
                fail_msg("case %zu part %zu: got %lld, want %lld", i, k, (long long)parts[k],
                         (long long)cases[i].want[k]);
    }
}

static void allocate_many_parts_sum_exactly(void **state)
{
    (void)state;
    /* 1000.00 over 7 parts weighted 1..7 (W = 28): shares 35.714285.., 71.428571.., ...;
     * whatever the leftovers, the parts sum to the total */
    int64_t w[7] = {1, 2, 3, 4, 5, 6, 7};
    at_money parts[7];
    assert_int_equal(at_money_allocate(10000000, w, 7, 2, parts, NULL), AT_OK);
    /* floors in cents: 3571, 7142, 10714, 14285, 17857, 21428, 25000 = 99997; remainders
     * (x/28): 12, 24, 8, 20, 4, 16, 0: three cents to parts 2, 4 and 6 (24, 20, 16) */
    at_money want[7] = {357100, 714300, 1071400, 1428600, 1785700, 2142900, 2500000};
    for (int i = 0; i < 7; i++)
        assert_true(parts[i] == want[i]);
}

static void allocate_errors(void **state)
{
    (void)state;
    at_money parts[3];
    at_error e;
    int64_t w[3] = {1, -2, 1};
    assert_int_equal(at_money_allocate(10000, w, 0, 2, parts, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot split 1.00 into no parts");
    assert_int_equal(at_money_allocate(10000, w, 3, 2, parts, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot split 1.00: weight 2 is negative (-2)");
    assert_contains(e.hint, "0 or more");
    int64_t zeros[3] = {0, 0, 0};
    assert_int_equal(at_money_allocate(10000, zeros, 3, 2, parts, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "cannot split 1.00: every weight is 0");
    int64_t ones[3] = {1, 1, 1};
    assert_int_equal(at_money_allocate(10000, ones, 3, 5, parts, &e), AT_ERR_INVALID);
    assert_contains(e.hint, "0 to 4 decimals");
    /* the total itself cannot be rounded to whole units */
    assert_int_equal(at_money_allocate(INT64_MAX, ones, 3, 0, parts, &e), AT_ERR_OVERFLOW);
}

/* Thousands separators for tables people read: whole part grouped by three, sign and decimals
 * kept, cut to fit with the full length returned. */
static void group_digits(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0.00", "0.00"},           {"999.99", "999.99"},
        {"1000", "1,000"},          {"1234567.50", "1,234,567.50"},
        {"-1234567.5", "-1,234,567.5"}, {"+12345", "+12,345"},
        {"-100", "-100"},           {"922337203685477.5807", "922,337,203,685,477.5807"},
        {"100000.0001", "100,000.0001"},
    };
    char out[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = at_money_group_digits(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
    }
    /* cut to fit: "1,234,567" needs 10 bytes; 6 hold "1,234" */
    char small[6];
    assert_int_equal(at_money_group_digits("1234567", small, sizeof small), 9);
    assert_string_equal(small, "1,234");
    assert_int_equal(at_money_group_digits("1234567", NULL, 0), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rounding_table_every_mode),
        cmocka_unit_test(money_round_to_cents_every_mode),
        cmocka_unit_test(money_round_at_the_limits),
        cmocka_unit_test(div_round_i128_limits),
        cmocka_unit_test(rounding_names_and_parse),
        cmocka_unit_test(add_sub_at_the_limits),
        cmocka_unit_test(mul_int_at_the_limits),
        cmocka_unit_test(mul_rate_rounds_once),
        cmocka_unit_test(div_int_and_ratio),
        cmocka_unit_test(rate_mul),
        cmocka_unit_test(format_money),
        cmocka_unit_test(format_money_fixed),
        cmocka_unit_test(format_rates),
        cmocka_unit_test(parse_good_money),
        cmocka_unit_test(parse_bad_money),
        cmocka_unit_test(parse_rounded_money),
        cmocka_unit_test(parse_rates),
        cmocka_unit_test(parse_format_round_trip),
        cmocka_unit_test(allocate_cases),
        cmocka_unit_test(allocate_many_parts_sum_exactly),
        cmocka_unit_test(allocate_errors),
        cmocka_unit_test(group_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
