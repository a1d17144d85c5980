/* fx.h - exchange rates: a table of (from, to, effective day, rate) rows, built once and then
 * read many times, and converting money between currencies on a given day.
 *
 * A rate says how many units of `to` one unit of `from` buys: USD -> EUR 0.92 means
 * 1 USD = 0.92 EUR. A rate is in force from its effective day until the next effective day
 * of the same pair. Looking up a pair on a day finds the latest effective day <= that day.
 * If the pair has no rate in force but the reverse pair has, the rate is 1 / reverse,
 * rounded half-even to 9 decimals, and the quote says it was inverted. The same currency on
 * both sides converts at exactly 1.
 *
 * Life cycle: at_fx_init, at_fx_add for every row, at_fx_finish once (sorts, checks for
 * conflicting duplicates), then any number of lookups, from any number of threads. Adding
 * after finishing is allowed but requires finishing again before the next lookup. */
#ifndef ATTAIN_CORE_FX_H
#define ATTAIN_CORE_FX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/currency.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "core/str.h"

/* The file exchange rates are imported from; named in the hints of missing-rate errors. */
#define AT_FX_FILE "exchange_rates.csv"

typedef struct at_fx_row {
    uint32_t from, to; /* the codes packed as 'U'<<16 | 'S'<<8 | 'D' */
    at_day effective;
    at_rate rate;      /* > 0 */
} at_fx_row;

typedef struct at_fx_table {
    at_fx_row *rows;
    size_t count;
    size_t capacity;
    bool finished; /* sorted and checked since the last add */
    uint32_t base; /* the company's base currency (packed), 0 when not set: see at_fx_set_base */
} at_fx_table;

/* A looked-up rate. */
typedef struct at_fx_quote {
    at_rate rate;      /* to-units per from-unit, at 1e-9 */
    at_day effective;  /* the effective day of the row used (the day itself for same currency) */
    bool inverted;     /* true: only the reverse pair had a rate; rate = 1 / that rate, rounded
                          half-even to 9 decimals */
    bool same_currency; /* true: from == to, rate exactly 1 */
    bool via_base;      /* true: neither the pair nor its reverse has a rate; the rate is
                           from -> base x base -> to (each direct or inverted), rounded
                           half-even to 9 decimals; effective is the later of the two days */
} at_fx_quote;

void at_fx_init(at_fx_table *table);
void at_fx_free(at_fx_table *table);

/* Adds a row. Both codes must be active ISO 4217 codes (at_currency_lookup's errors), the
 * rate above zero, the day within AT_DAY_MIN..AT_DAY_MAX. A row from a currency to itself is
 * accepted and ignored when its rate is exactly 1, and refused otherwise. */
at_code at_fx_add(at_fx_table *table, at_str from, at_str to, at_day effective, at_rate rate,
                  at_error *err);

/* Names the company's base currency (settings base_currency): a pair with no rate of its own,
 * in either direction, then converts through it (EUR -> GBP as EUR -> USD -> GBP), as finance
 * does with rates quoted against one currency. Errors as at_fx_lookup's for a bad code
 * (AT_ERR_INVALID malformed, AT_ERR_NOT_FOUND not an active ISO 4217 code). */
at_code at_fx_set_base(at_fx_table *table, at_str base, at_error *err);

/* Sorts the rows by (from, to, effective day) and drops exact duplicates. Two different rates
 * for the same pair and day are AT_ERR_CONFLICT (the result would depend on the order of
 * the rows otherwise). */
at_code at_fx_finish(at_fx_table *table, at_error *err);

/* The rate from -> to in force on day: the pair's, else 1 / the reverse pair's, else through
 * the base currency when one is set (at_fx_set_base). AT_ERR_NOT_FOUND, with a hint naming
 * exchange_rates.csv, the pair and the day, when none of those has a rate in force; AT_ERR_INVALID for malformed codes; AT_ERR_INTERNAL when the table was changed
 * and not finished. Binary search: O(log rows). */
at_code at_fx_lookup(const at_fx_table *table, at_str from, at_str to, at_day day,
                     at_fx_quote *out, at_error *err);

/* Converts amount in `from` to `to` at the rate in force on day, rounding once, with mode,
 * to the minor units of `to` (2 decimals for EUR, 0 for JPY). quote may be NULL. */
at_code at_fx_convert(const at_fx_table *table, at_money amount, at_str from, at_str to,
                      at_day day, at_rounding mode, at_money *out, at_fx_quote *quote,
                      at_error *err);

#endif
