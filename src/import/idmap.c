/* idmap.c - the importer's key -> row facts hash map (see idmap.h): linear probing over a
 * power-of-two slot array holding each entry's hash and index, grown at 50% load. */
#define _GNU_SOURCE /* mremap: a big table grows without a second copy of it */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "import/idmap.h"

/* Big tables (millions of keys) come straight from mmap with transparent huge pages asked
 * for: touching their memory for the first time then costs one page fault per 2 MiB instead
 * of one per 4 KiB, which was a fifth of a large import's time. Small ones use calloc. */
#define BIG_TABLE ((size_t)4 << 20)

static void *table_alloc(size_t size)
{
    if (size < BIG_TABLE)
        return calloc(1, size);
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE);
#endif
    return p; /* zero-filled */
}

static void table_free(void *p, size_t size)
{
    if (!p)
        return;
    if (size < BIG_TABLE)
        free(p);
    else
        munmap(p, size);
}

_Static_assert(sizeof(at_idmap_entry) == 48, "an entry is 48 bytes: the bulk of an import's memory");

void at_idmap_init(at_idmap *map)
{
    memset(map, 0, sizeof *map);
    at_arena_init(&map->keys, (size_t)1 << 20);
}

void at_idmap_free(at_idmap *map)
{
    table_free(map->slots, map->slot_count * sizeof *map->slots);
    table_free(map->entries, map->capacity * sizeof *map->entries);
    at_arena_free(&map->keys);
    memset(map, 0, sizeof *map);
}

/* 8 bytes at a time, then a full avalanche so that the low bits (the slot) depend on every
 * byte: ids such as A0006909 and A0006910 differ only at the end. */
static uint32_t hash_of(at_str key)
{
    const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t h = k ^ (uint64_t)key.len;
    size_t i = 0;
    for (; i + 8 <= key.len; i += 8) {
        uint64_t w;
        memcpy(&w, key.ptr + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    if (i < key.len) {
        uint64_t w = 0;
        memcpy(&w, key.ptr + i, key.len - i);
        h = (h ^ w) * k;
    }
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return (uint32_t)h;
}

static bool same_key(const at_idmap_entry *e, at_str key)
{
    return e->len == key.len && (key.len == 0 || memcmp(e->key, key.ptr, key.len) == 0);
}

uint32_t at_idmap_prefetch(const at_idmap *map, at_str key)
{
    uint32_t h = hash_of(key);
    if (map->slot_count)
        __builtin_prefetch(&map->slots[h & (map->slot_count - 1)]);
    return h;
}

void at_idmap_prefetch_entry(const at_idmap *map, uint32_t hash)
{
    if (!map->slot_count)
        return;
    uint64_t s = map->slots[hash & (map->slot_count - 1)];
    if (s && (uint32_t)(s >> 32) == hash)
        __builtin_prefetch(&map->entries[(uint32_t)s - 1]);
}

at_idmap_entry *at_idmap_find(const at_idmap *map, at_str key)
{
    return map->slot_count ? at_idmap_find_hashed(map, key, hash_of(key)) : NULL;
}

at_idmap_entry *at_idmap_find_hashed(const at_idmap *map, at_str key, uint32_t h)
{
    if (!map->slot_count)
        return NULL;
    size_t mask = map->slot_count - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t s = map->slots[i];
        if (!s)
            return NULL;
        if ((uint32_t)(s >> 32) != h)
            continue;
        at_idmap_entry *e = &map->entries[(uint32_t)s - 1];
        if (same_key(e, key))
            return e;
    }
}

static at_code resize(at_idmap *map, size_t n, at_error *err)
{
    uint64_t *slots = table_alloc(n * sizeof *slots);
    if (!slots)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the import's keys");
    for (size_t k = 0; k < map->count; k++) {
        size_t i = map->entries[k].hash & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint64_t)map->entries[k].hash << 32 | (uint64_t)(k + 1);
    }
    table_free(map->slots, map->slot_count * sizeof *map->slots);
    map->slots = slots;
    map->slot_count = n;
    return AT_OK;
}

/* A big table's mapping is moved and extended by the kernel (no copy: the pages move), so
 * growing 100M entries does not hold the old and the new table at once (12 GB at size L). */
static at_idmap_entry *extend_entries(at_idmap *map, size_t cap)
{
    size_t old_size = map->capacity * sizeof *map->entries, size = cap * sizeof *map->entries;
#ifdef MREMAP_MAYMOVE
    if (old_size >= BIG_TABLE) {
        void *p = mremap(map->entries, old_size, size, MREMAP_MAYMOVE);
        if (p == MAP_FAILED)
            return NULL;
#ifdef MADV_HUGEPAGE
        madvise(p, size, MADV_HUGEPAGE);
#endif
        return p; /* the new part is zero-filled */
    }
#endif
    at_idmap_entry *entries = table_alloc(size);
    if (!entries)
        return NULL;
    if (map->count)
        memcpy(entries, map->entries, map->count * sizeof *entries);
    table_free(map->entries, old_size);
    return entries;
}

static at_code grow_entries(at_idmap *map, size_t cap, at_error *err)
{
    at_idmap_entry *entries = extend_entries(map, cap);
    if (!entries)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the import's keys");
    map->entries = entries;
    map->capacity = cap;
    return AT_OK;
}

at_code at_idmap_reserve(at_idmap *map, size_t n, at_error *err)
{
    if (n > UINT32_MAX / 4)
        n = UINT32_MAX / 4;
    size_t slots = 1024;
    while (slots < n * 2)
        slots *= 2;
    at_code code = AT_OK;
    if (slots > map->slot_count)
        code = resize(map, slots, err);
    if (code == AT_OK && n > map->capacity)
        code = grow_entries(map, n, err);
    return code;
}

at_code at_idmap_put(at_idmap *map, at_str key, at_idmap_entry **out, bool *created,
                     at_error *err)
{
    at_idmap_entry *e = at_idmap_find(map, key);
    if (e) {
        *out = e;
        if (created)
            *created = false;
        return AT_OK;
    }
    if (map->count >= UINT32_MAX - 1 || key.len > UINT32_MAX)
        return at_fail(err, AT_ERR_OVERFLOW, NULL, "import the data in several parts",
                       "too many keys in one import");
    at_code c;
    if ((map->count + 1) * 2 > map->slot_count &&
        (c = resize(map, map->slot_count ? map->slot_count * 2 : 1024, err)) != AT_OK)
        return c;
    if (map->count == map->capacity &&
        (c = grow_entries(map, map->capacity ? map->capacity * 2 : 512, err)) != AT_OK)
        return c;
    char *copy = at_arena_strndup(&map->keys, key.ptr ? key.ptr : "", key.len);
    if (!copy)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the import's keys");
    e = &map->entries[map->count];
    memset(e, 0, sizeof *e);
    e->key = copy;
    e->len = (uint32_t)key.len;
    e->hash = hash_of(key);
    size_t mask = map->slot_count - 1;
    size_t i = e->hash & mask;
    while (map->slots[i])
        i = (i + 1) & mask;
    map->slots[i] = (uint64_t)e->hash << 32 | (uint64_t)(map->count + 1);
    map->count++;
    *out = e;
    if (created)
        *created = true;
    return AT_OK;
}
