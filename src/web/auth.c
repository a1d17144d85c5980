/* auth.c - passwords (Argon2id), secrets (session ids, CSRF and API tokens) and their stored
 * hashes, and the log-in rate limiter (auth.h). Everything cryptographic is libsodium's. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "web/auth.h"

at_code at_web_auth_init(at_error *err)
{
    if (sodium_init() < 0)
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "libsodium could not be initialised");
    return AT_OK;
}

at_web_pwcost at_web_pwcost_default(void)
{
    const char *env = getenv("ATTAIN_PWHASH");
    if (env && strcmp(env, "min") == 0)
        return (at_web_pwcost){crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    return (at_web_pwcost){crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

_Static_assert(AT_WEB_PWHASH_MAX == crypto_pwhash_STRBYTES, "the hash buffer is libsodium's");

at_code at_web_password_hash(const char *password, size_t length, at_web_pwcost cost,
                             char out[AT_WEB_PWHASH_MAX], at_error *err)
{
    out[0] = '\0';
    if (length < AT_WEB_PASSWORD_MIN)
        return at_fail(err, AT_ERR_INVALID, "password", "use a passphrase: several words",
                       "the password is shorter than %d characters", AT_WEB_PASSWORD_MIN);
    if (length > AT_WEB_PASSWORD_MAX)
        return at_fail(err, AT_ERR_INVALID, "password", NULL,
                       "the password is longer than %d bytes", AT_WEB_PASSWORD_MAX);
    if (crypto_pwhash_str_alg(out, password, length, cost.ops, cost.mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return at_fail(err, AT_ERR_NOMEM, "password", NULL,
                       "out of memory hashing the password");
    return AT_OK;
}

bool at_web_password_verify(const char *hash, const char *password, size_t length)
{
    if (!hash || !password || length > AT_WEB_PASSWORD_MAX ||
        strncmp(hash, "$argon2id$", 10) != 0)
        return false;
    return crypto_pwhash_str_verify(hash, password, length) == 0;
}

/* made once, with the cost real passwords are made with */
static char dummy_hash[AT_WEB_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    at_web_pwcost cost = at_web_pwcost_default();
    if (crypto_pwhash_str_alg(dummy_hash, "not the password of anyone", 26, cost.ops, cost.mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        dummy_hash[0] = '\0';
}

bool at_web_password_dummy(const char *password, size_t length)
{
    pthread_once(&dummy_once, make_dummy);
    if (dummy_hash[0] && password && length <= AT_WEB_PASSWORD_MAX &&
        crypto_pwhash_str_verify(dummy_hash, password, length) == 0)
        return false; /* nobody's password, whatever it matched */
    return false;
}

void at_web_secret_new(const char *prefix, char out[AT_WEB_SECRET_TEXT_MAX])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t p = prefix ? strlen(prefix) : 0;
    if (p > 8)
        p = 8;
    memcpy(out, prefix ? prefix : "", p);
    sodium_bin2base64(out + p, AT_WEB_SECRET_TEXT_MAX - p, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void at_web_secret_hash(const char *text, uint8_t out[AT_WEB_SECRET_HASH_SIZE])
{
    crypto_generichash(out, AT_WEB_SECRET_HASH_SIZE, (const unsigned char *)text,
                       text ? strlen(text) : 0, NULL, 0);
}

bool at_web_secret_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0)
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

/* ---- the rate limiter ------------------------------------------------------------------------ */

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h ? h : 1;
}

at_code at_web_limiter_init(at_web_limiter *l, unsigned limit, at_time window, at_error *err)
{
    memset(l, 0, sizeof *l);
    l->slots = calloc(AT_WEB_LIMITER_SLOTS, sizeof *l->slots);
    if (!l->slots)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    if (limit < 1)
        limit = 1;
    l->limit = limit > AT_WEB_LIMITER_KEEP ? AT_WEB_LIMITER_KEEP : limit;
    l->window = window > 0 ? window : 1;
    pthread_mutex_init(&l->lock, NULL);
    return AT_OK;
}

void at_web_limiter_free(at_web_limiter *l)
{
    if (!l->slots)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l->slots);
    l->slots = NULL;
}

/* The slot of key, or (make) a free or the least recently used one. */
static at_web_limiter_slot *slot_of(at_web_limiter *l, uint64_t h, bool make)
{
    size_t start = (size_t)(h % AT_WEB_LIMITER_SLOTS);
    at_web_limiter_slot *oldest = NULL;
    for (size_t i = 0; i < 16; i++) {
        at_web_limiter_slot *s = &l->slots[(start + i) % AT_WEB_LIMITER_SLOTS];
        if (s->key == h)
            return s;
        if (!make)
            continue;
        if (s->key == 0)
            return s;
        if (!oldest || s->last < oldest->last)
            oldest = s;
    }
    if (oldest)
        memset(oldest, 0, sizeof *oldest);
    return oldest;
}

/* failures of s inside the window ending at now, and the oldest of them */
static unsigned recent(const at_web_limiter *l, const at_web_limiter_slot *s, at_time now,
                       at_time *oldest)
{
    unsigned n = 0;
    *oldest = now;
    for (unsigned i = 0; i < s->count && i < AT_WEB_LIMITER_KEEP; i++) {
        at_time t = s->fails[i];
        if (t > now - l->window) {
            n++;
            if (t < *oldest)
                *oldest = t;
        }
    }
    return n;
}

bool at_web_limiter_allows(at_web_limiter *l, const char *key, at_time now, at_time *retry_after)
{
    *retry_after = 0;
    pthread_mutex_lock(&l->lock);
    at_web_limiter_slot *s = slot_of(l, key_hash(key), false);
    bool ok = true;
    if (s) {
        at_time oldest;
        if (recent(l, s, now, &oldest) >= l->limit) {
            ok = false;
            *retry_after = oldest + l->window - now;
            if (*retry_after < 1)
                *retry_after = 1;
        }
    }
    pthread_mutex_unlock(&l->lock);
    return ok;
}

void at_web_limiter_fail(at_web_limiter *l, const char *key, at_time now)
{
    uint64_t h = key_hash(key);
    pthread_mutex_lock(&l->lock);
    at_web_limiter_slot *s = slot_of(l, h, true);
    if (s) {
        s->key = h;
        s->fails[s->next] = now;
        s->next = (s->next + 1) % AT_WEB_LIMITER_KEEP;
        if (s->count < AT_WEB_LIMITER_KEEP)
            s->count++;
        s->last = now;
    }
    pthread_mutex_unlock(&l->lock);
}

void at_web_limiter_clear(at_web_limiter *l, const char *key)
{
    pthread_mutex_lock(&l->lock);
    at_web_limiter_slot *s = slot_of(l, key_hash(key), false);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&l->lock);
}
