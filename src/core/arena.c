/* arena.c - region allocation (see arena.h). */
#include "core/arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct at_arena_block {
    at_arena_block *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN (alignof(max_align_t))

void at_arena_init(at_arena *arena, size_t block_size)
{
    arena->head = NULL;
    arena->block_size = block_size ? block_size : 64 * 1024;
    arena->allocated = 0;
}

void at_arena_free(at_arena *arena)
{
    at_arena_block *b = arena->head;
    while (b) {
        at_arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena->head = NULL;
    arena->allocated = 0;
}

void at_arena_reset(at_arena *arena)
{
    if (!arena->head)
        return;
    /* keep the oldest block (usually the default size), free the others */
    at_arena_block *b = arena->head, *keep = NULL;
    while (b) {
        at_arena_block *next = b->next;
        if (!next)
            keep = b;
        else
            free(b);
        b = next;
    }
    keep->used = 0;
    keep->next = NULL;
    arena->head = keep;
    arena->allocated = 0;
}

void *at_arena_alloc(at_arena *arena, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    at_arena_block *b = arena->head;
    if (!b || b->size - b->used < rounded) {
        size_t want = arena->block_size > rounded ? arena->block_size : rounded;
        if (want > SIZE_MAX - sizeof(at_arena_block))
            return NULL;
        at_arena_block *nb = malloc(sizeof(at_arena_block) + want);
        if (!nb)
            return NULL;
        nb->size = want;
        nb->used = 0;
        nb->next = b;
        arena->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    arena->allocated += rounded;
    return p;
}

void *at_arena_calloc(at_arena *arena, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = at_arena_alloc(arena, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *at_arena_strndup(at_arena *arena, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = at_arena_alloc(arena, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *at_arena_strdup(at_arena *arena, const char *s)
{
    return at_arena_strndup(arena, s, strlen(s));
}

char *at_arena_printf(at_arena *arena, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return NULL;
    }
    char *p = at_arena_alloc(arena, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

at_arena_mark at_arena_save(const at_arena *arena)
{
    at_arena_mark m = {arena->head, arena->head ? arena->head->used : 0, arena->allocated};
    return m;
}

void at_arena_restore(at_arena *arena, at_arena_mark mark)
{
    while (arena->head && arena->head != mark.block) {
        at_arena_block *next = arena->head->next;
        free(arena->head);
        arena->head = next;
    }
    if (arena->head)
        arena->head->used = mark.used;
    arena->allocated = mark.allocated;
}
