/* cmd_plan.c - `attain plan check|diff|load|list|show|assign`: check plan documents, compare
 * two plans (files or stored versions), store a new version, list and show the stored
 * versions, and put a person on a plan (plan_assignments, audited). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "model/fields.h"
#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/store.h"

static const char HELP[] =
    "Compensation plans are YAML (or JSON) documents: see docs/plans.md for the format\n"
    "and examples/plans/ for one example of each kind of plan.\n"
    "\n"
    "actions:\n"
    "  check FILE...           check documents; prints `FILE: ok (N measures, M components)`\n"
    "                          or every problem with file:line:column and how to fix it\n"
    "  diff A B                the differences between two plans, as a unified diff of their\n"
    "                          canonical forms (key order, spacing, comments and 5% vs 0.05\n"
    "                          do not count); A and B are files or NAME@VERSION from the\n"
    "                          database (NAME@latest: the latest version)\n"
    "  load FILE...            check the documents, then store each as a new version of its\n"
    "                          plan with the effective dates it states (nothing is stored when\n"
    "                          one has a problem; a document equal to the latest version is\n"
    "                          not stored again)\n"
    "  list [NAME]             the stored versions (of every plan, or of NAME)\n"
    "  show NAME[@VERSION]     print a stored version's document (default: the latest)\n"
    "  assign                  put a person, or everyone of a role, on a plan from a day (a\n"
    "                          plan_assignments row each, inserted or updated by its id,\n"
    "                          recorded in the audit trail)\n"
    "\n"
    "options:\n"
    "  --db FILE               the database (default: $ATTAIN_DB, else ./attain.db)\n"
    "  --reason TEXT           why (load, assign): kept in the audit trail\n"
    "  --actor NAME            who (load, assign; default: $USER)\n"
    "  --canonical             show: print the canonical form instead of the document\n"
    "  -h, --help              show this help\n"
    "assign options:\n"
    "  --person ID             the person (people.csv id)\n"
    "  --role ROLE             instead of --person: everyone with this role in people.csv\n"
    "                          (rep, sdr, manager, ...) employed on --from, in one transaction\n"
    "  --plan NAME             the plan's name, as its document's `plan:` (must be loaded)\n"
    "  --from DAY              the first day on the plan (YYYY-MM-DD)\n"
    "  --to DAY                the last day on the plan (default: open)\n"
    "  --target-incentive AMOUNT  variable pay at 100% for a year, with --currency CUR\n"
    "  --pay-mix BASE/VARIABLE    e.g. 60/40\n"
    "  --id ID                 the assignment's id (default: PERSON/PLAN/FROM)\n"
    "\n"
    "Exit status: 0 when everything is fine (also when diff finds differences), 1 when a\n"
    "document has problems or an action fails, 2 for a wrong command line.\n"
    "\n"
    "examples:\n"
    "  attain plan check examples/plans/*.yaml\n"
    "  attain plan load plans/ae-2026.yaml --reason \"FY2026 AE plan\"\n"
    "  attain plan diff \"AE 2026@1\" plans/ae-2026.yaml\n"
    "  attain plan list\n"
    "  attain plan show \"AE 2026@2\" > ae-2026-v2.yaml\n"
    "  attain plan assign --person P-1001 --plan \"AE 2026\" --from 2026-02-01 \\\n"
    "      --target-incentive 80000 --currency USD --pay-mix 60/40\n";

static int usage(const char *fmt, const char *detail)
{
    at_error err;
    at_fail(&err, AT_ERR_USAGE, NULL, "run `attain help plan` for the actions and options", fmt,
            detail);
    return at_cli_report(&err);
}

static const char *default_actor(void)
{
    const char *user = getenv("USER");
    return user && user[0] ? user : "attain";
}

static void print_problems(const at_error_list *problems)
{
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    for (size_t i = 0; i < problems->count; i++) {
        at_error_format(&problems->items[i], buf, sizeof buf);
        fputs(buf, stdout);
    }
}

/* Reads and checks one file; prints its problems. 0 ok, 1 problems, and *plan in arena. */
static int read_checked(const char *path, at_arena *arena, at_plan **plan, bool quiet_ok)
{
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_error err;
    at_code code = at_plan_read_file(path, arena, plan, &problems, &err);
    int status = 0;
    if (code == AT_ERR_INVALID && problems.total) {
        print_problems(&problems);
        printf("%s: %zu problem%s", path, problems.total, problems.total == 1 ? "" : "s");
        if (problems.total > problems.count)
            printf(" (the first %zu shown)", problems.count);
        printf("\n");
        status = 1;
    } else if (code != AT_OK) {
        status = at_cli_report(&err);
    } else if (!quiet_ok) {
        printf("%s: ok (%zu measure%s, %zu component%s)\n", path, (*plan)->measure_count,
               (*plan)->measure_count == 1 ? "" : "s", (*plan)->component_count,
               (*plan)->component_count == 1 ? "" : "s");
    }
    at_error_list_free(&problems);
    return status;
}

static int check(char **files, int count)
{
    int status = 0;
    for (int i = 0; i < count; i++) {
        at_arena arena;
        at_arena_init(&arena, 0);
        at_plan *plan = NULL;
        if (read_checked(files[i], &arena, &plan, false) != 0)
            status = 1;
        at_arena_free(&arena);
    }
    return status;
}

/* ---- store access ------------------------------------------------------------------------- */

static at_code open_store(const char *db, bool write, at_store **store, at_error *err)
{
    at_store_options opt = {.create = write, .read_only = !write};
    return at_store_open(db, &opt, store, err);
}

/* "NAME@VERSION" / "NAME@latest" / "NAME" -> name (in arena) and version (0: latest). */
static at_code split_ref(const char *ref, bool need_at, at_arena *arena, const char **name,
                         int *version, at_error *err)
{
    const char *at = strrchr(ref, '@');
    *version = 0;
    if (!at) {
        if (need_at)
            return at_fail(err, AT_ERR_NOT_FOUND, ref,
                           "give a file that exists, or NAME@VERSION of a stored plan",
                           "no such file, and not a stored plan's NAME@VERSION");
        *name = ref;
        return AT_OK;
    }
    const char *v = at + 1;
    if (strcmp(v, "latest") != 0) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (!*v || *end || n < 1 || n > 1000000000)
            return at_fail(err, AT_ERR_USAGE, ref,
                           "write NAME@VERSION with a version number (1, 2, ...) or NAME@latest",
                           "'%s' is not a version", v);
        *version = (int)n;
    }
    *name = at_arena_strndup(arena, ref, (size_t)(at - ref));
    if (!*name)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    return AT_OK;
}

static at_code get_version(at_store *store, const char *name, int version, at_arena *arena,
                           at_store_plan_version *out, at_error *err)
{
    bool found = false;
    at_code code = at_store_plan_get(store, name, version, arena, out, &found, err);
    if (code != AT_OK)
        return code;
    if (!found) {
        if (version)
            return at_fail(err, AT_ERR_NOT_FOUND, name, "see the stored versions with `attain plan list`",
                           "plan '%s' has no version %d", name, version);
        return at_fail(err, AT_ERR_NOT_FOUND, name,
                       "load it first: attain plan load FILE (see `attain plan list`)",
                       "no plan named '%s' is stored", name);
    }
    return AT_OK;
}

/* ---- diff --------------------------------------------------------------------------------- */

typedef struct lines {
    char *text;          /* owned */
    const char **line;   /* pointers into text */
    size_t count;
} lines;

static at_code split_lines(char *text, lines *out, at_error *err)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    out->text = text;
    out->line = malloc((n + 1) * sizeof *out->line);
    if (!out->line)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    out->count = 0;
    char *p = text;
    while (*p) {
        out->line[out->count++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return AT_OK;
}

/* The canonical text of a file or a stored version. *label says which. */
static int canonical_of(const char *ref, const char *db, at_arena *arena, lines *out,
                        const char **label)
{
    at_error err;
    at_plan *plan = NULL;
    struct stat st;
    *label = ref;
    if (stat(ref, &st) == 0) {
        if (read_checked(ref, arena, &plan, true) != 0)
            return 1;
    } else {
        const char *name;
        int version;
        if (split_ref(ref, true, arena, &name, &version, &err) != AT_OK)
            return at_cli_report(&err);
        at_store *store = NULL;
        at_store_plan_version v;
        if (open_store(db, false, &store, &err) != AT_OK ||
            get_version(store, name, version, arena, &v, &err) != AT_OK) {
            at_store_close(store);
            return at_cli_report(&err);
        }
        at_store_close(store);
        *label = at_arena_printf(arena, "%s@%d", v.name, v.version);
        at_error_list problems;
        at_error_list_init(&problems, 0);
        at_code code = at_plan_read(v.source, v.source_length, *label, arena, &plan, &problems,
                                    &err);
        if (code == AT_ERR_INVALID)
            print_problems(&problems);
        at_error_list_free(&problems);
        if (code != AT_OK)
            return code == AT_ERR_INVALID ? 1 : at_cli_report(&err);
    }
    char *text = NULL;
    size_t len = 0;
    if (at_plan_write_canonical(plan, &text, &len, &err) != AT_OK)
        return at_cli_report(&err);
    if (split_lines(text, out, &err) != AT_OK) {
        free(text);
        return at_cli_report(&err);
    }
    return 0;
}

typedef enum { EDIT_SAME, EDIT_DEL, EDIT_ADD } edit_kind;
typedef struct edit {
    edit_kind kind;
    size_t a, b; /* line indexes in A and B */
} edit;

/* The edits turning A into B: a longest common subsequence of lines (dynamic programming over
 * what is left once the common head and tail are set aside; plans are short). */
static edit *diff_lines(const lines *A, const lines *B, size_t *count)
{
    size_t head = 0;
    while (head < A->count && head < B->count && strcmp(A->line[head], B->line[head]) == 0)
        head++;
    size_t tail = 0;
    while (tail < A->count - head && tail < B->count - head &&
           strcmp(A->line[A->count - 1 - tail], B->line[B->count - 1 - tail]) == 0)
        tail++;
    size_t n = A->count - head - tail, m = B->count - head - tail;
    edit *out = malloc((A->count + B->count + 1) * sizeof *out);
    uint32_t *len = NULL;
    bool table = (n + 1) * (m + 1) <= 16u * 1024 * 1024;
    if (table)
        len = calloc((n + 1) * (m + 1), sizeof *len);
    if (!out || (table && !len)) {
        free(out);
        free(len);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < head; i++)
        out[k++] = (edit){EDIT_SAME, i, i};
#define L(i, j) len[(i) * (m + 1) + (j)]
    if (table) {
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                L(i, j) = strcmp(A->line[head + i], B->line[head + j]) == 0
                              ? L(i + 1, j + 1) + 1
                              : (L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
    }
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (table && i < n && j < m && strcmp(A->line[head + i], B->line[head + j]) == 0) {
            out[k++] = (edit){EDIT_SAME, head + i, head + j};
            i++;
            j++;
        } else if (i < n && (j == m || !table || L(i + 1, j) >= L(i, j + 1))) {
            out[k++] = (edit){EDIT_DEL, head + i, head + j};
            i++;
        } else {
            out[k++] = (edit){EDIT_ADD, head + i, head + j};
            j++;
        }
    }
#undef L
    for (size_t t = 0; t < tail; t++)
        out[k++] = (edit){EDIT_SAME, head + n + t, head + m + t};
    free(len);
    *count = k;
    return out;
}

/* Prints the edits as unified diff hunks with 3 lines of context. */
static void print_hunks(const lines *A, const lines *B, const edit *e, size_t count)
{
    const size_t ctx = 3;
    size_t i = 0;
    while (i < count) {
        while (i < count && e[i].kind == EDIT_SAME)
            i++;
        if (i == count)
            break;
        size_t start = i >= ctx ? i - ctx : 0;
        size_t end = i;
        /* extend over changes closer than 2 * ctx lines apart */
        for (;;) {
            while (end < count && e[end].kind != EDIT_SAME)
                end++;
            size_t same = end;
            while (same < count && e[same].kind == EDIT_SAME && same - end <= 2 * ctx)
                same++;
            if (same < count && e[same].kind != EDIT_SAME && same - end <= 2 * ctx) {
                end = same;
                continue;
            }
            break;
        }
        size_t stop = end + ctx < count ? end + ctx : count;
        size_t a0 = e[start].a, b0 = e[start].b, na = 0, nb = 0;
        for (size_t k = start; k < stop; k++) {
            na += e[k].kind != EDIT_ADD;
            nb += e[k].kind != EDIT_DEL;
        }
        printf("@@ -%zu,%zu +%zu,%zu @@\n", na ? a0 + 1 : a0, na, nb ? b0 + 1 : b0, nb);
        for (size_t k = start; k < stop; k++) {
            if (e[k].kind == EDIT_SAME)
                printf(" %s\n", A->line[e[k].a]);
            else if (e[k].kind == EDIT_DEL)
                printf("-%s\n", A->line[e[k].a]);
            else
                printf("+%s\n", B->line[e[k].b]);
        }
        i = stop;
    }
}

static int diff(const char *a, const char *b, const char *db)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    lines A = {0}, B = {0};
    const char *la, *lb;
    int status = canonical_of(a, db, &arena, &A, &la);
    if (status == 0)
        status = canonical_of(b, db, &arena, &B, &lb);
    if (status == 0) {
        size_t count = 0;
        edit *e = diff_lines(&A, &B, &count);
        if (!e) {
            at_error err;
            at_fail(&err, AT_ERR_NOMEM, NULL, NULL, "out of memory comparing the plans");
            status = at_cli_report(&err);
        } else {
            bool same = true;
            for (size_t i = 0; i < count; i++)
                same &= e[i].kind == EDIT_SAME;
            if (same) {
                printf("%s and %s are the same plan\n", la, lb);
            } else {
                printf("--- %s\n+++ %s\n", la, lb);
                print_hunks(&A, &B, e, count);
            }
            free(e);
        }
    }
    free(A.text);
    free((void *)A.line);
    free(B.text);
    free((void *)B.line);
    at_arena_free(&arena);
    return status;
}

/* ---- load, list, show --------------------------------------------------------------------- */

static void span_text(at_day from, at_day to, char *buf, size_t size)
{
    char a[AT_DATE_TEXT_MAX] = "open", b[AT_DATE_TEXT_MAX] = "open";
    if (from != AT_DAY_MIN)
        at_day_format(from, a, sizeof a);
    if (to != AT_DAY_MAX)
        at_day_format(to, b, sizeof b);
    snprintf(buf, size, "%s to %s", a, b);
}

static int load(char **files, int count, const char *db, const char *actor, const char *reason)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan **plans = at_arena_calloc(&arena, (size_t)count, sizeof *plans);
    int status = plans ? 0 : 1;
    for (int i = 0; status == 0 && i < count; i++)
        if (read_checked(files[i], &arena, &plans[i], true) != 0)
            status = 1;
    if (status != 0) {
        printf("nothing stored: fix the problems and load again\n");
        at_arena_free(&arena);
        return 1;
    }
    at_error err;
    at_store *store = NULL;
    if (open_store(db, true, &store, &err) != AT_OK) {
        at_arena_free(&arena);
        return at_cli_report(&err);
    }
    for (int i = 0; i < count; i++) {
        const at_plan *p = plans[i];
        int version = 0;
        bool unchanged = false;
        if (at_store_plan_save(store, p->name, p->source, p->source_length, p->sha256,
                               p->effective_from, p->effective_to, actor, reason, &version,
                               &unchanged, &err) != AT_OK) {
            status = at_cli_report(&err);
            break;
        }
        char span[64];
        span_text(p->effective_from, p->effective_to, span, sizeof span);
        if (unchanged)
            printf("%s: '%s' unchanged (version %d is the same document)\n", files[i], p->name,
                   version);
        else
            printf("%s: loaded '%s' version %d (effective %s)\n", files[i], p->name, version,
                   span);
    }
    at_store_close(store);
    at_arena_free(&arena);
    return status;
}

static at_code list_one(void *ctx, const at_store_plan_version *v, at_error *err)
{
    (void)err;
    size_t *n = ctx;
    if ((*n)++ == 0)
        printf("%-24s %7s  %-26s  %-20s  %-12s  %-12s  %s\n", "PLAN", "VERSION", "EFFECTIVE",
               "LOADED", "BY", "SHA256", "REASON");
    char span[64], at[AT_TIME_TEXT_MAX];
    span_text(v->effective_from, v->effective_to, span, sizeof span);
    at_time_format(v->loaded_at, at, sizeof at);
    printf("%-24s %7d  %-26s  %-20s  %-12s  %-12.12s  %s\n", v->name, v->version, span, at,
           v->loaded_by ? v->loaded_by : "", v->sha256 ? v->sha256 : "",
           v->reason ? v->reason : "");
    return AT_OK;
}

static int list(const char *name, const char *db)
{
    at_error err;
    at_store *store = NULL;
    size_t n = 0;
    if (open_store(db, false, &store, &err) != AT_OK ||
        at_store_plan_each(store, name, false, list_one, &n, &err) != AT_OK) {
        at_store_close(store);
        return at_cli_report(&err);
    }
    at_store_close(store);
    if (n == 0)
        printf(name ? "no versions of plan '%s' are stored\n" : "no plans are stored%s\n",
               name ? name : "");
    return 0;
}

static int show(const char *ref, const char *db, bool canonical)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error err;
    const char *name;
    int version;
    at_store *store = NULL;
    at_store_plan_version v;
    int status = 0;
    if (split_ref(ref, false, &arena, &name, &version, &err) != AT_OK ||
        open_store(db, false, &store, &err) != AT_OK ||
        get_version(store, name, version, &arena, &v, &err) != AT_OK) {
        status = at_cli_report(&err);
    } else if (!canonical) {
        fwrite(v.source, 1, v.source_length, stdout);
    } else {
        at_plan *plan = NULL;
        const char *label = at_arena_printf(&arena, "%s@%d", v.name, v.version);
        at_error_list problems;
        at_error_list_init(&problems, 0);
        at_code code = at_plan_read(v.source, v.source_length, label, &arena, &plan, &problems,
                                    &err);
        if (code == AT_ERR_INVALID) {
            print_problems(&problems);
            status = 1;
        } else if (code != AT_OK) {
            status = at_cli_report(&err);
        } else {
            char *text = NULL;
            size_t len = 0;
            if (at_plan_write_canonical(plan, &text, &len, &err) != AT_OK)
                status = at_cli_report(&err);
            else
                fwrite(text, 1, len, stdout);
            free(text);
        }
        at_error_list_free(&problems);
    }
    at_store_close(store);
    at_arena_free(&arena);
    return status;
}

/* ---- assign ------------------------------------------------------------------------------- */

typedef struct assign_args {
    const char *person, *role, *plan, *from, *to, *target, *currency, *pay_mix, *id;
} assign_args;

/* Parses and checks one assignment row for person (options named in errors). */
static at_code assign_row(const assign_args *a, const char *person, at_arena *arena,
                          at_value *values, at_row *row, const char **id_out, at_error *err)
{
    const at_entity *entity = &at_entity_plan_assignments;
    memset(values, 0, sizeof(at_value) * AT_PLAN_ASSIGNMENTS_FIELD_COUNT);
    char *id = (char *)a->id;
    if (!id) {
        id = at_arena_printf(arena, "%s/%s/%s", person, a->plan, a->from);
        if (!id)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        for (char *p = id; *p; p++)
            if (*p == ' ')
                *p = '_';
    }
    *id_out = id;
    struct {
        int field;
        const char *text;
        const char *option;
    } given[] = {
        {AT_PLAN_ASSIGNMENTS_ID, id, "--id"},
        {AT_PLAN_ASSIGNMENTS_PERSON_ID, person, "--person"},
        {AT_PLAN_ASSIGNMENTS_PLAN, a->plan, "--plan"},
        {AT_PLAN_ASSIGNMENTS_START_DATE, a->from, "--from"},
        {AT_PLAN_ASSIGNMENTS_END_DATE, a->to, "--to"},
        {AT_PLAN_ASSIGNMENTS_TARGET_INCENTIVE, a->target, "--target-incentive"},
        {AT_PLAN_ASSIGNMENTS_CURRENCY, a->currency, "--currency"},
        {AT_PLAN_ASSIGNMENTS_PAY_MIX, a->pay_mix, "--pay-mix"},
    };
    *row = (at_row){.entity = entity, .values = values};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        if (!given[i].text)
            continue;
        at_code c = at_field_parse(&entity->fields[given[i].field], at_str_from(given[i].text),
                                   arena, &values[given[i].field], err);
        if (c != AT_OK) {
            snprintf(err->where, sizeof err->where, "%s", given[i].option);
            return c;
        }
    }
    if (entity->rule) {
        at_code c = entity->rule(row, err);
        if (c != AT_OK) {
            /* the rule names a column ("column pay_mix"): say which option instead */
            for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
                char column[128];
                const char *name = entity->fields[given[i].field].name;
                snprintf(column, sizeof column, "column %s", name);
                if (strcmp(err->where, column) == 0 || strcmp(err->where, name) == 0) {
                    snprintf(err->where, sizeof err->where, "%s", given[i].option);
                    break;
                }
            }
            return c;
        }
    }
    return AT_OK;
}

/* --role: the people of a role employed on the first day (hired by then, not gone before). */
typedef struct role_people {
    at_arena *arena;
    const char *role;
    at_day from;
    const char **ids;
    size_t count, capacity;
} role_people;

static at_code note_role_person(void *ctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    role_people *r = ctx;
    const at_value *role = at_row_value(row, AT_PEOPLE_ROLE);
    const at_value *hire = at_row_value(row, AT_PEOPLE_HIRE_DATE);
    const at_value *exit_date = at_row_value(row, AT_PEOPLE_EXIT_DATE);
    if (!role->present || !at_str_eq_cstr(role->text, r->role))
        return AT_OK;
    if ((hire->present && hire->number > r->from) ||
        (exit_date->present && exit_date->number < r->from))
        return AT_OK;
    if (r->count == r->capacity) {
        size_t cap = r->capacity ? r->capacity * 2 : 64;
        const char **ids = at_arena_calloc(r->arena, cap, sizeof *ids);
        if (!ids)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        if (r->count)
            memcpy(ids, r->ids, r->count * sizeof *ids);
        r->ids = ids;
        r->capacity = cap;
    }
    const at_value *ext = at_row_value(row, AT_PEOPLE_ID);
    char *copy = at_arena_alloc(r->arena, ext->text.len + 1);
    if (!copy)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    memcpy(copy, ext->text.ptr, ext->text.len);
    copy[ext->text.len] = '\0';
    r->ids[r->count++] = copy;
    return AT_OK;
}

static int assign(const assign_args *a, const char *db, const char *actor, const char *reason)
{
    if ((!a->person == !a->role) || !a->plan || !a->from)
        return usage("assign needs %s", "--person ID or --role ROLE, --plan NAME and --from "
                                        "YYYY-MM-DD");
    if (a->role && a->id)
        return usage("%s", "--id names one assignment: use it with --person, not --role");
    if ((a->target != NULL) != (a->currency != NULL))
        return usage("%s", "--target-incentive and --currency go together");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error err;
    at_store *store = NULL;
    int status = 0;
    at_value values[AT_PLAN_ASSIGNMENTS_FIELD_COUNT];
    at_row row;
    const char *id = NULL;
    /* check the options once, before touching the database */
    if (assign_row(a, a->person ? a->person : "ROLE", &arena, values, &row, &id, &err) != AT_OK)
        goto fail;
    if (open_store(db, true, &store, &err) != AT_OK)
        goto fail;
    at_store_plan_version v;
    if (get_version(store, a->plan, 0, &arena, &v, &err) != AT_OK)
        goto fail;
    const char *one[1] = {a->person};
    const char *const *people = one;
    size_t count = 1;
    if (a->role) {
        role_people r = {.arena = &arena, .role = a->role};
        if (at_day_parse(at_str_from(a->from), &r.from, &err) != AT_OK ||
            at_store_each_row(store, &at_entity_people, note_role_person, &r, &err) != AT_OK)
            goto fail;
        if (!r.count) {
            at_fail(&err, AT_ERR_NOT_FOUND, "--role",
                    "roles are those of people.csv: rep, sdr, csm, manager, director, vp, ...",
                    "nobody with the role '%s' is employed on %s", a->role, a->from);
            goto fail;
        }
        people = r.ids;
        count = r.count;
    }
    /* all or nothing: one transaction for everyone */
    if (at_store_begin(store, actor, reason, &err) != AT_OK)
        goto fail;
    size_t counts[3] = {0};
    for (size_t i = 0; i < count; i++) {
        at_upsert_result result;
        if (assign_row(a, people[i], &arena, values, &row, &id, &err) != AT_OK ||
            at_store_upsert(store, &row, &result, NULL, &err) != AT_OK) {
            at_store_rollback(store, NULL);
            if (a->role)
                at_error_prefix_where(&err, people[i]);
            goto fail;
        }
        counts[result]++;
        if (!a->role)
            printf("%s: %s on '%s' from %s%s%s (%s)\n", id, people[i], a->plan, a->from,
                   a->to ? " to " : "", a->to ? a->to : "", at_upsert_result_name(result));
    }
    if (at_store_commit(store, &err) != AT_OK) {
        at_store_rollback(store, NULL);
        goto fail;
    }
    if (a->role)
        printf("%zu %s%s on '%s' from %s%s%s: %zu inserted, %zu updated, %zu unchanged\n", count,
               a->role, count == 1 ? "" : "s", a->plan, a->from, a->to ? " to " : "",
               a->to ? a->to : "", counts[AT_UPSERT_INSERTED], counts[AT_UPSERT_UPDATED],
               counts[AT_UPSERT_UNCHANGED]);
    goto done;
fail:
    status = at_cli_report(&err);
done:
    at_store_close(store);
    at_arena_free(&arena);
    return status;
}

/* ---- the command -------------------------------------------------------------------------- */

static int run(int argc, char **argv);

const at_command at_command_plan = {
    .name = "plan",
    .synopsis = "attain plan check|diff|load|list|show|assign [options] ...",
    .summary = "check, compare, store and assign compensation plans",
    .help = HELP,
    .run = run,
};


static int run(int argc, char **argv)
{
    enum { O_DB = 1, O_REASON, O_ACTOR, O_CANONICAL, O_PERSON, O_PLAN, O_FROM, O_TO, O_TARGET,
           O_CURRENCY, O_MIX, O_ID, O_ROLE };
    static const struct option options[] = {
        {"db", required_argument, NULL, O_DB},
        {"reason", required_argument, NULL, O_REASON},
        {"actor", required_argument, NULL, O_ACTOR},
        {"canonical", no_argument, NULL, O_CANONICAL},
        {"person", required_argument, NULL, O_PERSON},
        {"role", required_argument, NULL, O_ROLE},
        {"plan", required_argument, NULL, O_PLAN},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"target-incentive", required_argument, NULL, O_TARGET},
        {"currency", required_argument, NULL, O_CURRENCY},
        {"pay-mix", required_argument, NULL, O_MIX},
        {"id", required_argument, NULL, O_ID},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *reason = NULL, *actor = NULL;
    bool canonical = false;
    assign_args as = {0};
    optind = 0; /* glibc: start a fresh scan */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case O_DB: db = optarg; break;
        case O_REASON: reason = optarg; break;
        case O_ACTOR: actor = optarg; break;
        case O_CANONICAL: canonical = true; break;
        case O_PERSON: as.person = optarg; break;
        case O_ROLE: as.role = optarg; break;
        case O_PLAN: as.plan = optarg; break;
        case O_FROM: as.from = optarg; break;
        case O_TO: as.to = optarg; break;
        case O_TARGET: as.target = optarg; break;
        case O_CURRENCY: as.currency = optarg; break;
        case O_MIX: as.pay_mix = optarg; break;
        case O_ID: as.id = optarg; break;
        case 'h': at_cli_print_help(&at_command_plan, stdout); return 0;
        default: return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage("say what to do: %s", "check, diff, load, list, show or assign");
    const char *action = argv[optind++];
    char **rest = argv + optind;
    int nrest = argc - optind;
    const char *path = at_cli_db_path(db);
    if (!actor)
        actor = default_actor();
    if (strcmp(action, "check") == 0) {
        if (nrest < 1)
            return usage("%s", "check needs one or more plan files");
        return check(rest, nrest);
    }
    if (strcmp(action, "diff") == 0) {
        if (nrest != 2)
            return usage("%s", "diff needs two plans: files or NAME@VERSION");
        return diff(rest[0], rest[1], path);
    }
    if (strcmp(action, "load") == 0) {
        if (nrest < 1)
            return usage("%s", "load needs one or more plan files");
        return load(rest, nrest, path, actor, reason);
    }
    if (strcmp(action, "list") == 0) {
        if (nrest > 1)
            return usage("unexpected argument '%s'", rest[1]);
        return list(nrest ? rest[0] : NULL, path);
    }
    if (strcmp(action, "show") == 0) {
        if (nrest != 1)
            return usage("%s", "show needs one plan: NAME or NAME@VERSION");
        return show(rest[0], path, canonical);
    }
    if (strcmp(action, "assign") == 0) {
        if (nrest)
            return usage("unexpected argument '%s'", rest[0]);
        return assign(&as, path, actor, reason);
    }
    return usage("unknown action '%s' (use check, diff, load, list, show or assign)", action);
}
