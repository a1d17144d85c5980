/* idmap.h - the importer's hash map from a key (an external id such as "P-0999", or a natural
 * key joined with \x1f) to what the import knows about that row: its internal id in the store,
 * whether this import has it and where it came from (for "duplicate key" messages), a hash of
 * its values (to drop identical rows of distinct feeds) and one number a check may keep.
 * Open addressing over an array of entries; keys are copied into an arena. An entry is 48
 * bytes: with the slots (8 bytes, 2 to 4 per key) and the key's copy that is 80-100 bytes a
 * key, the bulk of an import's memory (the transactions of a month at size L: 100M keys). */
#ifndef ATTAIN_IMPORT_IDMAP_H
#define ATTAIN_IMPORT_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

#define AT_IDMAP_BROKEN INT64_C(-1) /* a row of this import that failed: refer to it silently */

typedef struct at_idmap_entry {
    const char *key;    /* NUL-terminated copy */
    uint32_t len;
    uint32_t hash;
    int64_t id;         /* > 0: stored; 0: not stored yet; AT_IDMAP_BROKEN */
    uint64_t row_hash;  /* rows of this import: a hash of the row's texts */
    int64_t aux;        /* for checks (e.g. a transaction's amount) */
    uint32_t line;      /* rows of this import: the line (or mapping line) it came from */
    uint16_t source;    /* rows of this import: the importer's index of the file */
    bool in_import;     /* the row is in this import */
    bool deferred;      /* waiting for a reference to a later row of the same entity */
} at_idmap_entry;

typedef struct at_idmap {
    uint64_t *slots;    /* hash << 32 | (entry index + 1); 0 = empty */
    size_t slot_count;  /* a power of two */
    at_idmap_entry *entries;
    size_t count, capacity;
    at_arena keys;
} at_idmap;

void at_idmap_init(at_idmap *map);
/* Makes room for n keys in all (a hint: saves growing step by step). */
at_code at_idmap_reserve(at_idmap *map, size_t n, at_error *err);
void at_idmap_free(at_idmap *map);
/* The entry with this key, or NULL. Valid until the next at_idmap_put. */
at_idmap_entry *at_idmap_find(const at_idmap *map, at_str key);
/* The key's hash, for the _hashed calls; also asks the CPU to start fetching the key's slot,
 * so that several lookups of one row overlap their cache misses. */
uint32_t at_idmap_prefetch(const at_idmap *map, at_str key);
/* Once the slot is likely in cache: starts fetching the entry the slot points at. */
void at_idmap_prefetch_entry(const at_idmap *map, uint32_t hash);
/* at_idmap_find with the hash from at_idmap_prefetch. */
at_idmap_entry *at_idmap_find_hashed(const at_idmap *map, at_str key, uint32_t hash);
/* The entry with this key, created (zeroed but for the key) when missing; *created says which.
 * AT_ERR_NOMEM, or AT_ERR_OVERFLOW past 4 billion keys. */
at_code at_idmap_put(at_idmap *map, at_str key, at_idmap_entry **out, bool *created,
                     at_error *err);

#endif
