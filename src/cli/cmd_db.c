/* cmd_db.c - `attain db init|migrate|version|check|schema`: create the database, upgrade an
 * older one, show its schema version, check it, print the SQL of its tables. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "store/store.h"

static const char HELP[] =
    "Manage the database itself. The data goes in with `attain import`.\n"
    "\n"
    "actions:\n"
    "  init     create the database (a SQLite file) with every table; an existing\n"
    "           database is left as it is (upgraded when it is older)\n"
    "  migrate  upgrade a database made by an older attain to this attain's schema,\n"
    "           in one transaction (on failure it stays as it was)\n"
    "  version  show the database's schema version and this attain's\n"
    "  check    check the file's integrity, its references and that every table has\n"
    "           the columns attain expects; exit status 1 when something is wrong\n"
    "  schema   print the SQL of the tables a new database gets (needs no database)\n"
    "\n"
    "options:\n"
    "  --db FILE   the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  -h, --help  show this help\n"
    "\n"
    "Opening a database made by an older attain upgrades it in place; one made by a newer\n"
    "attain is refused. Every change is recorded in the audit table.\n"
    "\n"
    "examples:\n"
    "  attain db init --db demo/attain.db\n"
    "  attain db version --db demo/attain.db\n"
    "  attain db check\n"
    "  attain db schema > schema.sql\n";

static const char *actor(void)
{
    const char *user = getenv("USER");
    return user && user[0] ? user : "attain";
}

static int usage(const char *message, const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help db` for the actions and options",
            message, detail);
    return at_cli_report(&err);
}

static int fail(const at_error *err, at_store *store)
{
    at_store_close(store);
    return at_cli_report(err);
}

static int init(const char *path)
{
    at_error err;
    at_store *store = NULL;
    at_store_options opt = {.create = true};
    if (at_store_open(path, &opt, &store, &err) != AT_OK)
        return fail(&err, store);
    if (at_store_created(store))
        printf("created %s (schema version %d, %zu entity tables)\n", path,
               AT_STORE_SCHEMA_VERSION, at_store_entity_count(store));
    else if (at_store_upgraded_from(store))
        printf("upgraded %s from schema version %d to %d\n", path, at_store_upgraded_from(store),
               AT_STORE_SCHEMA_VERSION);
    else
        printf("%s exists (schema version %d): nothing to do\n", path, AT_STORE_SCHEMA_VERSION);
    at_store_close(store);
    return 0;
}

static int migrate(const char *path)
{
    at_error err;
    at_store *store = NULL;
    at_store_options opt = {.no_upgrade = true};
    if (at_store_open(path, &opt, &store, &err) != AT_OK)
        return fail(&err, store);
    int from = 0, to = 0;
    if (at_store_migrate(store, actor(), &from, &to, &err) != AT_OK)
        return fail(&err, store);
    if (from == to)
        printf("%s is at schema version %d: nothing to do\n", path, to);
    else
        printf("upgraded %s from schema version %d to %d\n", path, from, to);
    at_store_close(store);
    return 0;
}

static int version(const char *path)
{
    at_error err;
    at_store *store = NULL;
    at_store_options opt = {.no_upgrade = true};
    if (at_store_open(path, &opt, &store, &err) != AT_OK)
        return fail(&err, store);
    int v = 0;
    if (at_store_version(store, &v, &err) != AT_OK)
        return fail(&err, store);
    printf("%s: schema version %d", path, v);
    if (v == AT_STORE_SCHEMA_VERSION)
        printf(" (current)\n");
    else
        printf(" (this attain uses %d: run `attain db migrate --db %s`)\n",
               AT_STORE_SCHEMA_VERSION, path);
    printf("backend: %s\n", at_store_backend(store));
    at_store_close(store);
    return 0;
}

static int check(const char *path)
{
    at_error err;
    at_store *store = NULL;
    at_store_options opt = {.no_upgrade = true};
    if (at_store_open(path, &opt, &store, &err) != AT_OK)
        return fail(&err, store);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    if (at_store_check(store, &problems, &err) != AT_OK) {
        at_error_list_free(&problems);
        return fail(&err, store);
    }
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    for (size_t i = 0; i < problems.count; i++) {
        at_error_format(&problems.items[i], buf, sizeof buf);
        fputs(buf, stdout);
    }
    int status = 0;
    if (problems.total) {
        printf("%s: %zu problem%s found", path, problems.total, problems.total == 1 ? "" : "s");
        if (problems.total > problems.count)
            printf(" (the first %zu shown)", problems.count);
        printf("\n");
        status = 1;
    } else {
        printf("%s: ok (schema version %d, %zu entity tables, integrity and references "
               "checked)\n",
               path, AT_STORE_SCHEMA_VERSION, at_store_entity_count(store));
    }
    at_error_list_free(&problems);
    at_store_close(store);
    return status;
}

static int schema(void)
{
    at_error err;
    char *sql = NULL;
    if (at_store_schema_sql(NULL, 0, &sql, &err) != AT_OK)
        return at_cli_report(&err);
    fputs(sql, stdout);
    free(sql);
    return 0;
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    optind = 0; /* glibc: start a fresh scan */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': at_cli_print_help(&at_command_db, stdout); return 0;
        default:
            return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage("say what to do: %s", "init, migrate, version, check or schema");
    const char *action = argv[optind++];
    /* options may also follow the action: attain db init --db FILE */
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': at_cli_print_help(&at_command_db, stdout); return 0;
        default:
            return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument '%s'", argv[optind]);
    const char *path = at_cli_db_path(db);
    if (strcmp(action, "init") == 0)
        return init(path);
    if (strcmp(action, "migrate") == 0)
        return migrate(path);
    if (strcmp(action, "version") == 0)
        return version(path);
    if (strcmp(action, "check") == 0)
        return check(path);
    if (strcmp(action, "schema") == 0)
        return schema();
    return usage("unknown action '%s' (use init, migrate, version, check or schema)", action);
}

const at_command at_command_db = {
    "db",
    "attain db init|migrate|version|check|schema [--db FILE]",
    "create, upgrade and check the database",
    HELP,
    run,
};
