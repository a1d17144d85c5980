/* fuzz_http.c - libFuzzer target for request decoding (web/decode.c, web/router.c): the input
 * is split at its first two newlines into a path (matched against the real route table), a
 * query string, and a body that is tried as a Cookie header, a JSON body, a multipart body
 * (with a fixed boundary) and a static path. Properties checked: decoding never yields a NUL
 * inside a value, a matched route's parameters are at most 256 bytes, a static path that is
 * accepted stays under its root with no "." segment, and every failure carries a message.
 * Any violation aborts. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(at_code rc, const at_error *err)
{
    if (rc != AT_OK && (err->code != rc || !err->message[0]))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* path \n query \n body */
    char *path = text, *query = "", *body = "";
    size_t body_len = 0;
    char *nl = memchr(text, '\n', size);
    if (nl) {
        *nl = '\0';
        query = nl + 1;
        char *nl2 = memchr(query, '\n', size - (size_t)(query - text));
        if (nl2) {
            *nl2 = '\0';
            body = nl2 + 1;
            body_len = size - (size_t)(body - text);
        }
    }
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error err;

    /* the router on the real table */
    at_web_params params;
    bool known = false;
    at_error_clear(&err);
    const at_web_route *r = at_web_route_match(at_web_routes, at_web_route_count, "GET",
                                               path, &arena, &params, &known, &err);
    if (r) {
        for (size_t i = 0; i < params.count; i++)
            if (strlen(params.items[i].value) > 256)
                abort();
    } else if (err.code != AT_OK && !err.message[0]) {
        abort();
    }

    /* the query string */
    at_web_param *pairs;
    size_t count;
    at_code rc = at_web_query_parse(query, strlen(query), &arena, &pairs, &count, &err);
    check_failure(rc, &err);
    if (rc == AT_OK && count > 64)
        abort();

    /* percent-decoding keeps no NUL */
    char *out;
    size_t out_len;
    rc = at_web_percent_decode(body, body_len, true, &arena, &out, &out_len, &err);
    check_failure(rc, &err);
    if (rc == AT_OK && strlen(out) != out_len)
        abort();

    /* the body as a cookie header, JSON and multipart */
    char cookie[80];
    if (memchr(body, '\0', body_len) == NULL &&
        at_web_cookie_get(body, "attain_session", cookie, sizeof cookie) &&
        (strlen(cookie) == 0 || strlen(cookie) >= sizeof cookie))
        abort();
    json_t *json = NULL;
    rc = at_web_json_parse(body, body_len, &json, &err);
    check_failure(rc, &err);
    if (rc == AT_OK && !json_is_object(json))
        abort();
    json_decref(json);
    at_web_part *parts;
    rc = at_web_multipart_parse("multipart/form-data; boundary=b", body, body_len, &arena,
                                &parts, &count, &err);
    check_failure(rc, &err);
    for (size_t i = 0; rc == AT_OK && i < count; i++)
        if (!parts[i].name || parts[i].data < body || parts[i].data + parts[i].length > body + body_len)
            abort();

    /* the static path join */
    char file[512];
    rc = at_web_static_join("/srv/web", path, file, sizeof file, &err);
    check_failure(rc, &err);
    if (rc == AT_OK) {
        if (strncmp(file, "/srv/web/", 9) != 0 || strstr(file, "/.") || strstr(file, "//") ||
            strchr(file, '\\'))
            abort();
    }
    at_arena_free(&arena);
    free(text);
    return 0;
}
