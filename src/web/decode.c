/* decode.c - reading what a client sent, strictly: percent-decoding, query strings, the Cookie
 * header, JSON bodies, multipart/form-data bodies, and joining a URL path onto the static
 * files' directory without ever leaving it. Pure functions (no sockets, no store), so that
 * fuzz/fuzz_http.c can throw anything at them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/utf8.h"
#include "web/web.h"

#define QUERY_PAIRS_MAX 64
#define PARTS_MAX 64

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

at_code at_web_percent_decode(const char *text, size_t length, bool plus_space, at_arena *arena,
                              char **out, size_t *out_length, at_error *err)
{
    *out = NULL;
    *out_length = 0;
    char *buf = at_arena_alloc(arena, length + 1);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory decoding the request");
    size_t o = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= length)
                return at_fail(err, AT_ERR_INVALID, NULL, "write % as %25",
                               "a '%%' at byte %zu is not followed by two hex digits", i + 1);
            int h = hex_value(text[i + 1]), l = hex_value(text[i + 2]);
            if (h < 0 || l < 0)
                return at_fail(err, AT_ERR_INVALID, NULL, "write % as %25",
                               "a '%%' at byte %zu is not followed by two hex digits", i + 1);
            c = (char)(h * 16 + l);
            i += 2;
            if (c == '\0')
                return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                               "%%00 (a NUL byte) is not allowed");
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '\0') {
            return at_fail(err, AT_ERR_INVALID, NULL, NULL, "a NUL byte is not allowed");
        }
        buf[o++] = c;
    }
    buf[o] = '\0';
    size_t bad = 0;
    if (at_utf8_validate(buf, o, &bad) != AT_UTF8_OK)
        return at_fail(err, AT_ERR_INVALID, NULL, "send text as UTF-8",
                       "the text is not UTF-8 (byte %zu)", bad + 1);
    *out = buf;
    *out_length = o;
    return AT_OK;
}

at_code at_web_query_parse(const char *query, size_t length, at_arena *arena,
                           at_web_param **pairs, size_t *count, at_error *err)
{
    *pairs = NULL;
    *count = 0;
    at_web_param *items = at_arena_calloc(arena, QUERY_PAIRS_MAX, sizeof *items);
    if (!items)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory decoding the query");
    size_t n = 0, i = 0;
    while (i < length) {
        size_t end = i;
        while (end < length && query[end] != '&')
            end++;
        if (end > i) {
            if (n == QUERY_PAIRS_MAX)
                return at_fail(err, AT_ERR_INVALID, "query", NULL,
                               "more than %d query parameters", QUERY_PAIRS_MAX);
            size_t eq = i;
            while (eq < end && query[eq] != '=')
                eq++;
            char *name, *value;
            size_t nl, vl;
            at_code rc = at_web_percent_decode(query + i, eq - i, true, arena, &name, &nl, err);
            if (rc == AT_OK)
                rc = at_web_percent_decode(query + (eq < end ? eq + 1 : end),
                                           eq < end ? end - eq - 1 : 0, true, arena, &value, &vl,
                                           err);
            if (rc != AT_OK) {
                at_error_prefix_where(err, "query");
                return rc;
            }
            items[n].name = name;
            items[n].value = value;
            n++;
        }
        i = end + 1;
    }
    *pairs = items;
    *count = n;
    return AT_OK;
}

bool at_web_cookie_get(const char *header, const char *name, char *out, size_t size)
{
    if (!header || !name || !size)
        return false;
    size_t nl = strlen(name);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *start = p;
        while (*p && *p != ';')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        const char *eq = memchr(start, '=', (size_t)(end - start));
        if (!eq)
            continue;
        const char *ne = eq;
        while (ne > start && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        if ((size_t)(ne - start) != nl || memcmp(start, name, nl) != 0)
            continue;
        const char *v = eq + 1;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        if (v < end && *v == '"' && end - v >= 2 && end[-1] == '"') {
            v++;
            end--;
        }
        size_t vl = (size_t)(end - v);
        if (vl == 0 || vl + 1 > size)
            return false;
        memcpy(out, v, vl);
        out[vl] = '\0';
        return true;
    }
    return false;
}

bool at_web_is_json_type(const char *content_type)
{
    if (!content_type)
        return false;
    while (*content_type == ' ')
        content_type++;
    static const char json[] = "application/json";
    size_t n = sizeof json - 1;
    if (strncasecmp(content_type, json, n) != 0)
        return false;
    char next = content_type[n];
    return next == '\0' || next == ';' || next == ' ';
}

/* The nesting of containers: {} is 1, {"a":[]} 2; scalars add nothing. */
static size_t json_depth(const json_t *v, size_t depth)
{
    size_t max = json_is_object(v) || json_is_array(v) ? depth : depth - 1;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            size_t d = json_depth(x, depth + 1);
            if (d > max)
                max = d;
            if (max > 32)
                return max;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            size_t d = json_depth(x, depth + 1);
            if (d > max)
                max = d;
            if (max > 32)
                return max;
        }
    }
    return max;
}

at_code at_web_json_parse(const char *body, size_t length, json_t **out, at_error *err)
{
    *out = NULL;
    if (!body || length == 0)
        return at_fail(err, AT_ERR_INVALID, "body", "send a JSON object", "the body is empty");
    json_error_t je;
    json_t *v = json_loadb(body, length, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        char where[64];
        snprintf(where, sizeof where, "body:%d:%d", je.line, je.column);
        return at_fail(err, AT_ERR_INVALID, where, "send a JSON object", "the body is not JSON: %s",
                       je.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return at_fail(err, AT_ERR_INVALID, "body", "send a JSON object ({...})",
                       "the body must be a JSON object");
    }
    if (json_depth(v, 1) > 32) {
        json_decref(v);
        return at_fail(err, AT_ERR_INVALID, "body", NULL, "the body nests deeper than 32 levels");
    }
    *out = v;
    return AT_OK;
}

/* ---- multipart/form-data ------------------------------------------------------------------ */

/* The value of parameter `name` (boundary=, name=, filename=) in a header value, into arena. */
static char *header_param(const char *value, size_t length, const char *name, at_arena *arena)
{
    size_t nl = strlen(name);
    size_t i = 0;
    while (i < length) {
        while (i < length && value[i] != ';')
            i++;
        if (i >= length)
            break;
        i++;
        while (i < length && (value[i] == ' ' || value[i] == '\t'))
            i++;
        if (length - i > nl && strncasecmp(value + i, name, nl) == 0 && value[i + nl] == '=') {
            size_t s = i + nl + 1, e;
            if (s < length && value[s] == '"') {
                s++;
                e = s;
                while (e < length && value[e] != '"')
                    e++;
                if (e >= length)
                    return NULL;
            } else {
                e = s;
                while (e < length && value[e] != ';' && value[e] != ' ')
                    e++;
            }
            return at_arena_strndup(arena, value + s, e - s);
        }
    }
    return NULL;
}

static const char *find_bytes(const char *hay, size_t hay_len, const char *needle,
                              size_t needle_len)
{
    if (needle_len == 0 || hay_len < needle_len)
        return NULL;
    const char *end = hay + hay_len - needle_len;
    for (const char *p = hay; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, needle_len) == 0)
            return p;
    }
    return NULL;
}

at_code at_web_multipart_parse(const char *content_type, const char *body, size_t length,
                               at_arena *arena, at_web_part **parts, size_t *count,
                               at_error *err)
{
    *parts = NULL;
    *count = 0;
    static const char mp[] = "multipart/form-data";
    if (!content_type || strncasecmp(content_type, mp, sizeof mp - 1) != 0)
        return at_fail(err, AT_ERR_INVALID, "Content-Type", NULL,
                       "the body is not multipart/form-data");
    char *boundary = header_param(content_type, strlen(content_type), "boundary", arena);
    if (!boundary || !boundary[0] || strlen(boundary) > 70)
        return at_fail(err, AT_ERR_INVALID, "Content-Type", NULL,
                       "multipart/form-data needs a boundary of 1 to 70 characters");
    size_t bl = strlen(boundary);
    char *delim = at_arena_alloc(arena, bl + 5);
    if (!delim)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading the body");
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, bl + 1);
    size_t dl = bl + 4;
    at_web_part *items = at_arena_calloc(arena, PARTS_MAX, sizeof *items);
    if (!items)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading the body");

    /* the first delimiter may come without the CRLF in front of it */
    const char *p;
    if (length >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
        p = body + dl - 2;
    else if ((p = find_bytes(body, length, delim, dl)) != NULL)
        p += dl;
    else
        return at_fail(err, AT_ERR_INVALID, "body", NULL,
                       "the multipart body has no boundary line");
    const char *end = body + length;
    size_t n = 0;
    for (;;) {
        /* after a delimiter: "--" ends the body, else CRLF and a part */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return at_fail(err, AT_ERR_INVALID, "body", NULL,
                           "a multipart boundary line is not followed by CRLF");
        p += 2;
        const char *hdr_end, *data;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') { /* no headers at all */
            hdr_end = p;
            data = p + 2;
        } else if ((hdr_end = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4)) != NULL) {
            data = hdr_end + 4;
        } else {
            return at_fail(err, AT_ERR_INVALID, "body", NULL,
                           "a multipart part's headers do not end");
        }
        if (n == PARTS_MAX)
            return at_fail(err, AT_ERR_INVALID, "body", NULL, "more than %d parts", PARTS_MAX);
        at_web_part *part = &items[n];
        /* the headers: only Content-Disposition matters */
        const char *h = p;
        while (h < hdr_end) {
            const char *le = find_bytes(h, (size_t)(hdr_end - h), "\r\n", 2);
            if (!le)
                le = hdr_end;
            static const char cd[] = "content-disposition:";
            if ((size_t)(le - h) > sizeof cd - 1 && strncasecmp(h, cd, sizeof cd - 1) == 0) {
                part->name = header_param(h, (size_t)(le - h), "name", arena);
                part->filename = header_param(h, (size_t)(le - h), "filename", arena);
            }
            h = le + 2;
        }
        const char *next = find_bytes(data, (size_t)(end - data), delim, dl);
        if (!next)
            return at_fail(err, AT_ERR_INVALID, "body", NULL,
                           "a multipart part does not end with the boundary");
        if (!part->name)
            return at_fail(err, AT_ERR_INVALID, "body", "give each part a Content-Disposition "
                                                        "with name=\"...\"",
                           "multipart part %zu has no name", n + 1);
        part->data = data;
        part->length = (size_t)(next - data);
        n++;
        p = next + dl;
    }
    *parts = items;
    *count = n;
    return AT_OK;
}

/* ---- static files ------------------------------------------------------------------------- */

at_code at_web_static_join(const char *root, const char *url_path, char *out, size_t size,
                           at_error *err)
{
    if (!root || !url_path || url_path[0] != '/')
        return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
    size_t rl = strlen(root);
    if (rl + 2 > size)
        return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
    memcpy(out, root, rl);
    size_t o = rl;
    const char *p = url_path;
    bool last_empty = false;
    while (*p == '/') {
        const char *s = p + 1, *e = s;
        while (*e && *e != '/')
            e++;
        p = e;
        if (e == s) {
            if (*p == '\0') { /* a trailing slash: the directory's index */
                last_empty = true;
                break;
            }
            return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
        }
        /* decode the segment by hand into out (no arena here) */
        if (o + 1 >= size)
            return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
        out[o++] = '/';
        size_t seg_start = o;
        for (const char *q = s; q < e; q++) {
            char c = *q;
            if (c == '%') {
                int h = q + 1 < e ? hex_value(q[1]) : -1;
                int l = q + 2 < e ? hex_value(q[2]) : -1;
                if (h < 0 || l < 0)
                    return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
                c = (char)(h * 16 + l);
                q += 2;
            }
            if ((unsigned char)c < 0x20 || c == 0x7f || c == '\\' || c == '/' || c == ':')
                return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
            if (o + 1 >= size)
                return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
            out[o++] = c;
        }
        if (out[seg_start] == '.') /* ".", "..", and hidden files */
            return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
    }
    if (*p != '\0')
        return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
    if (o == rl || last_empty) {
        static const char index[] = "/index.html";
        if (o + sizeof index > size)
            return at_fail(err, AT_ERR_NOT_FOUND, "path", NULL, "no such file");
        memcpy(out + o, index, sizeof index);
        return AT_OK;
    }
    out[o] = '\0';
    return AT_OK;
}

const char *at_web_content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".ico", "image/x-icon"},
        {".webp", "image/webp"},
        {".woff", "font/woff"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".pdf", "application/pdf"},
        {".csv", "text/csv; charset=utf-8"},
        {".wasm", "application/wasm"},
    };
    const char *dot = path ? strrchr(path, '.') : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}
