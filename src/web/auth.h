/* auth.h - log-in's building blocks (auth.c): password hashes (Argon2id through libsodium),
 * random secrets for session cookies, CSRF tokens and API tokens, their stored hashes, the
 * Set-Cookie header, and the log-in rate limiter. The API's session routes (api_session.c) and
 * `attain user` use them. */
#ifndef ATTAIN_WEB_AUTH_H
#define ATTAIN_WEB_AUTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "store/web_store.h"

/* libsodium must be initialised once before any of the below (at_web_auth_init is safe to
 * call again). AT_ERR_INTERNAL when it cannot be. */
at_code at_web_auth_init(at_error *err);

/* Password hashing cost: interactive (about 64 MiB and a tenth of a second) by default; tests
 * may lower it with $ATTAIN_PWHASH=min (never for real use). */
typedef struct at_web_pwcost {
    unsigned long long ops;
    size_t mem;
} at_web_pwcost;
at_web_pwcost at_web_pwcost_default(void);

#define AT_WEB_PWHASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define AT_WEB_PASSWORD_MIN 10
#define AT_WEB_PASSWORD_MAX 1024

/* Hashes a password into out (an "$argon2id$..." string). AT_ERR_INVALID for a password
 * shorter than AT_WEB_PASSWORD_MIN or longer than AT_WEB_PASSWORD_MAX bytes; AT_ERR_NOMEM when
 * libsodium cannot get the memory. */
at_code at_web_password_hash(const char *password, size_t length, at_web_pwcost cost,
                             char out[AT_WEB_PWHASH_MAX], at_error *err);
/* True when password matches hash (false for a malformed hash). */
bool at_web_password_verify(const char *hash, const char *password, size_t length);
/* Runs one verification against a fixed hash and returns false: log-in for an unknown user
 * takes as long as for a known one. */
bool at_web_password_dummy(const char *password, size_t length);

/* A secret: 32 random bytes as base64url without padding (43 characters). prefix (may be
 * NULL or "") is put in front: "at_" for API tokens. */
#define AT_WEB_SECRET_TEXT_MAX 64
void at_web_secret_new(const char *prefix, char out[AT_WEB_SECRET_TEXT_MAX]);
/* The stored hash of a secret's text (BLAKE2b-256 of the text). */
void at_web_secret_hash(const char *text, uint8_t out[AT_WEB_SECRET_HASH_SIZE]);
/* Compares two NUL-terminated texts in time that does not depend on where they differ. */
bool at_web_secret_equal(const char *a, const char *b);

#define AT_WEB_SESSION_COOKIE "attain_session"

/* ---- log-in rate limiting ----------------------------------------------------------------
 * Failed log-ins are counted per key ("login:ana", "addr:127.0.0.1") in a sliding window; a
 * key with `limit` failures in the last `window` seconds is refused until the oldest of them
 * leaves the window. Memory is a fixed table (least recently failed keys make room). */
#define AT_WEB_LIMITER_SLOTS 1024
#define AT_WEB_LIMITER_KEEP 32

typedef struct at_web_limiter_slot {
    uint64_t key;                     /* hash of the key; 0: free */
    at_time fails[AT_WEB_LIMITER_KEEP]; /* the latest failures, a ring */
    unsigned next, count;
    at_time last;
} at_web_limiter_slot;

typedef struct at_web_limiter {
    pthread_mutex_t lock;
    at_web_limiter_slot *slots;       /* AT_WEB_LIMITER_SLOTS */
    unsigned limit;                   /* <= AT_WEB_LIMITER_KEEP */
    at_time window;
} at_web_limiter;

at_code at_web_limiter_init(at_web_limiter *l, unsigned limit, at_time window, at_error *err);
void at_web_limiter_free(at_web_limiter *l);
/* True when key may try now; else *retry_after is the seconds to wait. */
bool at_web_limiter_allows(at_web_limiter *l, const char *key, at_time now, at_time *retry_after);
void at_web_limiter_fail(at_web_limiter *l, const char *key, at_time now);
/* Forgets the key's failures (after a successful log-in). */
void at_web_limiter_clear(at_web_limiter *l, const char *key);

#endif
