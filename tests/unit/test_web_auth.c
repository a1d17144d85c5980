/* test_web_auth.c - log-in's building blocks (web/auth.c): Argon2id password hashes, secrets
 * (session ids, CSRF and API tokens) and their stored hashes, the comparison used for CSRF
 * tokens, and the log-in rate limiter; and the replies' error mapping (web/reply.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/auth.h"
#include "web/web.h"

static int setup(void **state)
{
    (void)state;
    setenv("ATTAIN_PWHASH", "min", 1); /* fast hashes for the tests */
    at_error err;
    return at_web_auth_init(&err) == AT_OK ? 0 : -1;
}

static void passwords(void **state)
{
    (void)state;
    at_error err;
    char h1[AT_WEB_PWHASH_MAX], h2[AT_WEB_PWHASH_MAX];
    at_web_pwcost cost = at_web_pwcost_default();
    const char *pw = "correct horse battery";
    assert_int_equal(at_web_password_hash(pw, strlen(pw), cost, h1, &err), AT_OK);
    assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
    /* salted: the same password hashes differently each time */
    assert_int_equal(at_web_password_hash(pw, strlen(pw), cost, h2, &err), AT_OK);
    assert_string_not_equal(h1, h2);
    assert_true(at_web_password_verify(h1, pw, strlen(pw)));
    assert_true(at_web_password_verify(h2, pw, strlen(pw)));
    assert_false(at_web_password_verify(h1, "correct horse battery!", 22));
    assert_false(at_web_password_verify(h1, pw, strlen(pw) - 1));
    assert_false(at_web_password_verify("$argon2i$v=19$m=8,t=1,p=1$xx$yy", pw, strlen(pw)));
    assert_false(at_web_password_verify("", pw, strlen(pw)));
    assert_false(at_web_password_verify(NULL, pw, strlen(pw)));
    /* lengths: 10 .. 1024 bytes */
    assert_int_equal(at_web_password_hash("123456789", 9, cost, h1, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "the password is shorter than 10 characters");
    assert_string_equal(h1, "");
    assert_int_equal(at_web_password_hash("1234567890", 10, cost, h1, &err), AT_OK);
    char big[1026];
    memset(big, 'x', sizeof big);
    assert_int_equal(at_web_password_hash(big, 1025, cost, h1, &err), AT_ERR_INVALID);
    assert_int_equal(at_web_password_hash(big, 1024, cost, h1, &err), AT_OK);
    assert_true(at_web_password_verify(h1, big, 1024));
    assert_false(at_web_password_verify(h1, big, 1025));
    /* the dummy check for unknown users never says yes */
    assert_false(at_web_password_dummy(pw, strlen(pw)));
    assert_false(at_web_password_dummy("not the password of anyone", 26));
}

static bool base64url(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static void secrets(void **state)
{
    (void)state;
    char a[AT_WEB_SECRET_TEXT_MAX], b[AT_WEB_SECRET_TEXT_MAX], t[AT_WEB_SECRET_TEXT_MAX];
    at_web_secret_new(NULL, a);
    at_web_secret_new("", b);
    at_web_secret_new("at_", t);
    /* 32 random bytes: 43 base64url characters, no padding */
    assert_int_equal(strlen(a), 43);
    assert_int_equal(strlen(b), 43);
    assert_true(base64url(a));
    assert_string_not_equal(a, b);
    assert_int_equal(strlen(t), 46);
    assert_int_equal(strncmp(t, "at_", 3), 0);
    assert_true(base64url(t + 3));
    uint8_t h1[AT_WEB_SECRET_HASH_SIZE], h2[AT_WEB_SECRET_HASH_SIZE], h3[AT_WEB_SECRET_HASH_SIZE];
    at_web_secret_hash(a, h1);
    at_web_secret_hash(a, h2);
    at_web_secret_hash(b, h3);
    assert_memory_equal(h1, h2, sizeof h1);
    assert_memory_not_equal(h1, h3, sizeof h1);
    /* BLAKE2b-256 of "abc" (RFC 7693's test vector is for BLAKE2b-512; this one was computed
       with b2sum -l 256) */
    static const uint8_t abc[32] = {0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72,
                                    0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b,
                                    0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb, 0x3e, 0x42,
                                    0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19};
    at_web_secret_hash("abc", h1);
    assert_memory_equal(h1, abc, sizeof abc);
    /* CSRF comparison: equal texts only, never empty */
    assert_true(at_web_secret_equal(a, a));
    assert_false(at_web_secret_equal(a, b));
    assert_false(at_web_secret_equal("abc", "abd"));
    assert_false(at_web_secret_equal("abc", "abcd"));
    assert_false(at_web_secret_equal("", ""));
    assert_false(at_web_secret_equal(NULL, "abc"));
    assert_false(at_web_secret_equal("abc", NULL));
}

static void rate_limits(void **state)
{
    (void)state;
    at_web_limiter l;
    at_error err;
    assert_int_equal(at_web_limiter_init(&l, 3, 900, &err), AT_OK);
    at_time wait = -1;
    assert_true(at_web_limiter_allows(&l, "login:ana", 1000, &wait));
    assert_int_equal(wait, 0);
    at_web_limiter_fail(&l, "login:ana", 1000);
    at_web_limiter_fail(&l, "login:ana", 1100);
    assert_true(at_web_limiter_allows(&l, "login:ana", 1100, &wait));
    at_web_limiter_fail(&l, "login:ana", 1200);
    /* the third failure within 900 s: refused until the first leaves the window */
    assert_false(at_web_limiter_allows(&l, "login:ana", 1200, &wait));
    assert_int_equal(wait, 1000 + 900 - 1200);
    assert_false(at_web_limiter_allows(&l, "login:ana", 1899, &wait));
    assert_int_equal(wait, 1);
    assert_true(at_web_limiter_allows(&l, "login:ana", 1900, &wait));
    /* other keys are not affected */
    assert_true(at_web_limiter_allows(&l, "login:bo", 1200, &wait));
    assert_true(at_web_limiter_allows(&l, "addr:127.0.0.1", 1200, &wait));
    /* a success clears the key */
    at_web_limiter_clear(&l, "login:ana");
    assert_true(at_web_limiter_allows(&l, "login:ana", 1200, &wait));
    /* many keys: the table makes room, the latest keep counting */
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "addr:10.0.%d.%d", i / 256, i % 256);
        at_web_limiter_fail(&l, key, 2000 + i);
    }
    for (int k = 0; k < 3; k++)
        at_web_limiter_fail(&l, "addr:192.168.1.1", 9000);
    assert_false(at_web_limiter_allows(&l, "addr:192.168.1.1", 9000, &wait));
    at_web_limiter_free(&l);
    at_web_limiter_free(&l); /* twice is harmless */
}

static void error_replies(void **state)
{
    (void)state;
    assert_int_equal(at_web_status_of(AT_ERR_USAGE), 400);
    assert_int_equal(at_web_status_of(AT_ERR_INVALID), 422);
    assert_int_equal(at_web_status_of(AT_ERR_OVERFLOW), 422);
    assert_int_equal(at_web_status_of(AT_ERR_NOT_FOUND), 404);
    assert_int_equal(at_web_status_of(AT_ERR_CONFLICT), 409);
    assert_int_equal(at_web_status_of(AT_ERR_LOCKED), 409);
    assert_int_equal(at_web_status_of(AT_ERR_STORE), 500);
    assert_int_equal(at_web_status_of(AT_ERR_IO), 500);
    at_web_response res = {0};
    at_error err;
    at_fail(&err, AT_ERR_INVALID, "body.amount", "write 1234.50", "'x' is not an amount");
    at_web_reply_error(&res, 0, &err);
    assert_int_equal(res.status, 422);
    assert_string_equal(res.content_type, "application/json");
    assert_string_equal(res.body, "{\"error\":{\"code\":\"invalid\",\"message\":\"'x' is not an "
                                  "amount\",\"field\":\"body.amount\",\"hint\":\"write "
                                  "1234.50\"}}");
    /* server-side failures say nothing about the server (paths, SQL) */
    at_fail(&err, AT_ERR_STORE, "/srv/attain.db", NULL, "no such table: users");
    at_web_reply_error(&res, 0, &err);
    assert_int_equal(res.status, 500);
    assert_null(strstr(res.body, "users"));
    assert_null(strstr(res.body, "/srv"));
    /* a where that is a path is not a field */
    at_fail(&err, AT_ERR_NOT_FOUND, "/srv/attain.db", NULL, "no run covers 2026-03");
    at_web_reply_error(&res, 0, &err);
    assert_int_equal(res.status, 404);
    assert_string_equal(res.body, "{\"error\":{\"code\":\"not_found\",\"message\":\"no run covers "
                                  "2026-03\",\"field\":null}}");
    at_web_reply_problem(&res, 403, "csrf", "no token", "X-CSRF-Token");
    assert_int_equal(res.status, 403);
    assert_string_equal(res.body, "{\"error\":{\"code\":\"csrf\",\"message\":\"no token\","
                                  "\"field\":\"X-CSRF-Token\"}}");
    free(res.body);
    /* exact values */
    json_t *m = at_web_json_money(-12345678901234567LL);
    assert_string_equal(json_string_value(m), "-1234567890123.4567");
    json_decref(m);
    m = at_web_json_money(0);
    assert_string_equal(json_string_value(m), "0.00");
    json_decref(m);
    m = at_web_json_day(AT_DAY_MAX);
    assert_true(json_is_null(m));
    json_decref(m);
    m = at_web_json_time(0);
    assert_true(json_is_null(m));
    json_decref(m);
    at_error e2;
    assert_int_equal(at_web_check_month("2026-03", "month", &e2), AT_OK);
    assert_int_equal(at_web_check_month("2026-12", "month", &e2), AT_OK);
    assert_int_equal(at_web_check_month("2026-13", "month", &e2), AT_ERR_INVALID);
    assert_int_equal(at_web_check_month("2026-00", "month", &e2), AT_ERR_INVALID);
    assert_int_equal(at_web_check_month("2026-3", "month", &e2), AT_ERR_INVALID);
    assert_int_equal(at_web_check_month("2026-03'", "month", &e2), AT_ERR_INVALID);
    assert_int_equal(at_web_check_month(NULL, "month", &e2), AT_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords),
        cmocka_unit_test(secrets),
        cmocka_unit_test(rate_limits),
        cmocka_unit_test(error_replies),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
