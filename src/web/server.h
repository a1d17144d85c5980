/* server.h - `attain serve`: the HTTP server (libmicrohttpd, a thread pool over epoll), its
 * configuration, the pool of store handles the requests borrow, and what the handlers reach
 * through req->server (the log-in rate limiters, the calculation jobs, the static files). */
#ifndef ATTAIN_WEB_SERVER_H
#define ATTAIN_WEB_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/web.h"

typedef struct at_web_config {
    const char *db_path;        /* the database (must exist) */
    const char *listen;         /* "127.0.0.1:8080" (NULL: that); "[::1]:8080" for IPv6 */
    unsigned threads;           /* request threads; 0: the machine's cores, at least 2 */
    const char *static_dir;     /* the pages (web/dist); NULL: looked for, see static.c */
    size_t body_limit;          /* bytes of a request body; 0: 1 MiB */
    size_t upload_limit;        /* bytes of an import's body; 0: 64 MiB */
    at_time session_seconds;    /* a session's life; 0: 12 hours */
    at_time idle_seconds;       /* a session unused this long ends; 0: 30 minutes */
    bool secure_cookies;        /* add Secure to the cookie (behind HTTPS) */
    bool access_log;            /* one line per request on stderr */
    unsigned login_limit;       /* failed log-ins per login per 15 min; 0: 5 */
    unsigned address_limit;     /* failed log-ins per address per 15 min; 0: 20 */
} at_web_config;

typedef struct at_web_jobs at_web_jobs; /* api_runs.c */

struct at_web_server {
    at_web_config config;
    char db_path[4096];
    char url[128];
    struct MHD_Daemon *daemon;
    /* the store pool */
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_free;
    at_store **stores;
    bool *busy;
    size_t store_count;
    /* log-in */
    at_web_limiter login_limiter, address_limiter;
    at_web_pwcost pwcost;
    /* calculation runs on a worker thread */
    at_web_jobs *jobs;
    /* rendered statements by run, payee, month and format (statement_cache.h) */
    struct at_statement_cache *statements;
    /* static files: the directory (realpath) or "" for the built-in placeholder page */
    char static_root[4096];
    char *placeholder;          /* the placeholder index.html (malloc'ed) */
    size_t placeholder_length;
};

/* Starts serving (returns once listening). The database is opened (and upgraded) first;
 * errors: the database's, AT_ERR_USAGE for a bad listen address, AT_ERR_IO when the port
 * cannot be bound. */
at_code at_web_server_start(const at_web_config *config, at_web_server **out, at_error *err);
/* Stops accepting, finishes the requests in flight, waits for a running calculation to end,
 * closes everything. NULL is allowed. */
void at_web_server_stop(at_web_server *server);
/* "http://127.0.0.1:8080/" */
const char *at_web_server_url(const at_web_server *server);

/* A store handle for this thread until released (waits while all are in use). */
at_store *at_web_store_acquire(at_web_server *server);
void at_web_store_release(at_web_server *server, at_store *store);

/* ---- static files (static.c) ---- */

/* Finds the pages' directory (config, $ATTAIN_WEB_DIR, <exe>/../share/attain/web, web/dist
 * above the executable) and builds the placeholder page. */
at_code at_web_static_init(at_web_server *server, at_error *err);
/* Answers a GET/HEAD for a path outside /api/. */
void at_web_static_serve(at_web_server *server, const char *path, at_web_response *res,
                         int *fd, size_t *fd_size);

/* ---- calculation jobs (api_runs.c) ---- */
at_web_jobs *at_web_jobs_new(void);
/* Waits for a running job, then frees. */
void at_web_jobs_free(at_web_jobs *jobs);

/* ---- the dispatcher (dispatch.c) ---- */

/* Everything between the decoded request and the response: route, who, access, handler,
 * audit. cookie and authorization are the raw header values (NULL when absent), csrf_header
 * the X-CSRF-Token header. */
void at_web_dispatch(at_web_server *server, at_web_request *req, const char *cookie,
                     const char *authorization, const char *csrf_header, at_web_response *res);

#endif
