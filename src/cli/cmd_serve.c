/* cmd_serve.c - `attain serve`: the web application and the JSON API (src/web) on
 * 127.0.0.1:8080 until SIGINT or SIGTERM, which stop it gracefully (requests in flight finish,
 * a running calculation is waited for). `--routes` prints the route table as JSON instead. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "web/server.h"

static const char HELP[] =
    "Serve the web application and the JSON API (docs/api.md) on an address, by default\n"
    "127.0.0.1:8080 (this machine only). Users log in with the accounts `attain user add`\n"
    "makes; scripts use API tokens. Stop it with Ctrl-C (or SIGTERM): requests in flight\n"
    "finish first.\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; port 0: any free port;\n"
    "                      [::1]:8080 for IPv6). Only listen beyond this machine behind an\n"
    "                      HTTPS proxy, with --secure-cookies\n"
    "  --threads N         request threads (default: the machine's cores)\n"
    "  --static DIR        the pages' directory (default: found beside the program)\n"
    "  --secure-cookies    mark the session cookie Secure (behind HTTPS)\n"
    "  --session-hours N   a session's life (default 12)\n"
    "  --idle-minutes N    a session unused this long ends (default 30)\n"
    "  --log               one line per request on standard error\n"
    "  --routes            print the API's route table as JSON and exit\n"
    "  -h, --help          show this help\n"
    "\n"
    "examples:\n"
    "  attain serve --db demo.db\n"
    "  attain serve --db demo.db --listen 127.0.0.1:0 --log\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help serve` for the options", "%s", detail);
    return at_cli_report(&err);
}

static const char *rule_name(at_web_rule rule)
{
    switch (rule) {
    case AT_RULE_PUBLIC: return "public";
    case AT_RULE_ROLE: return "role";
    case AT_RULE_PERSON: return "person";
    case AT_RULE_BODY_PERSON: return "body_person";
    case AT_RULE_SCOPE: return "scope";
    case AT_RULE_SELF: return "self";
    }
    return "";
}

static int print_routes(void)
{
    json_t *all = json_array();
    for (size_t i = 0; i < at_web_route_count; i++) {
        const at_web_route *r = &at_web_routes[i];
        json_t *o = json_object();
        json_object_set_new(o, "method", json_string(r->method));
        json_object_set_new(o, "pattern", json_string(r->pattern));
        json_t *roles = json_array();
        for (int k = 0; k < AT_ROLE_COUNT; k++)
            if (r->roles & AT_WEB_ROLE(k))
                json_array_append_new(roles, json_string(at_web_role_name((at_web_role)k)));
        json_object_set_new(o, "roles", roles);
        json_object_set_new(o, "rule", json_string(rule_name(r->rule)));
        json_object_set_new(o, "access", json_string(r->access == AT_WEB_WRITE ? "write"
                                                                                : "read"));
        json_object_set_new(o, "person", r->person ? json_string(r->person) : json_null());
        json_object_set_new(o, "month", r->month ? json_string(r->month) : json_null());
        json_object_set_new(o, "summary", json_string(r->summary));
        json_array_append_new(all, o);
    }
    int rc = json_dumpf(all, stdout, JSON_INDENT(1)) == 0 ? 0 : 1;
    printf("\n");
    json_decref(all);
    return rc;
}

static bool number(const char *text, long min, long max, long *out)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (!text[0] || *end || n < min || n > max)
        return false;
    *out = n;
    return true;
}

static int run(int argc, char **argv)
{
    at_web_config cfg = {0};
    const char *db = NULL;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"static", required_argument, NULL, 's'},
        {"secure-cookies", no_argument, NULL, 'S'},
        {"session-hours", required_argument, NULL, 'H'},
        {"idle-minutes", required_argument, NULL, 'I'},
        {"log", no_argument, NULL, 'L'},
        {"routes", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 1;
    opterr = 0;
    int ch;
    long n;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'l': cfg.listen = optarg; break;
        case 't':
            if (!number(optarg, 1, 64, &n))
                return usage("--threads takes a number from 1 to 64");
            cfg.threads = (unsigned)n;
            break;
        case 's': cfg.static_dir = optarg; break;
        case 'S': cfg.secure_cookies = true; break;
        case 'H':
            if (!number(optarg, 1, 24 * 30, &n))
                return usage("--session-hours takes a number from 1 to 720");
            cfg.session_seconds = n * 3600;
            break;
        case 'I':
            if (!number(optarg, 1, 24 * 60, &n))
                return usage("--idle-minutes takes a number from 1 to 1440");
            cfg.idle_seconds = n * 60;
            break;
        case 'L': cfg.access_log = true; break;
        case 'R': return print_routes();
        case 'h': at_cli_print_help(&at_command_serve, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument: serve takes options only");
    cfg.db_path = at_cli_db_path(db);

    /* the server's threads inherit a mask with these blocked; this thread waits for them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    at_error err;
    at_web_server *srv = NULL;
    if (at_web_server_start(&cfg, &srv, &err) != AT_OK)
        return at_cli_report(&err);
    printf("attain serve: %s (database %s); stop with Ctrl-C\n", at_web_server_url(srv),
           cfg.db_path);
    if (srv->static_root[0])
        printf("attain serve: pages from %s\n", srv->static_root);
    else
        fprintf(stderr, "attain serve: warning: the pages were not found (web/dist beside the program, "
                        "PREFIX/share/attain/web or $ATTAIN_WEB_DIR): / lists the API only\n"
                        "  hint: build them with make (it needs node and npm: scripts/install-deps.sh "
                        "build), or pass --static DIR\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "attain serve: %s: stopping (requests in flight finish first)\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    at_web_server_stop(srv);
    return 0;
}

const at_command at_command_serve = {
    "serve",
    "attain serve [--db FILE] [--listen 127.0.0.1:8080] [--threads N] [--static DIR]",
    "serve the web application and the JSON API",
    HELP,
    run,
};
