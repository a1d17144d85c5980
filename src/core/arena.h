/* arena.h - region allocation for a run or a request: many small allocations, freed at once.
 *
 * Memory comes from a chain of blocks; at_arena_alloc never frees, at_arena_reset keeps the
 * first block for reuse, at_arena_free returns everything. Marks let a caller roll back the
 * allocations made since the mark (e.g. a CSV row that failed validation). Not thread-safe:
 * one arena per thread. */
#ifndef ATTAIN_CORE_ARENA_H
#define ATTAIN_CORE_ARENA_H

#include <stddef.h>

typedef struct at_arena_block at_arena_block;

typedef struct at_arena {
    at_arena_block *head;  /* the block being filled; older blocks follow */
    size_t block_size;     /* default size of a new block */
    size_t allocated;      /* bytes handed out since creation or reset */
} at_arena;

typedef struct at_arena_mark {
    at_arena_block *block;
    size_t used;
    size_t allocated;
} at_arena_mark;

/* block_size 0 means 64 KiB. Allocates nothing until the first use. */
void at_arena_init(at_arena *arena, size_t block_size);
void at_arena_free(at_arena *arena);
void at_arena_reset(at_arena *arena);

/* Aligned to max_align_t. Returns NULL when memory runs out or size overflows. */
void *at_arena_alloc(at_arena *arena, size_t size);
void *at_arena_calloc(at_arena *arena, size_t count, size_t size);
char *at_arena_strndup(at_arena *arena, const char *s, size_t len);
char *at_arena_strdup(at_arena *arena, const char *s);
char *at_arena_printf(at_arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

at_arena_mark at_arena_save(const at_arena *arena);
void at_arena_restore(at_arena *arena, at_arena_mark mark);

#endif
