/* str.h - length-carrying strings (views) for parsed input: a pointer and a length, not
 * NUL-terminated, never owning. Parsers hand these out pointing into their buffers. */
#ifndef ATTAIN_CORE_STR_H
#define ATTAIN_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/arena.h"

typedef struct at_str {
    const char *ptr;
    size_t len;
} at_str;

#define AT_STR(literal) ((at_str){(literal), sizeof(literal) - 1})

static inline at_str at_str_from(const char *cstr)
{
    return (at_str){cstr, cstr ? strlen(cstr) : 0};
}

static inline at_str at_str_make(const char *ptr, size_t len)
{
    return (at_str){ptr, len};
}

bool at_str_eq(at_str a, at_str b);
bool at_str_eq_cstr(at_str a, const char *b);
/* ASCII case-insensitive comparison. */
bool at_str_eq_nocase(at_str a, at_str b);
bool at_str_starts_with(at_str s, at_str prefix);
/* Strips ASCII spaces and tabs (not other bytes) from both ends. */
at_str at_str_trim(at_str s);
/* A NUL-terminated copy in the arena; NULL when memory runs out. */
char *at_str_dup(at_arena *arena, at_str s);
/* Copies into buf (size > 0), cutting if needed; always NUL-terminates. Returns buf. */
char *at_str_copy(at_str s, char *buf, size_t size);
/* Writes up to `max` bytes of s into buf for a message for people: printable ASCII as is,
 * control and non-ASCII bytes as \xNN, "..." when cut. Always NUL-terminates (size > 0). */
void at_str_show(const char *p, size_t len, size_t max, char *buf, size_t size);
/* FNV-1a, stable across runs and machines (used for hashing ids, never for security). */
unsigned long long at_str_hash(at_str s);

#endif
