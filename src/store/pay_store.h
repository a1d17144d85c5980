/* pay_store.h - what the store keeps for pay: plan document versions, calculation runs and
 * their results, closed periods. Only the store speaks SQL; this header speaks plan and
 * engine types (plan/plan.h, calc/calc.h), which are plain data.
 *
 * Tables (schema version 3, added by a migration from version 2):
 *   plan_versions  (id, name, version, effective_from, effective_to, source, sha256,
 *                   loaded_at, loaded_by, reason); UNIQUE(name, version)
 *   calc_runs, calc_measures, calc_lines, calc_payouts, calc_credits, closed_periods,
 *   closed_lines   (see pay_store_*.c)
 * and the entity metrics (metrics.csv: person_id, metric, period, value), imported like the
 * other entities. */
#ifndef ATTAIN_STORE_PAY_STORE_H
#define ATTAIN_STORE_PAY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "store/store.h"

/* ---- plan versions ------------------------------------------------------------------------ */

typedef struct at_store_plan_version {
    int64_t id;
    const char *name;
    int version;              /* 1, 2, ... per name */
    at_day effective_from;    /* AT_DAY_MIN when open */
    at_day effective_to;      /* AT_DAY_MAX when open */
    const char *source;       /* the document as loaded (NULL when not asked for) */
    size_t source_length;
    const char *sha256;       /* of source, lower-case hex */
    at_time loaded_at;
    const char *loaded_by;
    const char *reason;       /* may be NULL */
} at_store_plan_version;

/* Stores a new version of the plan `name` (in its own transaction, audited as an insert of
 * plan_versions with actor and reason). When the latest version has the same sha256 and
 * effective dates nothing is written and *unchanged is true. *version is the version number
 * stored (or the latest, when unchanged). */
at_code at_store_plan_save(at_store *store, const char *name, const char *source,
                           size_t source_length, const char *sha256, at_day effective_from,
                           at_day effective_to, const char *actor, const char *reason,
                           int *version, bool *unchanged, at_error *err);

/* Calls fn for every version (name NULL: of every plan), by name then version. with_source
 * false leaves source NULL. Strings are valid during the call only. */
typedef at_code (*at_store_plan_fn)(void *ctx, const at_store_plan_version *version,
                                    at_error *err);
at_code at_store_plan_each(at_store *store, const char *name, bool with_source,
                           at_store_plan_fn fn, void *ctx, at_error *err);

/* One version (version 0: the latest), with its source, strings in arena. *found false when
 * there is none. */
at_code at_store_plan_get(at_store *store, const char *name, int version, at_arena *arena,
                          at_store_plan_version *out, bool *found, at_error *err);

#endif
