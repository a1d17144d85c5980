/* test_currency.c - the ISO 4217 table: spot checks of minor units and names, the table's
 * order and shape, lookup errors (lower case, wrong length, withdrawn and unknown codes), and
 * rounding to a currency's minor units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/currency.h"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static void spot_checks(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int minor;
        const char *name;
    } cases[] = {
        {"JPY", 0, "Yen"},
        {"USD", 2, "US Dollar"},
        {"EUR", 2, "Euro"},
        {"GBP", 2, "Pound Sterling"},
        {"BHD", 3, "Bahraini Dinar"},
        {"KWD", 3, "Kuwaiti Dinar"},
        {"TND", 3, "Tunisian Dinar"},
        {"CLF", 4, "Unidad de Fomento"},
        {"UYW", 4, "Unidad Previsional"},
        {"CLP", 0, "Chilean Peso"},
        {"ISK", 0, "Iceland Krona"},
        {"KRW", 0, "Won"},
        {"XOF", 0, "CFA Franc BCEAO"},
        {"CHF", 2, "Swiss Franc"},
        {"AED", 2, "UAE Dirham"},  /* the first code */
        {"ZWG", 2, "Zimbabwe Gold"}, /* the last code */
        {"XCG", 2, "Caribbean Guilder"},
        {"XAU", AT_CURRENCY_NO_MINOR_UNITS, "Gold"},
        {"XXX", AT_CURRENCY_NO_MINOR_UNITS,
         "The codes assigned for transactions where no currency is involved"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const at_currency *c = NULL;
        at_error e;
        if (at_currency_lookup(at_str_from(cases[i].code), &c, &e) != AT_OK)
            fail_msg("%s: %s", cases[i].code, e.message);
        assert_string_equal(c->code, cases[i].code);
        assert_int_equal(c->minor_units, cases[i].minor);
        assert_string_equal(c->name, cases[i].name);
        assert_ptr_equal(at_currency_find(at_str_from(cases[i].code)), c);
    }
    assert_int_equal(at_currency_decimals(at_currency_find(AT_STR("JPY"))), 0);
    assert_int_equal(at_currency_decimals(at_currency_find(AT_STR("BHD"))), 3);
    assert_int_equal(at_currency_decimals(at_currency_find(AT_STR("XAU"))), 4);
}

static void table_is_sorted_and_well_formed(void **state)
{
    (void)state;
    /* 180 active codes as typed in (ISO 4217 list one: 167 currencies and funds with minor
     * units, 13 without: metals, bond units, SDR, XSU, XUA, XTS, XXX) */
    assert_int_equal(at_currency_count(), 180);
    size_t without = 0;
    for (size_t i = 0; i < at_currency_count(); i++) {
        const at_currency *c = at_currency_at(i);
        assert_non_null(c);
        assert_int_equal(strlen(c->code), 3);
        for (int k = 0; k < 3; k++)
            assert_true(c->code[k] >= 'A' && c->code[k] <= 'Z');
        assert_true(c->minor_units == -1 || c->minor_units == 0 || c->minor_units == 2 ||
                    c->minor_units == 3 || c->minor_units == 4);
        if (c->minor_units == -1) {
            without++;
            assert_true(c->code[0] == 'X'); /* only the X.. codes lack minor units */
        }
        assert_true(c->name && c->name[0]);
        if (i > 0 && strcmp(at_currency_at(i - 1)->code, c->code) >= 0)
            fail_msg("table out of order at %s, %s", at_currency_at(i - 1)->code, c->code);
        assert_ptr_equal(at_currency_find(at_str_from(c->code)), c); /* binary search finds all */
    }
    assert_int_equal(without, 13);
    assert_null(at_currency_at(at_currency_count()));
}

static void lookup_errors(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        at_code rc;
        const char *message;
        const char *hint_part;
    } cases[] = {
        {"", AT_ERR_INVALID, "empty currency code", "such as USD"},
        {"usd", AT_ERR_INVALID, "currency code 'usd' is not upper case",
         "write currency codes in upper case: USD"},
        {"Eur", AT_ERR_INVALID, "currency code 'Eur' is not upper case", "upper case: EUR"},
        {"abc", AT_ERR_INVALID, "currency code 'abc' is not upper case",
         "ABC is not an active ISO 4217 code either"},
        {"US", AT_ERR_INVALID, "currency code 'US' is not three letters", "three-letter"},
        {"USDT", AT_ERR_INVALID, "currency code 'USDT' is not three letters", "e.g. USD"},
        {"US$", AT_ERR_INVALID, "currency code 'US$' is not three letters", "no symbols"},
        {" USD", AT_ERR_INVALID, "currency code ' USD' is not three letters", "spaces"},
        {"HRK", AT_ERR_NOT_FOUND,
         "currency code 'HRK' is not an active ISO 4217 code: it was replaced by the euro",
         "use EUR (Euro)"},
        {"VEF", AT_ERR_NOT_FOUND, "it was redenominated", "use VES"},
        {"ANG", AT_ERR_NOT_FOUND, "Caribbean guilder", "use XCG"},
        {"RMB", AT_ERR_NOT_FOUND, "common abbreviation", "use CNY (Yuan Renminbi)"},
        {"ABC", AT_ERR_NOT_FOUND, "unknown currency code 'ABC'", "USD, EUR, GBP or JPY"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const at_currency *c = NULL;
        at_error e;
        at_code rc = at_currency_lookup(at_str_from(cases[i].code), &c, &e);
        if (rc != cases[i].rc)
            fail_msg("'%s': code %d, want %d", cases[i].code, rc, cases[i].rc);
        assert_null(c);
        assert_contains(e.message, cases[i].message);
        assert_contains(e.hint, cases[i].hint_part);
        assert_null(at_currency_find(at_str_from(cases[i].code)));
    }
    const at_currency *c = NULL;
    at_error e;
    assert_int_equal(at_currency_lookup(at_str_make("U\001D", 3), &c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "currency code 'U?D' is not three letters");
    assert_int_equal(at_currency_lookup(at_str_make(NULL, 0), &c, &e), AT_ERR_INVALID);
    assert_null(at_currency_find(at_str_make(NULL, 3)));
}

static void rounds_to_minor_units(void **state)
{
    (void)state;
    const at_currency *usd = at_currency_find(AT_STR("USD"));
    const at_currency *jpy = at_currency_find(AT_STR("JPY"));
    const at_currency *bhd = at_currency_find(AT_STR("BHD"));
    const at_currency *clf = at_currency_find(AT_STR("CLF"));
    const at_currency *xau = at_currency_find(AT_STR("XAU"));
    const at_currency *kwd = at_currency_find(AT_STR("KWD"));
    at_money got;
    at_error e;
    /* 12.345 USD: a tie, even 12.34; 12.355: even 12.36 */
    assert_int_equal(at_currency_round(123450, usd, AT_ROUND_HALF_EVEN, &got, &e), AT_OK);
    assert_true(got == 123400);
    assert_int_equal(at_currency_round(123550, usd, AT_ROUND_HALF_EVEN, &got, &e), AT_OK);
    assert_true(got == 123600);
    assert_int_equal(at_currency_round(123450, usd, AT_ROUND_HALF_UP, &got, &e), AT_OK);
    assert_true(got == 123500);
    /* 1234.5 JPY -> 1234 (even); 1235.5 -> 1236 */
    assert_int_equal(at_currency_round(12345000, jpy, AT_ROUND_HALF_EVEN, &got, &e), AT_OK);
    assert_true(got == 12340000);
    assert_int_equal(at_currency_round(12355000, jpy, AT_ROUND_HALF_EVEN, &got, &e), AT_OK);
    assert_true(got == 12360000);
    /* -0.4 JPY: floor -1, ceiling 0 */
    assert_int_equal(at_currency_round(-4000, jpy, AT_ROUND_FLOOR, &got, &e), AT_OK);
    assert_true(got == -10000);
    assert_int_equal(at_currency_round(-4000, jpy, AT_ROUND_CEILING, &got, &e), AT_OK);
    assert_true(got == 0);
    /* 1.2345 BHD -> 1.234 (a tie, even) */
    assert_int_equal(at_currency_round(12345, bhd, AT_ROUND_HALF_EVEN, &got, &e), AT_OK);
    assert_true(got == 12340);
    /* 0.0005 KWD half-up -> 0.001 */
    assert_int_equal(at_currency_round(5, kwd, AT_ROUND_HALF_UP, &got, &e), AT_OK);
    assert_true(got == 10);
    /* 4 decimals and no minor units: unchanged */
    assert_int_equal(at_currency_round(12345, clf, AT_ROUND_UP, &got, &e), AT_OK);
    assert_true(got == 12345);
    assert_int_equal(at_currency_round(-12345, xau, AT_ROUND_UP, &got, &e), AT_OK);
    assert_true(got == -12345);
    /* the largest amount rounded to whole yen: 922337203685478 does not fit */
    assert_int_equal(at_currency_round(INT64_MAX, jpy, AT_ROUND_HALF_EVEN, &got, &e),
                     AT_ERR_OVERFLOW);
    assert_string_equal(e.where, "currency JPY");
    assert_contains(e.message, "922337203685477.5807 rounded to 0 decimals");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spot_checks),
        cmocka_unit_test(table_is_sorted_and_well_formed),
        cmocka_unit_test(lookup_errors),
        cmocka_unit_test(rounds_to_minor_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
