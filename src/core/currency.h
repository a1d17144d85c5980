/* currency.h - the ISO 4217 currencies: the active codes with their minor units and names,
 * lookup by code, and rounding an amount to a currency's minor units (cents, fils, none).
 *
 * The table is compiled in (typed from ISO 4217 list one, not read at run time) and sorted by
 * code. Codes are exactly three upper-case ASCII letters; lookup is case-sensitive, and an
 * error for "usd" suggests "USD". Withdrawn codes (HRK, VEF, DEM, ...) are not accepted; their
 * error names the code that replaced them. */
#ifndef ATTAIN_CORE_CURRENCY_H
#define ATTAIN_CORE_CURRENCY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/money.h"
#include "core/str.h"

/* minor_units of the codes ISO lists as "N.A." (gold XAU, SDR XDR, test XTS, none XXX):
 * amounts in them keep the full 4 decimals of at_money. */
#define AT_CURRENCY_NO_MINOR_UNITS (-1)

typedef struct at_currency {
    char code[4];       /* "USD" + NUL */
    int8_t minor_units; /* decimals of the minor unit: USD 2, JPY 0, BHD 3, CLF 4; or -1 */
    const char *name;   /* ISO's English name: "US Dollar" */
} at_currency;

/* The active currency with this code, or NULL. Binary search; no error text. */
const at_currency *at_currency_find(at_str code);

/* The same, with an error for people when there is none: empty, wrong length, lower case
 * (the hint gives the upper-case form), a withdrawn code (the hint names its successor) or
 * a code ISO does not list. AT_ERR_INVALID for malformed codes, AT_ERR_NOT_FOUND for
 * well-formed codes that are not active. */
at_code at_currency_lookup(at_str code, const at_currency **out, at_error *err);

/* The whole table, sorted by code. */
size_t at_currency_count(void);
const at_currency *at_currency_at(size_t index); /* NULL past the end */

/* Decimals an amount in this currency is rounded to: minor_units, or AT_MONEY_DECIMALS (4)
 * for the codes without minor units. */
int at_currency_decimals(const at_currency *currency);

/* Rounds amount to the currency's minor units with mode: 12.345 USD half-even -> 12.34,
 * 1234.5 JPY -> 1234. Fails only when rounding up passes the largest amount. */
at_code at_currency_round(at_money amount, const at_currency *currency, at_rounding mode,
                          at_money *out, at_error *err);

#endif
