/* server.c - the HTTP side of `attain serve`: libmicrohttpd with its own thread pool over
 * epoll, listening on 127.0.0.1 unless told otherwise. For each request: a context with an
 * arena, the body gathered up to its limit (413 past it: 1 MiB, imports 64 MiB), then the
 * request decoded (our own percent-decoding: libmicrohttpd's is switched off so that decode.c
 * sees, and the fuzzer tests, every byte), dispatched (dispatch.c) or served from the pages
 * (static.c), and answered with security headers on every response. Store handles come from a
 * pool, one per request thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "web/server.h"
#include "web/statement_cache.h"

#define DEFAULT_BODY_LIMIT ((size_t)1 << 20)
#define DEFAULT_UPLOAD_LIMIT ((size_t)64 << 20)

/* ---- the store pool ------------------------------------------------------------------------- */

at_store *at_web_store_acquire(at_web_server *srv)
{
    pthread_mutex_lock(&srv->pool_lock);
    for (;;) {
        for (size_t i = 0; i < srv->store_count; i++)
            if (!srv->busy[i]) {
                srv->busy[i] = true;
                pthread_mutex_unlock(&srv->pool_lock);
                return srv->stores[i];
            }
        pthread_cond_wait(&srv->pool_free, &srv->pool_lock);
    }
}

void at_web_store_release(at_web_server *srv, at_store *store)
{
    pthread_mutex_lock(&srv->pool_lock);
    for (size_t i = 0; i < srv->store_count; i++)
        if (srv->stores[i] == store)
            srv->busy[i] = false;
    pthread_cond_signal(&srv->pool_free);
    pthread_mutex_unlock(&srv->pool_lock);
}

/* ---- one request ----------------------------------------------------------------------------- */

typedef struct conn_ctx {
    at_arena arena;
    char *body;
    size_t length, cap, limit;
    bool too_large;
    struct timespec started;
} conn_ctx;

typedef struct query_ctx {
    at_web_request *req;
    at_web_param *items;
    size_t count;
    at_error err;
    bool failed;
} query_ctx;

#define QUERY_MAX 64

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    query_ctx *q = cls;
    if (q->count == QUERY_MAX) {
        at_fail(&q->err, AT_ERR_INVALID, "query", NULL, "more than %d query parameters",
                QUERY_MAX);
        q->failed = true;
        return MHD_NO;
    }
    char *k, *v;
    size_t kl, vl;
    const char *val = value ? value : "";
    if (at_web_percent_decode(key, strlen(key), false, q->req->arena, &k, &kl, &q->err) != AT_OK ||
        at_web_percent_decode(val, strlen(val), false, q->req->arena, &v, &vl, &q->err) != AT_OK) {
        at_error_prefix_where(&q->err, "query");
        q->failed = true;
        return MHD_NO;
    }
    q->items[q->count].name = k;
    q->items[q->count].value = v;
    q->count++;
    return MHD_YES;
}

static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static void client_address(struct MHD_Connection *c, char *out, size_t size)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static void add_header(struct MHD_Response *r, const char *name, const char *value)
{
    if (value && value[0])
        MHD_add_response_header(r, name, value);
}

static enum MHD_Result send_response(struct MHD_Connection *c, at_web_response *res, int fd,
                                     size_t fd_size, bool api)
{
    struct MHD_Response *r;
    if (fd >= 0) {
        r = MHD_create_response_from_fd(fd_size, fd);
        if (!r)
            close(fd);
    } else {
        r = MHD_create_response_from_buffer(res->length, res->body, MHD_RESPMEM_MUST_FREE);
        if (r)
            res->body = NULL;
    }
    if (!r)
        return MHD_NO;
    add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
               res->cache_control ? res->cache_control : (api ? "no-store" : "no-cache"));
    add_header(r, MHD_HTTP_HEADER_SET_COOKIE, res->set_cookie);
    add_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION, res->disposition);
    add_header(r, MHD_HTTP_HEADER_LOCATION, res->location);
    add_header(r, MHD_HTTP_HEADER_RETRY_AFTER, res->retry_after);
    add_header(r, "X-Content-Type-Options", "nosniff");
    add_header(r, "X-Frame-Options", "DENY");
    add_header(r, "Referrer-Policy", "same-origin");
    add_header(r, "Content-Security-Policy",
               "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    at_web_server *srv = cls;
    conn_ctx *ctx = *con_cls;
    bool api = strncmp(url, "/api/", 5) == 0;
    if (!ctx) {
        ctx = calloc(1, sizeof *ctx);
        if (!ctx)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &ctx->started);
        at_arena_init(&ctx->arena, 16384);
        bool upload = strcmp(method, "POST") == 0 && strcmp(url, "/api/v1/imports") == 0;
        ctx->limit = upload ? srv->config.upload_limit : srv->config.body_limit;
        *con_cls = ctx;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > ctx->limit) {
                ctx->too_large = true;
                at_web_response res = {0};
                at_web_reply_problem(&res, 413, "too_large",
                                     "the request body is larger than this server takes",
                                     "body");
                enum MHD_Result r = send_response(c, &res, -1, 0, true);
                free(res.body);
                return r;
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!ctx->too_large) {
            if (*upload_size > ctx->limit - ctx->length) {
                ctx->too_large = true;
                free(ctx->body);
                ctx->body = NULL;
                ctx->length = ctx->cap = 0;
            } else {
                if (ctx->length + *upload_size + 1 > ctx->cap) {
                    size_t cap = ctx->cap ? ctx->cap : 4096;
                    while (cap < ctx->length + *upload_size + 1)
                        cap *= 2;
                    char *b = realloc(ctx->body, cap);
                    if (!b)
                        return MHD_NO;
                    ctx->body = b;
                    ctx->cap = cap;
                }
                memcpy(ctx->body + ctx->length, upload_data, *upload_size);
                ctx->length += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }

    at_web_response res = {0};
    int fd = -1;
    size_t fd_size = 0;
    at_web_request req;
    memset(&req, 0, sizeof req);
    char address[64];
    client_address(c, address, sizeof address);
    req.arena = &ctx->arena;
    req.server = srv;
    req.method = method;
    req.path = url;
    req.address = address;
    req.now = (at_time)time(NULL);
    if (ctx->too_large) {
        at_web_reply_problem(&res, 413, "too_large",
                             "the request body is larger than this server takes", "body");
    } else if (!api) {
        if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
            at_web_static_serve(srv, url, &res, &fd, &fd_size);
        else
            at_web_reply_problem(&res, 405, "method_not_allowed", "pages are read with GET",
                                 NULL);
    } else {
        req.body = ctx->body ? ctx->body : "";
        if (ctx->body)
            ctx->body[ctx->length] = '\0';
        req.body_length = ctx->length;
        req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                       MHD_HTTP_HEADER_CONTENT_TYPE);
        req.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
        query_ctx q = {.req = &req};
        q.items = at_arena_calloc(req.arena, QUERY_MAX, sizeof *q.items);
        if (!q.items) {
            at_web_reply_problem(&res, 500, "nomem", "out of memory", NULL);
        } else {
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &q);
            if (q.failed) {
                at_web_reply_error(&res, 400, &q.err);
            } else {
                req.query = q.items;
                req.query_count = q.count;
                req.store = at_web_store_acquire(srv);
                at_web_dispatch(srv, &req,
                                MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                            MHD_HTTP_HEADER_COOKIE),
                                MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                            MHD_HTTP_HEADER_AUTHORIZATION),
                                MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"),
                                &res);
                at_web_store_release(srv, req.store);
            }
        }
    }
    if (req.json)
        json_decref(req.json);
    if (!res.status)
        at_web_reply_problem(&res, 500, "internal", "nothing was answered", NULL);
    if (srv->config.access_log)
        fprintf(stderr, "%s %s %d %.1fms %s\n", method, url, res.status, ms_since(&ctx->started),
                req.user ? req.user->login : "-");
    enum MHD_Result r = send_response(c, &res, fd, fd_size, api);
    free(res.body);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    conn_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    at_arena_free(&ctx->arena);
    free(ctx->body);
    free(ctx);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("attain serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- start and stop -------------------------------------------------------------------------- */

/* "127.0.0.1:8080", "[::1]:8080", ":8080" (127.0.0.1) into a socket address. */
static at_code parse_listen(const char *text, struct sockaddr_storage *sa, bool *v6,
                            at_error *err)
{
    memset(sa, 0, sizeof *sa);
    *v6 = false;
    char host[128];
    const char *port_text;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof host)
            return at_fail(err, AT_ERR_USAGE, "--listen", "write [::1]:8080",
                           "'%.64s' is not an address and port", text);
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        port_text = close + 2;
        *v6 = true;
    } else {
        const char *colon = strrchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof host)
            return at_fail(err, AT_ERR_USAGE, "--listen", "write 127.0.0.1:8080",
                           "'%.64s' is not an address and port", text);
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
        if (!host[0])
            snprintf(host, sizeof host, "127.0.0.1");
        port_text = colon + 1;
    }
    char *end;
    errno = 0;
    long port = strtol(port_text, &end, 10);
    if (!port_text[0] || *end || errno || port < 0 || port > 65535)
        return at_fail(err, AT_ERR_USAGE, "--listen", "a port is 0 to 65535 (0: any free one)",
                       "'%.64s' is not a port", port_text);
    if (*v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
            return at_fail(err, AT_ERR_USAGE, "--listen", NULL, "'%s' is not an IPv6 address",
                           host);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
            return at_fail(err, AT_ERR_USAGE, "--listen", "give an IP address, e.g. 127.0.0.1",
                           "'%s' is not an IPv4 address", host);
    }
    return AT_OK;
}

static void free_server(at_web_server *srv)
{
    at_web_jobs_free(srv->jobs);
    at_statement_cache_free(srv->statements);
    for (size_t i = 0; i < srv->store_count; i++) {
        at_web_store_forget_statements(srv->stores[i]);
        at_store_close(srv->stores[i]);
    }
    free(srv->stores);
    free(srv->busy);
    at_web_limiter_free(&srv->login_limiter);
    at_web_limiter_free(&srv->address_limiter);
    pthread_mutex_destroy(&srv->pool_lock);
    pthread_cond_destroy(&srv->pool_free);
    free(srv->placeholder);
    free(srv);
}

at_code at_web_server_start(const at_web_config *config, at_web_server **out, at_error *err)
{
    *out = NULL;
    at_code rc = at_web_auth_init(err);
    if (rc != AT_OK)
        return rc;
    rc = at_web_routes_check(at_web_routes, at_web_route_count, err);
    if (rc != AT_OK)
        return rc;
    at_web_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    pthread_mutex_init(&srv->pool_lock, NULL);
    pthread_cond_init(&srv->pool_free, NULL);
    srv->config = *config;
    at_web_config *cfg = &srv->config;
    snprintf(srv->db_path, sizeof srv->db_path, "%s", config->db_path ? config->db_path : "");
    cfg->db_path = srv->db_path;
    if (!cfg->listen)
        cfg->listen = "127.0.0.1:8080";
    if (!cfg->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->threads = n < 2 ? 2 : (unsigned)(n > 64 ? 64 : n);
    }
    if (!cfg->body_limit)
        cfg->body_limit = DEFAULT_BODY_LIMIT;
    if (!cfg->upload_limit)
        cfg->upload_limit = DEFAULT_UPLOAD_LIMIT;
    if (!cfg->session_seconds)
        cfg->session_seconds = 12 * 3600;
    if (!cfg->idle_seconds)
        cfg->idle_seconds = 30 * 60;
    srv->pwcost = at_web_pwcost_default();
    struct sockaddr_storage sa;
    bool v6 = false;
    rc = parse_listen(cfg->listen, &sa, &v6, err);
    if (rc == AT_OK)
        rc = at_web_limiter_init(&srv->login_limiter, cfg->login_limit ? cfg->login_limit : 5,
                                 15 * 60, err);
    if (rc == AT_OK)
        rc = at_web_limiter_init(&srv->address_limiter,
                                 cfg->address_limit ? cfg->address_limit : 20, 15 * 60, err);
    if (rc == AT_OK && !(srv->jobs = at_web_jobs_new()))
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    /* 4096 statements, 256 MB at most */
    if (rc == AT_OK)
        rc = at_statement_cache_create(4096, (size_t)256 << 20, &srv->statements, err);
    /* the stores: the first open creates nothing and upgrades an older schema */
    srv->store_count = cfg->threads + 1;
    srv->stores = rc == AT_OK ? calloc(srv->store_count, sizeof *srv->stores) : NULL;
    srv->busy = rc == AT_OK ? calloc(srv->store_count, sizeof *srv->busy) : NULL;
    if (rc == AT_OK && (!srv->stores || !srv->busy))
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; rc == AT_OK && i < srv->store_count; i++) {
        rc = at_store_open(srv->db_path, NULL, &srv->stores[i], err);
        /* the reads every request makes stay prepared on the pool's handles */
        if (rc == AT_OK)
            at_web_store_keep_statements(srv->stores[i]);
    }
    if (rc != AT_OK) {
        srv->store_count = srv->stores ? srv->store_count : 0;
        free_server(srv);
        return rc;
    }
    at_web_session_purge(srv->stores[0], (at_time)time(NULL), cfg->idle_seconds, NULL, NULL);
    rc = at_web_static_init(srv, err);
    if (rc != AT_OK) {
        free_server(srv);
        return rc;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 1 ? cfg->threads : 0),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_UNESCAPE_CALLBACK,
        no_unescape, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_END);
    if (!srv->daemon) {
        free_server(srv);
        return at_fail(err, AT_ERR_IO, config->listen ? config->listen : "127.0.0.1:8080",
                       "is another server using the port? choose another with --listen",
                       "cannot listen on this address");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char host[64];
    if (v6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, host, sizeof host);
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, host, sizeof host);
    snprintf(srv->url, sizeof srv->url, v6 ? "http://[%s]:%u/" : "http://%s:%u/", host, port);
    *out = srv;
    return AT_OK;
}

void at_web_server_stop(at_web_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    free_server(srv);
}

const char *at_web_server_url(const at_web_server *srv)
{
    return srv->url;
}
