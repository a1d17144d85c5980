/* test_fx.c - exchange rates: rates in force on boundary days (on the effective day, the day
 * before), inverse rates, same currency, missing rates and their hints, conversion with one
 * rounding to the target's minor units, duplicates and conflicts, and binary search over a
 * larger table. Days: 2024-01-01 is day 19723 (2000-01-01 is 10957, plus 24 x 365 + 6 leap
 * days). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/fx.h"

#define D2023_12_31 19722
#define D2024_01_01 19723
#define D2024_01_15 19737
#define D2024_01_31 19753
#define D2024_02_01 19754
#define D2024_02_29 19782
#define D2024_03_01 19783
#define D2030_01_01 21915 /* 2024..2029: 6 x 365 + 2 leap days after 2024-01-01 */

#define RATE(units, billionths) ((at_rate)(units) * AT_RATE_SCALE + (billionths))

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static void add(at_fx_table *t, const char *from, const char *to, at_day day, at_rate rate)
{
    at_error e;
    if (at_fx_add(t, at_str_from(from), at_str_from(to), day, rate, &e) != AT_OK)
        fail_msg("add %s %s: %s", from, to, e.message);
}

/* The table most tests use, added out of order on purpose. */
static int setup(void **state)
{
    static at_fx_table t;
    at_fx_init(&t);
    add(&t, "USD", "EUR", D2024_03_01, RATE(0, 910000000));  /* 0.91 from 2024-03-01 */
    add(&t, "EUR", "JPY", D2024_01_01, RATE(160, 500000000)); /* 160.5 */
    add(&t, "USD", "CHF", D2024_01_01, RATE(0, 990000000));  /* 0.99 */
    add(&t, "GBP", "USD", D2024_01_01, RATE(1, 270000000));  /* 1.27 */
    add(&t, "EUR", "USD", D2024_02_01, RATE(1, 100000000));  /* 1.10 from 2024-02-01 */
    add(&t, "USD", "BHD", D2024_01_01, RATE(0, 376000000));  /* 0.376 */
    add(&t, "USD", "EUR", D2024_01_01, RATE(0, 920000000));  /* 0.92 from 2024-01-01 */
    add(&t, "USD", "VES", D2024_01_01, RATE(3000000000, 0)); /* absurd, for the inverse */
    at_error e;
    assert_int_equal(at_fx_finish(&t, &e), AT_OK);
    *state = &t;
    return 0;
}

static int teardown(void **state)
{
    at_fx_free(*state);
    return 0;
}

static at_fx_quote quote(const at_fx_table *t, const char *from, const char *to, at_day day)
{
    at_fx_quote q;
    at_error e;
    memset(&q, 0x5a, sizeof q);
    if (at_fx_lookup(t, at_str_from(from), at_str_from(to), day, &q, &e) != AT_OK)
        fail_msg("%s -> %s on %ld: %s", from, to, (long)day, e.message);
    return q;
}

static void rate_in_force_on_boundary_days(void **state)
{
    const at_fx_table *t = *state;
    at_fx_quote q = quote(t, "USD", "EUR", D2024_01_01); /* on the effective day */
    assert_true(q.rate == RATE(0, 920000000));
    assert_int_equal(q.effective, D2024_01_01);
    assert_false(q.inverted);
    assert_false(q.same_currency);
    q = quote(t, "USD", "EUR", D2024_02_29); /* the day before the next rate */
    assert_true(q.rate == RATE(0, 920000000));
    assert_int_equal(q.effective, D2024_01_01);
    q = quote(t, "USD", "EUR", D2024_03_01); /* the next rate's own day */
    assert_true(q.rate == RATE(0, 910000000));
    assert_int_equal(q.effective, D2024_03_01);
    q = quote(t, "USD", "EUR", D2030_01_01); /* long after: still the last one */
    assert_true(q.rate == RATE(0, 910000000));

    /* the day before the first rate: nothing in force, in either direction */
    at_fx_quote none;
    at_error e;
    assert_int_equal(at_fx_lookup(t, AT_STR("USD"), AT_STR("EUR"), D2023_12_31, &none, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "exchange_rates.csv");
    assert_string_equal(e.message,
                        "no USD to EUR exchange rate (nor EUR to USD) is in force on 2023-12-31");
    assert_string_equal(e.hint, "add a rate from USD to EUR effective on or before 2023-12-31 to "
                                "exchange_rates.csv (the first USD to EUR rate takes effect on "
                                "2024-01-01)");
}

static void inverse_when_only_the_reverse_is_in_force(void **state)
{
    const at_fx_table *t = *state;
    /* EUR -> USD has its own rate only from 2024-02-01; before that, 1 / 0.92 =
     * 1.086956521|739.. -> 1.086956522 */
    at_fx_quote q = quote(t, "EUR", "USD", D2024_01_15);
    assert_true(q.rate == RATE(1, 86956522));
    assert_true(q.inverted);
    assert_int_equal(q.effective, D2024_01_01);
    q = quote(t, "EUR", "USD", D2024_01_31);
    assert_true(q.inverted);
    /* from its own effective day the direct rate wins, even after the reverse changes */
    q = quote(t, "EUR", "USD", D2024_02_01);
    assert_true(q.rate == RATE(1, 100000000));
    assert_false(q.inverted);
    q = quote(t, "EUR", "USD", D2024_03_01);
    assert_true(q.rate == RATE(1, 100000000));
    assert_false(q.inverted);
    /* 1 / 1.27 = 0.787401574|803.. -> 0.787401575 */
    q = quote(t, "USD", "GBP", D2024_01_01);
    assert_true(q.rate == RATE(0, 787401575));
    assert_true(q.inverted);
    /* 1 / 160.5 = 0.006230529|595.. -> 0.006230530 */
    q = quote(t, "JPY", "EUR", D2030_01_01);
    assert_true(q.rate == RATE(0, 6230530));
    assert_true(q.inverted);
    /* 1 / 3000000000 = 0.00000000033: rounds to 0 at 9 decimals, refused */
    at_error e;
    assert_int_equal(at_fx_lookup(t, AT_STR("VES"), AT_STR("USD"), D2024_01_01, &q, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.message, "the inverse of the USD to VES rate 3000000000.0 (effective "
                                   "2024-01-01) is too small for 9 decimals");
    assert_string_equal(e.hint, "add a rate from VES to USD to exchange_rates.csv");
}

static void same_currency_is_exactly_one(void **state)
{
    const at_fx_table *t = *state;
    at_fx_quote q = quote(t, "JPY", "JPY", 0);
    assert_true(q.rate == AT_RATE_SCALE);
    assert_true(q.same_currency);
    assert_false(q.inverted);
    assert_int_equal(q.effective, 0);
    /* also with no rows at all */
    at_fx_table empty;
    at_fx_init(&empty);
    assert_int_equal(at_fx_finish(&empty, NULL), AT_OK);
    q = quote(&empty, "EUR", "EUR", D2024_01_01);
    assert_true(q.rate == AT_RATE_SCALE);
    at_error e;
    assert_int_equal(at_fx_lookup(&empty, AT_STR("EUR"), AT_STR("USD"), D2024_01_01, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_fx_lookup(&empty, AT_STR("ABC"), AT_STR("ABC"), D2024_01_01, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "from currency");
    at_fx_free(&empty);
}

static void missing_rates_and_bad_codes(void **state)
{
    const at_fx_table *t = *state;
    at_fx_quote q;
    at_error e;
    /* a pair with no rows at all: no "first rate" in the hint; days far from today */
    assert_int_equal(at_fx_lookup(t, AT_STR("AUD"), AT_STR("NZD"), -1, &q, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message,
                        "no AUD to NZD exchange rate (nor NZD to AUD) is in force on 1969-12-31");
    assert_string_equal(e.hint,
                        "add a rate from AUD to NZD effective on or before 1969-12-31 to "
                        "exchange_rates.csv");
    assert_int_equal(at_fx_lookup(t, AT_STR("AUD"), AT_STR("NZD"), AT_DAY_MIN, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_contains(e.message, "in force on 0001-01-01");
    assert_int_equal(at_fx_lookup(t, AT_STR("AUD"), AT_STR("NZD"), AT_DAY_MAX, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_contains(e.message, "in force on 9999-12-31");
    assert_int_equal(at_fx_lookup(t, AT_STR("EUR"), AT_STR("USD"), D2023_12_31, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_contains(e.hint, "(the first EUR to USD rate takes effect on 2024-02-01)");

    assert_int_equal(at_fx_lookup(t, AT_STR("eur"), AT_STR("USD"), D2024_01_01, &q, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.where, "from currency");
    assert_contains(e.hint, "upper case: EUR");
    assert_int_equal(at_fx_lookup(t, AT_STR("USD"), AT_STR("EU"), D2024_01_01, &q, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.where, "to currency");
    assert_int_equal(at_fx_lookup(t, AT_STR("ABC"), AT_STR("USD"), D2024_01_01, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "from currency");
    assert_string_equal(e.message, "unknown currency code 'ABC'");
    assert_int_equal(at_fx_lookup(t, AT_STR("USD"), AT_STR("HRK"), D2024_01_01, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "to currency");
    assert_contains(e.hint, "use EUR");
}

static at_money convert(const at_fx_table *t, at_money amount, const char *from, const char *to,
                        at_day day, at_rounding mode, at_fx_quote *q)
{
    at_money out = 42;
    at_error e;
    if (at_fx_convert(t, amount, at_str_from(from), at_str_from(to), day, mode, &out, q, &e) !=
        AT_OK)
        fail_msg("convert %s -> %s: %s", from, to, e.message);
    return out;
}

/* Pairs with no rate either way convert through the base currency once one is named:
 * GBP -> CHF on 2024-03-01 = GBP -> USD 1.27 x USD -> CHF 0.99 = 1.2573; EUR -> GBP =
 * EUR -> USD 1.10 x (USD -> GBP = 1 / 1.27 = 0.787401575) = 0.8661417325, a tie, half-even
 * -> 0.866141732. */
static void through_the_base_currency(void **state)
{
    at_fx_table *t = *state;
    at_fx_quote q;
    at_error e;
    /* without a base there is no GBP -> CHF rate */
    assert_int_equal(at_fx_lookup(t, AT_STR("GBP"), AT_STR("CHF"), D2024_03_01, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_fx_set_base(t, AT_STR("USD"), &e), AT_OK);
    q = quote(t, "GBP", "CHF", D2024_03_01);
    assert_true(q.rate == RATE(1, 257300000));
    assert_true(q.via_base);
    assert_false(q.inverted);
    q = quote(t, "EUR", "GBP", D2024_03_01);
    assert_true(q.rate == RATE(0, 866141732));
    assert_true(q.via_base);
    assert_int_equal(q.effective, D2024_02_01); /* the later of the two rates' days */
    /* a pair with its own rate never goes through the base */
    q = quote(t, "USD", "EUR", D2024_03_01);
    assert_false(q.via_base);
    /* converting: 100.00 GBP -> 125.73 CHF */
    at_money out;
    assert_int_equal(at_fx_convert(t, 100 * AT_MONEY_SCALE, AT_STR("GBP"), AT_STR("CHF"),
                                   D2024_03_01, AT_ROUND_HALF_EVEN, &out, NULL, &e),
                     AT_OK);
    assert_true(out == 1257300);
    /* still missing when one leg is missing (no BHD -> GBP leg before 2024) */
    assert_int_equal(at_fx_lookup(t, AT_STR("BHD"), AT_STR("GBP"), D2023_12_31, &q, &e),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_fx_set_base(t, AT_STR("XYZ"), &e), AT_ERR_NOT_FOUND);
    assert_int_equal(at_fx_set_base(t, AT_STR("usd"), &e), AT_ERR_INVALID);
    t->base = 0;
}

static void convert_rounds_once_to_target_minor_units(void **state)
{
    const at_fx_table *t = *state;
    at_fx_quote q;
    /* 100.00 USD x 0.92 = 92.00 EUR */
    assert_true(convert(t, 1000000, "USD", "EUR", D2024_01_15, AT_ROUND_HALF_EVEN, &q) == 920000);
    assert_false(q.inverted);
    /* 1.00 EUR = 160.5 JPY: whole yen, a tie: 160 half-even, 161 half-up; 3.00 EUR = 481.5 */
    assert_true(convert(t, 10000, "EUR", "JPY", D2024_01_01, AT_ROUND_HALF_EVEN, NULL) ==
                1600000);
    assert_true(convert(t, 10000, "EUR", "JPY", D2024_01_01, AT_ROUND_HALF_UP, NULL) == 1610000);
    assert_true(convert(t, 30000, "EUR", "JPY", D2024_01_01, AT_ROUND_HALF_EVEN, NULL) ==
                4820000);
    /* -1.00 EUR = -160.5 JPY */
    assert_true(convert(t, -10000, "EUR", "JPY", D2024_01_01, AT_ROUND_HALF_EVEN, NULL) ==
                -1600000);
    assert_true(convert(t, -10000, "EUR", "JPY", D2024_01_01, AT_ROUND_HALF_UP, NULL) ==
                -1610000);
    assert_true(convert(t, -10000, "EUR", "JPY", D2024_01_01, AT_ROUND_FLOOR, NULL) == -1610000);
    assert_true(convert(t, -10000, "EUR", "JPY", D2024_01_01, AT_ROUND_CEILING, NULL) ==
                -1600000);
    /* 33.33 EUR x 1.086956522 (inverted) = 36.22826087826 -> 36.23 USD */
    assert_true(convert(t, 333300, "EUR", "USD", D2024_01_15, AT_ROUND_HALF_EVEN, &q) == 362300);
    assert_true(q.inverted);
    /* 0.0050 USD x 0.99 = 0.00495 CHF -> 0.00 half-up in one step (rounding to 4 decimals
     * first would give 0.0050 and then 0.01) */
    assert_true(convert(t, 50, "USD", "CHF", D2024_01_01, AT_ROUND_HALF_UP, NULL) == 0);
    /* 12.3456 USD x 0.376 = 4.6419456 BHD -> 4.642 (3 decimals) */
    assert_true(convert(t, 123456, "USD", "BHD", D2024_01_01, AT_ROUND_HALF_EVEN, NULL) ==
                46420);
    /* 1.00 GBP = 1.27 USD */
    assert_true(convert(t, 10000, "GBP", "USD", D2024_01_01, AT_ROUND_HALF_EVEN, NULL) == 12700);
    /* same currency: still rounded to the currency's cents (12.345 -> 12.34) */
    assert_true(convert(t, 123450, "USD", "USD", D2024_01_01, AT_ROUND_HALF_EVEN, &q) == 123400);
    assert_true(q.same_currency);
}

static void convert_errors(void **state)
{
    const at_fx_table *t = *state;
    at_money out = 42;
    at_error e;
    assert_int_equal(at_fx_convert(t, INT64_MAX, AT_STR("EUR"), AT_STR("JPY"), D2024_01_01,
                                   AT_ROUND_HALF_EVEN, &out, NULL, &e),
                     AT_ERR_OVERFLOW);
    assert_string_equal(e.message, "922337203685477.5807 EUR converted to JPY at 160.5 on "
                                   "2024-01-01 does not fit in an amount");
    assert_int_equal(at_fx_convert(t, 10000, AT_STR("EUR"), AT_STR("AUD"), D2024_01_01,
                                   AT_ROUND_HALF_EVEN, &out, NULL, &e),
                     AT_ERR_NOT_FOUND);
    assert_contains(e.hint, "exchange_rates.csv");
    assert_int_equal(at_fx_convert(t, 10000, AT_STR("EUR"), AT_STR("JPY"), D2024_01_01,
                                   (at_rounding)42, &out, NULL, &e),
                     AT_ERR_INVALID);
    assert_true(out == 42);
}

static void add_errors(void **state)
{
    (void)state;
    at_fx_table t;
    at_fx_init(&t);
    at_error e;
    assert_int_equal(at_fx_add(&t, AT_STR("usd"), AT_STR("EUR"), D2024_01_01, RATE(1, 0), &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.where, "from currency");
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("HRK"), D2024_01_01, RATE(1, 0), &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "to currency");
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("EUR"), D2024_01_01, 0, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.message, "USD to EUR rate effective 2024-01-01 is 0.0; it must be above 0");
    assert_contains(e.hint, "e.g. 0.92");
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("EUR"), D2024_01_01, -RATE(1, 0), &e),
                     AT_ERR_INVALID);
    assert_contains(e.message, "is -1.0;");
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("EUR"), AT_DAY_MAX + 1, RATE(1, 0), &e),
                     AT_ERR_INVALID);
    assert_contains(e.hint, "between 0001-01-01 and 9999-12-31");
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("EUR"), AT_DAY_MIN - 1, RATE(1, 0), &e),
                     AT_ERR_INVALID);
    /* a currency to itself: 1 is ignored, anything else refused */
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("USD"), D2024_01_01, RATE(1, 0), &e),
                     AT_OK);
    assert_int_equal(t.count, 0);
    assert_int_equal(at_fx_add(&t, AT_STR("USD"), AT_STR("USD"), D2024_01_01, RATE(2, 0), &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.message, "USD to USD rate effective 2024-01-01 is 2.0, not 1");
    assert_contains(e.hint, "remove this row");
    assert_int_equal(t.count, 0);
    at_fx_free(&t);
}

static void finish_duplicates_and_conflicts(void **state)
{
    (void)state;
    at_fx_table t;
    at_fx_init(&t);
    add(&t, "USD", "EUR", D2024_01_01, RATE(0, 930000000));
    add(&t, "USD", "EUR", D2024_01_01, RATE(0, 920000000));
    add(&t, "USD", "EUR", D2024_02_01, RATE(0, 910000000));
    at_fx_quote q;
    at_error e;
    /* not finished: looking up is a bug in the caller */
    assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), AT_STR("EUR"), D2024_01_01, &q, &e),
                     AT_ERR_INTERNAL);
    assert_int_equal(at_fx_finish(&t, &e), AT_ERR_CONFLICT);
    assert_string_equal(e.where, "exchange_rates.csv");
    assert_string_equal(e.message,
                        "two different USD to EUR rates take effect on 2024-01-01: 0.92 and 0.93");
    assert_contains(e.hint, "keep one USD to EUR rate per effective date");
    at_fx_free(&t);

    /* the very same row twice is harmless and kept once */
    at_fx_init(&t);
    add(&t, "USD", "EUR", D2024_01_01, RATE(0, 920000000));
    add(&t, "USD", "EUR", D2024_02_01, RATE(0, 910000000));
    add(&t, "USD", "EUR", D2024_01_01, RATE(0, 920000000));
    assert_int_equal(at_fx_finish(&t, &e), AT_OK);
    assert_int_equal(t.count, 2);
    assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), AT_STR("EUR"), D2024_01_15, &q, &e), AT_OK);
    assert_true(q.rate == RATE(0, 920000000));
    /* adding after finishing needs another finish */
    add(&t, "USD", "EUR", D2024_03_01, RATE(0, 900000000));
    assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), AT_STR("EUR"), D2024_03_01, &q, &e),
                     AT_ERR_INTERNAL);
    assert_contains(e.hint, "bug in attain");
    assert_int_equal(at_fx_finish(&t, &e), AT_OK);
    assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), AT_STR("EUR"), D2024_03_01, &q, &e), AT_OK);
    assert_true(q.rate == RATE(0, 900000000));
    at_fx_free(&t);
    assert_null(t.rows);
    assert_int_equal(t.count, 0);
}

static void binary_search_over_many_rows(void **state)
{
    (void)state;
    /* 10 pairs USD -> X, each with 100 rates effective on days 0, 10, ..., 990; rate k of
     * pair p is (k + 1) + p / 1000. Added newest first, pairs interleaved. */
    static const char *to[10] = {"AUD", "BRL", "CAD", "CHF", "EUR", "GBP", "INR", "JPY", "MXN",
                                 "ZAR"};
    at_fx_table t;
    at_fx_init(&t);
    for (int k = 99; k >= 0; k--)
        for (int p = 9; p >= 0; p--)
            add(&t, "USD", to[p], 10 * k, RATE(k + 1, 1000000 * p));
    at_error e;
    assert_int_equal(at_fx_finish(&t, &e), AT_OK);
    assert_int_equal(t.count, 1000);
    for (int p = 0; p < 10; p++) {
        at_fx_quote q;
        assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), at_str_from(to[p]), -1, &q, &e),
                         AT_ERR_NOT_FOUND);
        for (at_day d = 0; d <= 1005; d++) {
            int k = d / 10 < 99 ? d / 10 : 99;
            assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), at_str_from(to[p]), d, &q, &e),
                             AT_OK);
            if (q.rate != RATE(k + 1, 1000000 * p) || q.effective != 10 * k || q.inverted)
                fail_msg("USD -> %s on day %d: rate %lld from day %d", to[p], (int)d,
                         (long long)q.rate, (int)q.effective);
        }
    }
    /* a pair sorted between two others, with no rows of its own */
    at_fx_quote q;
    assert_int_equal(at_fx_lookup(&t, AT_STR("USD"), AT_STR("DKK"), 500, &q, &e),
                     AT_ERR_NOT_FOUND);
    at_fx_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rate_in_force_on_boundary_days, setup, teardown),
        cmocka_unit_test_setup_teardown(through_the_base_currency, setup, teardown),
        cmocka_unit_test_setup_teardown(inverse_when_only_the_reverse_is_in_force, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(same_currency_is_exactly_one, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_rates_and_bad_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(convert_rounds_once_to_target_minor_units, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(convert_errors, setup, teardown),
        cmocka_unit_test(add_errors),
        cmocka_unit_test(finish_duplicates_and_conflicts),
        cmocka_unit_test(binary_search_over_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
