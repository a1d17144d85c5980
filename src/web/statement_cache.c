/* statement_cache.c - rendered statements by (run, payee, month, format): statement_cache.h. */
#include "web/statement_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cache_slot {
    char *key;      /* "run\x1fpayee\x1fmonth\x1fformat", NULL when empty */
    char *data;
    size_t length;
} cache_slot;

struct at_statement_cache {
    pthread_mutex_t lock;
    cache_slot *slots;
    size_t slot_count;
    size_t bytes, max_bytes;
    uint64_t hits, misses;
};

at_code at_statement_cache_create(size_t slots, size_t max_bytes, at_statement_cache **out,
                                  at_error *err)
{
    *out = NULL;
    at_statement_cache *c = calloc(1, sizeof *c);
    if (!c || !slots || !(c->slots = calloc(slots, sizeof *c->slots))) {
        free(c);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the statement cache");
    }
    pthread_mutex_init(&c->lock, NULL);
    c->slot_count = slots;
    c->max_bytes = max_bytes;
    *out = c;
    return AT_OK;
}

void at_statement_cache_free(at_statement_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->slot_count; i++) {
        free(c->slots[i].key);
        free(c->slots[i].data);
    }
    free(c->slots);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The key as one string; NULL when it does not fit (ids are at most 128 characters). */
static bool make_key(int64_t run, const char *payee, const char *month, int format, char *buf,
                     size_t size)
{
    int n = snprintf(buf, size, "%lld\x1f%s\x1f%s\x1f%d", (long long)run, payee, month, format);
    return n > 0 && (size_t)n < size;
}

static size_t slot_of(const at_statement_cache *c, const char *key)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = key; *p; p++) {
        h ^= (unsigned char)*p;
        h *= UINT64_C(1099511628211);
    }
    return (size_t)(h % c->slot_count);
}

bool at_statement_cache_get(at_statement_cache *c, int64_t run, const char *payee,
                            const char *month, int format, char **data, size_t *length)
{
    *data = NULL;
    *length = 0;
    char key[512];
    if (!c || !make_key(run, payee, month, format, key, sizeof key))
        return false;
    pthread_mutex_lock(&c->lock);
    cache_slot *s = &c->slots[slot_of(c, key)];
    bool hit = s->key && strcmp(s->key, key) == 0;
    if (hit) {
        *data = malloc(s->length + 1);
        if (*data) {
            memcpy(*data, s->data, s->length);
            (*data)[s->length] = '\0';
            *length = s->length;
        } else {
            hit = false;
        }
    }
    if (hit)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void at_statement_cache_put(at_statement_cache *c, int64_t run, const char *payee,
                            const char *month, int format, const char *data, size_t length)
{
    char key[512];
    if (!c || !make_key(run, payee, month, format, key, sizeof key))
        return;
    char *k = strdup(key), *d = malloc(length ? length : 1);
    if (!k || !d) {
        free(k);
        free(d);
        return;
    }
    memcpy(d, data, length);
    pthread_mutex_lock(&c->lock);
    cache_slot *s = &c->slots[slot_of(c, key)];
    size_t freed = s->key ? s->length : 0;
    if (c->bytes - freed + length > c->max_bytes) {
        pthread_mutex_unlock(&c->lock);
        free(k);
        free(d);
        return;
    }
    free(s->key);
    free(s->data);
    c->bytes = c->bytes - freed + length;
    s->key = k;
    s->data = d;
    s->length = length;
    pthread_mutex_unlock(&c->lock);
}

void at_statement_cache_counts(at_statement_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}
