/* fingerprint.h - the input fingerprint of a calculation run: a SHA-256 (hex) over the data
 * and plan versions an at_calc_input holds, independent of the order the rows were imported
 * in, so that two runs over the same data have the same fingerprint.
 *
 * Each row of each table is hashed to 64 bits from its values, with references written as
 * the referenced row's external id (people, products, transactions), never as array indexes;
 * a table is summarised by its row count and the sum, the xor and the sum of squares of its
 * rows' hashes (a multiset digest, so row order does not matter); SHA-256 then runs over those
 * summaries, the fiscal calendar and the plan versions' own SHA-256s. Accounts and
 * territories have no external id in the engine's input: their rows are hashed by what they
 * link (dates, roles, people) and counted. It tells runs apart; it is not a security
 * feature. */
#ifndef ATTAIN_PAY_FINGERPRINT_H
#define ATTAIN_PAY_FINGERPRINT_H

#include "calc/calc.h"
#include "core/error.h"

/* Writes 64 lower-case hex digits and a NUL into hex. */
at_code at_pay_fingerprint(const at_calc_input *input, char hex[65], at_error *err);

#endif
