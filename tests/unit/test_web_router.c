/* test_web_router.c - the router (web/router.c: matching, parameters, 405, the table's check)
 * and request decoding (web/decode.c: percent-decoding, query strings, cookies, JSON bodies,
 * multipart bodies, the static files' path join and content types). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/web.h"

static at_code nothing(at_web_request *req, at_web_response *res, at_error *err)
{
    (void)req;
    (void)res;
    (void)err;
    return AT_OK;
}

#define ALL AT_WEB_ROLES_ALL
static const at_web_route table[] = {
    {"GET", "/api/v1/runs", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "list"},
    {"GET", "/api/v1/runs/:id", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "one"},
    {"GET", "/api/v1/runs/latest", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "lit"},
    {"POST", "/api/v1/runs", AT_WEB_ROLE(AT_ROLE_ADMIN), AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     nothing, "start"},
    {"GET", "/api/v1/statements/:payee/:month", ALL, AT_RULE_PERSON, AT_WEB_READ, "payee",
     "month", nothing, "statement"},
};
#define N (sizeof table / sizeof table[0])

static const at_web_route *match(at_arena *a, const char *method, const char *path,
                                 at_web_params *p, bool *known, at_error *err)
{
    at_error_clear(err);
    return at_web_route_match(table, N, method, path, a, p, known, err);
}

static void routes_match(void **state)
{
    (void)state;
    at_arena a;
    at_arena_init(&a, 0);
    at_web_params p;
    bool known;
    at_error err;
    assert_ptr_equal(match(&a, "GET", "/api/v1/runs", &p, &known, &err), &table[0]);
    assert_int_equal(p.count, 0);
    assert_ptr_equal(match(&a, "GET", "/api/v1/runs/42", &p, &known, &err), &table[1]);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].name, "id");
    assert_string_equal(p.items[0].value, "42");
    /* a literal segment wins over a parameter */
    assert_ptr_equal(match(&a, "GET", "/api/v1/runs/latest", &p, &known, &err), &table[2]);
    assert_int_equal(p.count, 0);
    assert_ptr_equal(match(&a, "POST", "/api/v1/runs", &p, &known, &err), &table[3]);
    /* parameters are percent-decoded, one whole segment each */
    assert_ptr_equal(match(&a, "GET", "/api/v1/statements/P%2F1%20x/2026-03", &p, &known, &err),
                     &table[4]);
    assert_int_equal(p.count, 2);
    assert_string_equal(p.items[0].name, "payee");
    assert_string_equal(p.items[0].value, "P/1 x");
    assert_string_equal(p.items[1].value, "2026-03");
    /* a known path with another method: 405 */
    assert_null(match(&a, "DELETE", "/api/v1/runs", &p, &known, &err));
    assert_true(known);
    assert_int_equal(err.code, AT_OK);
    /* unknown paths, empty segments, trailing slashes, missing or extra segments */
    const char *none[] = {"/api/v1/run", "/api/v1/runs/", "/api/v1//runs", "/api/v1/runs/1/2",
                          "/api/v1/statements/P1", "api/v1/runs", "", "/",
                          "/api/v1/statements//2026-03"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        assert_null(match(&a, "GET", none[i], &p, &known, &err));
        assert_false(known);
    }
    /* parameters that do not decode: an error, not a match */
    const char *bad[] = {"/api/v1/runs/%", "/api/v1/runs/%4", "/api/v1/runs/%zz",
                         "/api/v1/runs/a%00b", "/api/v1/runs/%ff%fe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(match(&a, "GET", bad[i], &p, &known, &err));
        assert_int_equal(err.code, AT_ERR_INVALID);
        assert_true(known);
    }
    /* at most 256 bytes once decoded */
    char longp[400] = "/api/v1/runs/";
    memset(longp + strlen(longp), 'x', 257);
    assert_null(match(&a, "GET", longp, &p, &known, &err));
    assert_int_equal(err.code, AT_ERR_INVALID);
    longp[13 + 256] = '\0';
    assert_ptr_equal(match(&a, "GET", longp, &p, &known, &err), &table[1]);
    at_arena_free(&a);
}

static void the_route_table_is_consistent(void **state)
{
    (void)state;
    at_error err;
    assert_int_equal(at_web_routes_check(at_web_routes, at_web_route_count, &err), AT_OK);
    assert_int_equal(at_web_routes_check(table, N, &err), AT_OK);
    /* each rule of the check */
    struct {
        at_web_route r;
        const char *message;
    } broken[] = {
        {{"PATCH", "/a", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "unknown method"},
        {{"GET", "a", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "a pattern is /segment/:param/... with no empty segment"},
        {{"GET", "/a/", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "a pattern is /segment/:param/... with no empty segment"},
        {{"GET", "/a/:", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "a pattern is /segment/:param/... with no empty segment"},
        {{"GET", "/a", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, NULL, "s"},
         "a route needs a handler and a summary"},
        {{"GET", "/a", ALL, AT_RULE_PUBLIC, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "a public route lists no roles"},
        {{"GET", "/a", 0, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
         "the route allows no role"},
        {{"POST", "/a", ALL, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL, nothing, "s"},
         "executives are read-only: a write route cannot allow them"},
        {{"GET", "/a", AT_WEB_ROLE(AT_ROLE_ADMIN), AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
          nothing, "s"},
         "a GET cannot change data"},
        {{"GET", "/a/:x", ALL, AT_RULE_PERSON, AT_WEB_READ, "payee", NULL, nothing, "s"},
         "a person rule names one of the route's parameters"},
        {{"GET", "/a", ALL, AT_RULE_BODY_PERSON, AT_WEB_READ, "payee", NULL, nothing, "s"},
         "a body-person rule names a body field of a POST or PUT"},
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        assert_int_equal(at_web_routes_check(&broken[i].r, 1, &err), AT_ERR_INTERNAL);
        assert_string_equal(err.message, broken[i].message);
    }
    at_web_route twice[2] = {
        {"GET", "/a/:x", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
        {"GET", "/a/:y", ALL, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, nothing, "s"},
    };
    assert_int_equal(at_web_routes_check(twice, 2, &err), AT_ERR_INTERNAL);
    assert_string_equal(err.message, "the same method and shape as /a/:x");
}

static void percent_decoding(void **state)
{
    (void)state;
    at_arena a;
    at_arena_init(&a, 0);
    char *out;
    size_t len;
    at_error err;
    assert_int_equal(at_web_percent_decode("a%20b+c%2B%C3%A9", 16, false, &a, &out, &len, &err),
                     AT_OK);
    assert_string_equal(out, "a b+c+\xc3\xa9");
    assert_int_equal(len, 8);
    assert_int_equal(at_web_percent_decode("a+b", 3, true, &a, &out, &len, &err), AT_OK);
    assert_string_equal(out, "a b");
    assert_int_equal(at_web_percent_decode("", 0, true, &a, &out, &len, &err), AT_OK);
    assert_string_equal(out, "");
    /* the length given is the text: "%41" cut to "%4" is an error */
    assert_int_equal(at_web_percent_decode("%41", 2, false, &a, &out, &len, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_web_percent_decode("%41", 3, false, &a, &out, &len, &err), AT_OK);
    assert_string_equal(out, "A");
    assert_int_equal(at_web_percent_decode("x%g1", 4, false, &a, &out, &len, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "a '%' at byte 2 is not followed by two hex digits");
    assert_int_equal(at_web_percent_decode("%00", 3, false, &a, &out, &len, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_web_percent_decode("%C3", 3, false, &a, &out, &len, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.hint, "send text as UTF-8");
    assert_null(out);
    at_arena_free(&a);
}

static void query_strings(void **state)
{
    (void)state;
    at_arena a;
    at_arena_init(&a, 0);
    at_web_param *q;
    size_t n;
    at_error err;
    const char *text = "limit=10&q=Ana+Lima&&flag&x=%27%20OR%201%3D1&empty=";
    assert_int_equal(at_web_query_parse(text, strlen(text), &a, &q, &n, &err), AT_OK);
    assert_int_equal(n, 5);
    assert_string_equal(q[0].name, "limit");
    assert_string_equal(q[0].value, "10");
    assert_string_equal(q[1].value, "Ana Lima");
    assert_string_equal(q[2].name, "flag");
    assert_string_equal(q[2].value, "");
    assert_string_equal(q[3].value, "' OR 1=1");
    assert_string_equal(q[4].value, "");
    assert_int_equal(at_web_query_parse("a=%", 3, &a, &q, &n, &err), AT_ERR_INVALID);
    assert_non_null(strstr(err.where, "query"));
    /* at most 64 pairs */
    char many[1024] = "";
    for (int i = 0; i < 65; i++)
        strcat(many, "a=1&");
    assert_int_equal(at_web_query_parse(many, strlen(many), &a, &q, &n, &err), AT_ERR_INVALID);
    many[strlen(many) - 4] = '\0';
    assert_int_equal(at_web_query_parse(many, strlen(many), &a, &q, &n, &err), AT_OK);
    assert_int_equal(n, 64);
    at_arena_free(&a);
}

static void cookies(void **state)
{
    (void)state;
    char v[16];
    assert_true(at_web_cookie_get("a=1; attain_session=abc; b=2", "attain_session", v, sizeof v));
    assert_string_equal(v, "abc");
    assert_true(at_web_cookie_get("attain_session=\"q\"", "attain_session", v, sizeof v));
    assert_string_equal(v, "q");
    assert_true(at_web_cookie_get(" x = 7 ;", "x", v, sizeof v));
    assert_string_equal(v, "7");
    /* a name that only ends or starts like it is another cookie */
    assert_false(at_web_cookie_get("my_attain_session=abc", "attain_session", v, sizeof v));
    assert_false(at_web_cookie_get("attain_session_x=abc", "attain_session", v, sizeof v));
    assert_false(at_web_cookie_get("attain_session=", "attain_session", v, sizeof v));
    assert_false(at_web_cookie_get("attain_session", "attain_session", v, sizeof v));
    assert_false(at_web_cookie_get(NULL, "attain_session", v, sizeof v));
    /* too long for the buffer: absent rather than cut */
    assert_false(at_web_cookie_get("x=0123456789abcdef", "x", v, sizeof v));
    assert_true(at_web_cookie_get("x=0123456789abcde", "x", v, sizeof v));
    /* the first of two */
    assert_true(at_web_cookie_get("x=1; x=2", "x", v, sizeof v));
    assert_string_equal(v, "1");
}

static void json_bodies(void **state)
{
    (void)state;
    json_t *v;
    at_error err;
    assert_true(at_web_is_json_type("application/json"));
    assert_true(at_web_is_json_type("Application/JSON; charset=utf-8"));
    assert_false(at_web_is_json_type("application/jsonx"));
    assert_false(at_web_is_json_type("text/plain"));
    assert_false(at_web_is_json_type(NULL));
    const char *ok = "{\"a\":9007199254740993,\"b\":\"x\"}";
    assert_int_equal(at_web_json_parse(ok, strlen(ok), &v, &err), AT_OK);
    /* integers are exact beyond 2^53 */
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 9007199254740993LL);
    json_decref(v);
    assert_int_equal(at_web_json_parse("", 0, &v, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "the body is empty");
    assert_int_equal(at_web_json_parse("[1]", 3, &v, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "the body must be a JSON object");
    assert_int_equal(at_web_json_parse("{\"a\":1,\"a\":2}", 13, &v, &err), AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(at_web_json_parse("{\"a\":", 5, &v, &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "body:1:5");
    assert_null(v);
    /* 33 levels deep: refused; 32 taken */
    char deep[200] = "";
    for (int i = 0; i < 32; i++)
        strcat(deep, "{\"a\":");
    strcat(deep, "1");
    for (int i = 0; i < 32; i++)
        strcat(deep, "}");
    assert_int_equal(at_web_json_parse(deep, strlen(deep), &v, &err), AT_OK);
    json_decref(v);
    char deeper[220] = "{\"b\":";
    strcat(deeper, deep);
    strcat(deeper, "}");
    assert_int_equal(at_web_json_parse(deeper, strlen(deeper), &v, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "the body nests deeper than 32 levels");
}

static void multipart_bodies(void **state)
{
    (void)state;
    at_arena a;
    at_arena_init(&a, 0);
    at_web_part *parts;
    size_t n;
    at_error err;
    const char *ct = "multipart/form-data; boundary=XyZ";
    const char *body = "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"reason\"\r\n\r\n"
                       "new hires\r\n"
                       "--XyZ\r\n"
                       "Content-Disposition: form-data; name=\"file\"; "
                       "filename=\"people.csv\"\r\n"
                       "Content-Type: text/csv\r\n\r\n"
                       "id,name\r\nP-1,Ana\r\n\r\n"
                       "--XyZ--\r\n";
    assert_int_equal(at_web_multipart_parse(ct, body, strlen(body), &a, &parts, &n, &err), AT_OK);
    assert_int_equal(n, 2);
    assert_string_equal(parts[0].name, "reason");
    assert_null(parts[0].filename);
    assert_int_equal(parts[0].length, 9);
    assert_memory_equal(parts[0].data, "new hires", 9);
    assert_string_equal(parts[1].name, "file");
    assert_string_equal(parts[1].filename, "people.csv");
    assert_int_equal(parts[1].length, 18);
    assert_memory_equal(parts[1].data, "id,name\r\nP-1,Ana\r\n", 18);
    /* quoted boundary */
    assert_int_equal(at_web_multipart_parse("multipart/form-data; boundary=\"XyZ\"", body,
                                            strlen(body), &a, &parts, &n, &err),
                     AT_OK);
    assert_int_equal(n, 2);
    /* broken bodies */
    assert_int_equal(at_web_multipart_parse("text/plain", body, strlen(body), &a, &parts, &n,
                                            &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_web_multipart_parse("multipart/form-data", body, strlen(body), &a, &parts,
                                            &n, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "multipart/form-data needs a boundary of 1 to 70 characters");
    const char *unended = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nabc";
    assert_int_equal(at_web_multipart_parse(ct, unended, strlen(unended), &a, &parts, &n, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "a multipart part does not end with the boundary");
    const char *nameless = "--XyZ\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ--";
    assert_int_equal(at_web_multipart_parse(ct, nameless, strlen(nameless), &a, &parts, &n, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "multipart part 1 has no name");
    assert_int_equal(at_web_multipart_parse(ct, "hello", 5, &a, &parts, &n, &err),
                     AT_ERR_INVALID);
    at_arena_free(&a);
}

static void static_paths_stay_inside(void **state)
{
    (void)state;
    char out[256];
    at_error err;
    assert_int_equal(at_web_static_join("/srv/web", "/", out, sizeof out, &err), AT_OK);
    assert_string_equal(out, "/srv/web/index.html");
    assert_int_equal(at_web_static_join("/srv/web", "/assets/app.3f2a.js", out, sizeof out, &err),
                     AT_OK);
    assert_string_equal(out, "/srv/web/assets/app.3f2a.js");
    assert_int_equal(at_web_static_join("/srv/web", "/assets/", out, sizeof out, &err), AT_OK);
    assert_string_equal(out, "/srv/web/assets/index.html");
    assert_int_equal(at_web_static_join("/srv/web", "/a%20b.css", out, sizeof out, &err), AT_OK);
    assert_string_equal(out, "/srv/web/a b.css");
    const char *refused[] = {
        "/../etc/passwd", "/assets/../../etc/passwd", "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc%2Fpasswd", "/assets/..%2f..%2fetc/passwd", "/.git/config", "/.env",
        "/a//b", "/a\\..\\b", "/a%5c..%5cb", "/a%00.html", "/a%0a", "/%", "/a%2", "relative",
        "/C:/x", "/..", "/.", "/a/./b",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (at_web_static_join("/srv/web", refused[i], out, sizeof out, &err) != AT_ERR_NOT_FOUND)
            fail_msg("%s was not refused (%s)", refused[i], out);
    }
    /* a path longer than the buffer is refused, not cut */
    char longp[300] = "/";
    memset(longp + 1, 'a', 280);
    assert_int_equal(at_web_static_join("/srv/web", longp, out, sizeof out, &err),
                     AT_ERR_NOT_FOUND);
    /* content types */
    assert_string_equal(at_web_content_type_of("/x/index.html"), "text/html; charset=utf-8");
    assert_string_equal(at_web_content_type_of("app.JS"), "text/javascript; charset=utf-8");
    assert_string_equal(at_web_content_type_of("a.css"), "text/css; charset=utf-8");
    assert_string_equal(at_web_content_type_of("a.svg"), "image/svg+xml");
    assert_string_equal(at_web_content_type_of("a.woff2"), "font/woff2");
    assert_string_equal(at_web_content_type_of("a.exe"), "application/octet-stream");
    assert_string_equal(at_web_content_type_of("dir.js/file"), "application/octet-stream");
    assert_string_equal(at_web_content_type_of("noext"), "application/octet-stream");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_match),
        cmocka_unit_test(the_route_table_is_consistent),
        cmocka_unit_test(percent_decoding),
        cmocka_unit_test(query_strings),
        cmocka_unit_test(cookies),
        cmocka_unit_test(json_bodies),
        cmocka_unit_test(multipart_bodies),
        cmocka_unit_test(static_paths_stay_inside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
