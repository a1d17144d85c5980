/* fuzz_money.c - libFuzzer target for money and rate text: whatever at_money_parse or
 * at_rate_parse accepts must format and parse back to the same value; the rounded parse must
 * agree with the strict one where both succeed, and stay within one unit of it across modes;
 * every failure must carry a message. Any disagreement aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_money_round_trip(at_money v)
{
    char buf[AT_MONEY_TEXT_MAX];
    size_t n = at_money_format(v, buf, sizeof buf);
    if (n >= sizeof buf)
        abort();
    at_money back;
    if (at_money_parse(at_str_make(buf, n), &back, NULL) != AT_OK || back != v)
        abort();
    n = at_money_format_fixed(v, AT_MONEY_DECIMALS, AT_ROUND_HALF_EVEN, buf, sizeof buf);
    if (n >= sizeof buf || at_money_parse(at_str_make(buf, n), &back, NULL) != AT_OK || back != v)
        abort();
}

static void check_rate_round_trip(at_rate v)
{
    char buf[AT_MONEY_TEXT_MAX];
    size_t n = at_rate_format(v, buf, sizeof buf);
    if (n >= sizeof buf)
        abort();
    at_rate back;
    if (at_rate_parse(at_str_make(buf, n), &back, NULL) != AT_OK || back != v)
        abort();
    n = at_rate_format_percent(v, AT_RATE_DECIMALS - 2, buf, sizeof buf);
    if (n >= sizeof buf || at_rate_parse(at_str_make(buf, n), &back, NULL) != AT_OK || back != v)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    at_str text = at_str_make((const char *)data, size);
    at_error err;

    at_money strict;
    at_code c = at_money_parse(text, &strict, &err);
    if (c == AT_OK)
        check_money_round_trip(strict);
    else if (err.message[0] == '\0' || err.code != c)
        abort();

    at_money down = 0, up = 0;
    bool have_down = false, have_up = false;
    for (int m = AT_ROUND_HALF_EVEN; m <= AT_ROUND_CEILING; m++) {
        at_money v;
        at_code rc = at_money_parse_rounded(text, (at_rounding)m, &v, &err);
        if (rc != AT_OK) {
            if (err.message[0] == '\0')
                abort();
            if (c == AT_OK) /* strict success means every mode succeeds */
                abort();
            continue;
        }
        check_money_round_trip(v);
        if (c == AT_OK && v != strict)
            abort();
        if (m == AT_ROUND_FLOOR) {
            down = v;
            have_down = true;
        }
        if (m == AT_ROUND_CEILING) {
            up = v;
            have_up = true;
        }
    }
    /* floor and ceiling of the same text are equal or one unit apart */
    if (have_down && have_up && (up < down || (up - down) > 1))
        abort();

    at_rate rate;
    c = at_rate_parse(text, &rate, &err);
    if (c == AT_OK)
        check_rate_round_trip(rate);
    else if (err.message[0] == '\0' || err.code != c)
        abort();
    return 0;
}
