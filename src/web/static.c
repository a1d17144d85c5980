/* static.c - the pages: files of web/dist (the bundle the pages' build makes) served from the
 * directory found at start-up, with a safe path join (decode.c), the content type by extension
 * and cache headers (files under /assets/ carry a content hash in their names: cached for a
 * year; everything else is revalidated). Paths that are not files and have no extension get
 * index.html (the pages route in the browser). When the pages are missing (not built), a
 * placeholder index.html built from the route table says so, how to build them, and lists the
 * API. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/server.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first candidate that is a directory, as a real path, into out. */
static bool try_dir(const char *candidate, char *out, size_t size)
{
    char real[PATH_MAX];
    if (!candidate || !candidate[0] || !is_dir(candidate) || !realpath(candidate, real))
        return false;
    snprintf(out, size, "%s", real);
    return true;
}

static void html_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static at_code build_placeholder(at_web_server *srv, at_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>attain</title>\n<style>body{font:15px/1.5 system-ui,sans-serif;max-width:"
          "60rem;margin:2rem auto;padding:0 1rem;color:#222}code{font-size:90%}table{border-"
          "collapse:collapse}td{padding:.2rem .8rem .2rem 0;vertical-align:top}"
          "td:first-child{white-space:nowrap}</style>\n</head><body>\n"
          "<h1>attain</h1>\n<p><strong>The pages were not found.</strong> They are built "
          "into <code>web/dist</code> by <code>make</code> (which needs node and npm: "
          "<code>scripts/install-deps.sh build</code>) and installed by <code>make install</code>"
          "; or start <code>attain serve --static DIR</code>. Until then, this server speaks the "
          "JSON API below (see <code>docs/api.md</code>): log in with <code>POST /api/v1/session"
          "</code>, then send the CSRF token it returns in <code>X-CSRF-Token</code> with "
          "every change, or use an API token (<code>Authorization: Bearer ...</code>).</p>\n"
          "<table>\n",
          f);
    for (size_t i = 0; i < at_web_route_count; i++) {
        const at_web_route *r = &at_web_routes[i];
        fputs("<tr><td><code>", f);
        html_escape(f, r->method);
        fputc(' ', f);
        html_escape(f, r->pattern);
        fputs("</code></td><td>", f);
        html_escape(f, r->summary);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body></html>\n", f);
    if (fclose(f) != 0 || !buf) {
        free(buf);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    srv->placeholder = buf;
    srv->placeholder_length = len;
    return AT_OK;
}

at_code at_web_static_init(at_web_server *srv, at_error *err)
{
    srv->static_root[0] = '\0';
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    char cand[PATH_MAX + 64];
    if (srv->config.static_dir) {
        if (!try_dir(srv->config.static_dir, srv->static_root, sizeof srv->static_root))
            return at_fail(err, AT_ERR_IO, srv->config.static_dir, "give the pages' directory",
                           "--static names no directory");
    } else if (!try_dir(getenv("ATTAIN_WEB_DIR"), srv->static_root, sizeof srv->static_root)) {
        bool found = false;
        if (exe[0]) {
            snprintf(cand, sizeof cand, "%s/../share/attain/web", exe);
            found = try_dir(cand, srv->static_root, sizeof srv->static_root);
            /* a build directory inside or beside the source tree */
            for (int up = 1; !found && up <= 2; up++) {
                snprintf(cand, sizeof cand, "%s%s/web/dist", exe, up == 1 ? "/.." : "/../..");
                found = try_dir(cand, srv->static_root, sizeof srv->static_root);
            }
        }
    }
    return build_placeholder(srv, err);
}

static void placeholder(at_web_server *srv, at_web_response *res)
{
    at_web_reply_bytes(res, 200, "text/html; charset=utf-8", srv->placeholder,
                       srv->placeholder_length, NULL);
    res->cache_control = "no-cache";
}

void at_web_static_serve(at_web_server *srv, const char *path, at_web_response *res, int *fd,
                         size_t *fd_size)
{
    *fd = -1;
    *fd_size = 0;
    at_error err;
    char file[PATH_MAX + 16];
    bool root_index = strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0;
    if (!srv->static_root[0]) {
        if (root_index) {
            placeholder(srv, res);
            return;
        }
        at_web_reply_problem(res, 404, "not_found", "no such page", NULL);
        return;
    }
    if (at_web_static_join(srv->static_root, path, file, sizeof file, &err) != AT_OK) {
        at_web_reply_problem(res, 404, "not_found", "no such page", NULL);
        return;
    }
    int f = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (f >= 0 && (fstat(f, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(f);
        f = -1;
    }
    char real[PATH_MAX];
    size_t rl = strlen(srv->static_root);
    if (f >= 0 && (!realpath(file, real) || strncmp(real, srv->static_root, rl) != 0 ||
                   real[rl] != '/')) {
        close(f);
        f = -1;
    }
    if (f < 0) {
        /* a page's own route (no extension): the pages' index.html */
        const char *last = strrchr(path, '/');
        bool page_route = last && !strchr(last, '.');
        if (page_route) {
            snprintf(file, sizeof file, "%.4000s/index.html", srv->static_root);
            f = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (f >= 0 && (fstat(f, &st) != 0 || !S_ISREG(st.st_mode))) {
                close(f);
                f = -1;
            }
        }
        if (f < 0) {
            if (root_index || page_route)
                placeholder(srv, res);
            else
                at_web_reply_problem(res, 404, "not_found", "no such page", NULL);
            return;
        }
    }
    *fd = f;
    *fd_size = (size_t)st.st_size;
    res->status = 200;
    res->content_type = at_web_content_type_of(file);
    res->cache_control = strncmp(path, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
                                                           : "no-cache";
}
