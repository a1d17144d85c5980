/* idmap.c - the importer's key -> row facts hash map (see idmap.h): linear probing over a
 * power-of-two slot array holding entry indexes, grown at 50% load. */
#include <stdlib.h>
#include <string.h>

#include "import/idmap.h"

void at_idmap_init(at_idmap *map)
{
    memset(map, 0, sizeof *map);
    at_arena_init(&map->keys, (size_t)1 << 20);
}

void at_idmap_free(at_idmap *map)
{
    free(map->slots);
    free(map->entries);
    at_arena_free(&map->keys);
    memset(map, 0, sizeof *map);
}

static uint32_t hash_of(at_str key)
{
    /* FNV-1a 64, folded */
    uint64_t h = at_str_hash(key);
    return (uint32_t)(h ^ (h >> 32));
}

at_idmap_entry *at_idmap_find(const at_idmap *map, at_str key)
{
    if (!map->slot_count)
        return NULL;
    uint32_t h = hash_of(key);
    size_t mask = map->slot_count - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = map->slots[i];
        if (!s)
            return NULL;
        at_idmap_entry *e = &map->entries[s - 1];
        if (e->hash == h && e->len == key.len && memcmp(e->key, key.ptr, key.len) == 0)
            return e;
    }
}

static at_code grow(at_idmap *map, at_error *err)
{
    size_t n = map->slot_count ? map->slot_count * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the import's keys");
    for (size_t k = 0; k < map->count; k++) {
        size_t i = map->entries[k].hash & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(map->slots);
    map->slots = slots;
    map->slot_count = n;
    return AT_OK;
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
    if ((map->count + 1) * 2 > map->slot_count) {
        at_code c = grow(map, err);
        if (c != AT_OK)
            return c;
    }
    if (map->count == map->capacity) {
        size_t cap = map->capacity ? map->capacity * 2 : 512;
        at_idmap_entry *entries = realloc(map->entries, cap * sizeof *entries);
        if (!entries)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the import's keys");
        map->entries = entries;
        map->capacity = cap;
    }
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
    map->slots[i] = (uint32_t)(map->count + 1);
    map->count++;
    *out = e;
    if (created)
        *created = true;
    return AT_OK;
}
