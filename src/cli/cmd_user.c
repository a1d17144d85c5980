/* cmd_user.c - `attain user add|passwd|list`: the accounts that log in to `attain serve`.
 * Passwords are read from standard input (never the command line, where `ps` shows them) and
 * stored as Argon2id hashes (web/auth.h); users are audited like other rows. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "store/web_store.h"
#include "web/auth.h"

static const char HELP[] =
    "Manage the users of the web application and the API (`attain serve`).\n"
    "\n"
    "  add     --login L --role R [--person ID] --password-stdin\n"
    "          roles: admin, sales_ops, finance, manager, rep, executive (read-only).\n"
    "          A rep sees their own pay only, a manager their team's: both name their\n"
    "          person (the id in people.csv) with --person.\n"
    "  passwd  --login L --password-stdin     set a new password\n"
    "  list                                   the users, their roles and people\n"
    "\n"
    "options:\n"
    "  --db FILE           the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --password-stdin    read the password from the first line of standard input\n"
    "                      (at least 10 characters)\n"
    "  --actor NAME        who makes the change, for the audit trail (default: $USER)\n"
    "\n"
    "examples:\n"
    "  printf '%s\\n' 'correct horse battery staple' |\n"
    "    attain user add --login ana --role rep --person P-1001 --password-stdin\n"
    "  attain user list\n";

static int usage(const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help user` for the options", "%s", detail);
    return at_cli_report(&err);
}

static at_code read_password(char *buf, size_t size, size_t *length, at_error *err)
{
    if (!fgets(buf, (int)size, stdin))
        return at_fail(err, AT_ERR_USAGE, "stdin", "pipe the password in: printf '%s\\n' ...",
                       "no password on standard input");
    size_t n = strlen(buf);
    if (n == size - 1 && buf[n - 1] != '\n')
        return at_fail(err, AT_ERR_INVALID, "stdin", NULL, "the password is too long");
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    *length = n;
    return AT_OK;
}

static at_code print_user(void *ctx, const at_web_user *u, at_time created_at, at_error *err)
{
    (void)ctx;
    (void)err;
    char when[AT_TIME_TEXT_MAX];
    at_time_format(created_at, when, sizeof when);
    printf("%-24s %-10s %-16s %s%s\n", u->login, at_web_role_name(u->role),
           u->person[0] ? u->person : "-", when, u->disabled ? " (disabled)" : "");
    return AT_OK;
}

static int run(int argc, char **argv)
{
    if (argc < 2 || at_cli_is_help(argv[1])) {
        at_cli_print_help(&at_command_user, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *action = argv[1];
    const char *db = NULL, *login = NULL, *role_text = NULL, *person = NULL, *actor = NULL;
    bool from_stdin = false;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"login", required_argument, NULL, 'l'},
        {"role", required_argument, NULL, 'r'},   {"person", required_argument, NULL, 'p'},
        {"actor", required_argument, NULL, 'a'},  {"password-stdin", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    optind = 2;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'l': login = optarg; break;
        case 'r': role_text = optarg; break;
        case 'p': person = optarg; break;
        case 'a': actor = optarg; break;
        case 's': from_stdin = true; break;
        case 'h': at_cli_print_help(&at_command_user, stdout); return 0;
        case ':': return usage("an option is missing its value");
        default: return usage("unknown option");
        }
    }
    if (optind < argc)
        return usage("unexpected argument");
    if (!actor) {
        const char *u = getenv("USER");
        actor = u && u[0] ? u : "attain";
    }
    bool add = strcmp(action, "add") == 0, passwd = strcmp(action, "passwd") == 0;
    if (!add && !passwd && strcmp(action, "list") != 0)
        return usage("say what to do: add, passwd or list");
    at_error err;
    at_web_role role = AT_ROLE_REP;
    char hash[AT_WEB_PWHASH_MAX];
    if (add || passwd) {
        if (!login)
            return usage("--login is required");
        if (add && !role_text)
            return usage("--role is required");
        if (!from_stdin)
            return usage("give the password on standard input with --password-stdin");
        if (add && at_web_role_parse(role_text, &role, &err) != AT_OK)
            return at_cli_report(&err);
        if (at_web_auth_init(&err) != AT_OK)
            return at_cli_report(&err);
        char pw[AT_WEB_PASSWORD_MAX + 4];
        size_t len = 0;
        at_code c = read_password(pw, sizeof pw, &len, &err);
        if (c == AT_OK)
            c = at_web_password_hash(pw, len, at_web_pwcost_default(), hash, &err);
        memset(pw, 0, sizeof pw);
        if (c != AT_OK)
            return at_cli_report(&err);
    }
    at_store *store = NULL;
    at_store_options so = {0};
    so.read_only = !(add || passwd);
    if (at_store_open(at_cli_db_path(db), &so, &store, &err) != AT_OK)
        return at_cli_report(&err);
    at_code c;
    if (add) {
        c = at_web_user_add(store, login, role, person, hash, actor, NULL, &err);
        if (c == AT_OK)
            printf("added user %s (%s%s%s)\n", login, at_web_role_name(role),
                   person ? ", person " : "", person ? person : "");
    } else if (passwd) {
        c = at_web_user_set_password(store, login, hash, actor, &err);
        if (c == AT_OK)
            printf("set a new password for %s\n", login);
    } else {
        c = at_web_user_each(store, print_user, NULL, &err);
    }
    at_store_close(store);
    return c == AT_OK ? 0 : at_cli_report(&err);
}

const at_command at_command_user = {
    "user",
    "attain user add|passwd|list [--db FILE] [--login L] [--role R] [--person ID] "
    "[--password-stdin]",
    "the users of the web application: add one, set a password, list them",
    HELP,
    run,
};
