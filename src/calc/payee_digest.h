/* payee_digest.h - what one payee's results depend on, as a digest: the ground of incremental
 * runs (`attain calc --incremental`, pay/run.h).
 *
 * The engine computes each payee from the credit table and from a few input arrays of that
 * payee only (calc/payee.c and the files it calls), plus a few things every payee reads. So:
 *  - the global digest covers what every payee reads: the fiscal calendar (every period of
 *    the table), the months computed, the closed months, the exchange rates (and the base
 *    currency), whether explanations are kept, the digest format, the program version and
 *    the executable's build id (the linker's hash of the code: any other build of attain,
 *    whose engine may compute differently, recomputes everyone);
 *  - a payee's digest covers what that payee's calculation reads: the person (external and
 *    internal id, hire, exit, pay currency), their plan assignments (id, internal id, plan,
 *    days, target incentive and its currency) each with every version of the plan it names
 *    (version, SHA-256 of the document, effective dates), their quotas, metrics, activities,
 *    leaves, the lines their closed months locked, their manual lines (approved adjustments,
 *    with the explanation), the draw balance they start with, and their credits in the
 *    table's order with every column (the seller of a roll-up by external and internal id)
 *    and, for each credit, the transaction it comes from (external and internal id, type,
 *    date, amount, currency, margin, quantity, product and its family) and that
 *    transaction's original when it is a cancellation (the same columns).
 * Two inputs whose global digests are equal and in which a payee's digests are equal give
 * that payee the same results, bit for bit, and the same rows when stored (internal ids are
 * hashed because stored results name people, assignments and transactions by them). What a
 * payee does not read is left out on purpose: a change of another person's owner, account,
 * reporting line or territory reaches a payee only through the credits it makes, so only the
 * payees whose credits change are touched (the seller, split partners, overlays, and the
 * managers a credit rolls up to).
 *
 * Rows that have no order of their own (quotas, metrics, activities, ...) are hashed one by
 * one and their hashes sorted, so the digests never depend on the order rows were imported
 * in; credits come in the credit table's total order. The digest is BLAKE2b-256 (libsodium)
 * over the sections; rows are first reduced to 64-bit hashes (a strong mix of every field).
 * Pure C over the arrays: no SQL. */
#ifndef ATTAIN_CALC_PAYEE_DIGEST_H
#define ATTAIN_CALC_PAYEE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calc/calc.h"

#define AT_CALC_DIGEST_SIZE 32
/* Bumped whenever what the digests cover changes: older digests then never match. */
#define AT_CALC_DIGEST_FORMAT 1

typedef struct at_calc_digest {
    uint8_t bytes[AT_CALC_DIGEST_SIZE];
} at_calc_digest;

/* The internal ids behind the input's dense indexes (at_store_calc_data's maps); a NULL array
 * leaves those ids out (engine tests without a store). */
typedef struct at_calc_digest_ids {
    const int64_t *people;        /* of input->people[i] */
    const int64_t *transactions;  /* of input->transactions row i */
    const int64_t *assignments;   /* of input->assignments[i] */
} at_calc_digest_ids;

/* What every payee depends on (see above). explanations: at_calc_options.keep_explanations. */
at_code at_calc_global_digest(const at_calc_input *input, bool explanations,
                              at_calc_digest *out, at_error *err);

/* The digests of the people given (dense indexes; NULL: everyone, count = person_count) into
 * out[i] for people[i], on `threads` threads (< 2: one; the digests are the same whatever the
 * number). credits is the credit table of the input (at_calc_run_credits, or a run's: a table
 * for some payees only must hold at least the people asked for). ids may be NULL.
 * AT_ERR_INVALID for an index out of range, AT_ERR_NOMEM. */
at_code at_calc_payee_digests(const at_calc_input *input, const at_calc_credits *credits,
                              const at_calc_digest_ids *ids, const int32_t *people,
                              size_t count, int threads, at_calc_digest *out, at_error *err);

/* Lower-case hex of a digest (65 bytes with the NUL). */
void at_calc_digest_hex(const at_calc_digest *digest, char hex[2 * AT_CALC_DIGEST_SIZE + 1]);

#endif
