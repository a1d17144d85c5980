/* statement_cache.h - rendered statements kept in memory by `attain serve`, keyed by the run
 * they come from, the payee, the month and the format. A stored run never changes (a new
 * calculation is a new run with a new id; closing a month keeps its run), so a statement
 * rendered once from run R is the statement of R until the server stops: the key makes stale
 * entries unreachable, nothing has to be invalidated. (People's names and transactions' ids
 * shown are read when the statement is first rendered.)
 *
 * A fixed table of slots chosen by a hash of the key: a new entry replaces the slot's old one;
 * the bytes held are bounded (entries that would pass the bound are not kept). Thread-safe. */
#ifndef ATTAIN_WEB_STATEMENT_CACHE_H
#define ATTAIN_WEB_STATEMENT_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct at_statement_cache at_statement_cache;

/* slots: how many statements at most; max_bytes: the bytes of all of them at most. */
at_code at_statement_cache_create(size_t slots, size_t max_bytes, at_statement_cache **out,
                                  at_error *err);
void at_statement_cache_free(at_statement_cache *cache);

/* On a hit, *data is a malloc'ed copy (the caller frees it) of *length bytes, and true is
 * returned; false (and *data NULL) on a miss or when out of memory. */
bool at_statement_cache_get(at_statement_cache *cache, int64_t run, const char *payee,
                            const char *month, int format, char **data, size_t *length);
/* Keeps a copy of data (a failed copy is simply not kept). */
void at_statement_cache_put(at_statement_cache *cache, int64_t run, const char *payee,
                            const char *month, int format, const char *data, size_t length);

/* Hits and misses so far (for the server's log and tests). */
void at_statement_cache_counts(at_statement_cache *cache, uint64_t *hits, uint64_t *misses);

#endif
