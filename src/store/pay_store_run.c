/* pay_store_run.c - calculation runs in the store: the calc_runs record (begin, finish, latest,
 * get) and saving a result (measure values, lines, payouts, packed credits) in one transaction.
 *
 * Saving is the hot path after the calculation: one prepared INSERT per table, reused for
 * every row, inside one transaction, rows in primary key order (person, month, seq) so that
 * SQLite appends to its b-trees; credits go one BLOB per person and month (see
 * pay_store_credits.c), which is what makes tens of millions of credits a matter of seconds.
 * Results name people and assignments by internal id, months by label, plans by name and
 * version, components and measures by id: a stored run reads back without the arrays it was
 * computed from. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/pay_store.h"
#include "store/pay_store_impl.h"

const char *const at_pay_line_kinds[5] = {"component", "draw", "draw_recovery", "adjustment",
                                          "deferred"};

static bool is_hex64(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

static bool is_month_label(const char *s)
{
    at_period_kind kind;
    int year, number;
    return s && at_period_label_parse(at_str_from(s), &kind, &year, &number, NULL) == AT_OK &&
           kind == AT_PERIOD_MONTH;
}

at_code at_pay_run_get(at_store *s, int64_t run_id, char status[16], char actor[128],
                       at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s, "SELECT status, actor FROM calc_runs WHERE id = ?1", false,
                                   &st, "reading a run", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(actor, 128, "%s", (const char *)sqlite3_column_text(st, 1));
    } else if (r == SQLITE_DONE) {
        rc = at_fail(err, AT_ERR_NOT_FOUND, s->path, "give the id of a run `attain calc` made",
                     "there is no run #%" PRId64, run_id);
    } else {
        rc = at_sqlite_fail(s, r, "reading a run", err);
    }
    sqlite3_finalize(st);
    return rc;
}

at_code at_pay_run_status(at_store *store, int64_t run_id, char status[16], at_error *err)
{
    char actor[128];
    return at_pay_run_get(store, run_id, status, actor, err);
}

static at_code not_running(at_store *s, int64_t run_id, const char *status, at_error *err)
{
    return at_fail(err, AT_ERR_CONFLICT, s->path, "start a new run with `attain calc`",
                   "run #%" PRId64 " is %s: its results can no longer change", run_id, status);
}

/* ---- begin ------------------------------------------------------------------------------- */

at_code at_store_run_begin(at_store *store, const at_store_run_info *info, int64_t *run_id,
                           at_error *err)
{
    *run_id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!info || !info->period || !info->period[0])
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL, "a run needs a period");
    if (!is_month_label(info->first_month) || !is_month_label(info->last_month) ||
        strcmp(info->first_month, info->last_month) > 0)
        return at_fail(err, AT_ERR_INTERNAL, store->path, "give two month labels, first first",
                       "run of %s: '%s'..'%s' are not the months of a run", info->period,
                       info->first_month ? info->first_month : "(none)",
                       info->last_month ? info->last_month : "(none)");
    if (!is_hex64(info->input_sha256))
        return at_fail(err, AT_ERR_INTERNAL, store->path,
                       "pass the input's SHA-256 as 64 lower-case hex digits",
                       "run of %s: the input fingerprint is not a SHA-256", info->period);
    at_text payees, plans, after;
    at_text_init(&payees);
    at_text_init(&plans);
    at_text_init(&after);
    if (info->payee_count) {
        at_text_add(&payees, "[");
        for (size_t i = 0; i < info->payee_count; i++) {
            if (i)
                at_text_add(&payees, ",");
            at_text_json_string(&payees, at_str_from(info->payees[i] ? info->payees[i] : ""));
        }
        at_text_add(&payees, "]");
    }
    at_text_add(&plans, "[");
    for (size_t i = 0; i < info->plan_count; i++) {
        const at_store_plan_version *p = &info->plans[i];
        at_text_add(&plans, i ? ",{\"name\":" : "{\"name\":");
        at_text_json_string(&plans, at_str_from(p->name ? p->name : ""));
        at_text_addf(&plans, ",\"version\":%d,\"sha256\":", p->version);
        at_text_json_string(&plans, at_str_from(p->sha256 ? p->sha256 : ""));
        at_text_add(&plans, "}");
    }
    at_text_add(&plans, "]");
    if (payees.failed || plans.failed)
        rc = at_sqlite_nomem(store, err);
    if (rc == AT_OK)
        rc = at_store_begin(store, info->actor, info->reason, err);
    if (rc != AT_OK) {
        at_text_free(&payees);
        at_text_free(&plans);
        return rc;
    }
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO calc_runs (period, first_month, last_month, payees, "
                           "started_at, status, actor, reason, input_sha256, plan_versions) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8, ?9)",
                           false, &st, "starting a run", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, info->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, info->first_month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, info->last_month, -1, SQLITE_STATIC);
        at_sqlite_bind_text(store, st, 4, info->payee_count ? payees.ptr : NULL, NULL);
        sqlite3_bind_int64(st, 5, store->tx_time);
        sqlite3_bind_text(st, 6, store->actor, -1, SQLITE_STATIC);
        at_sqlite_bind_text(store, st, 7, store->reason, NULL);
        sqlite3_bind_text(st, 8, info->input_sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, plans.ptr, -1, SQLITE_STATIC);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r == SQLITE_DONE)
            *run_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        else
            rc = at_sqlite_fail(store, r, "starting a run", err);
    }
    if (rc == AT_OK) {
        char key[32];
        snprintf(key, sizeof key, "%" PRId64, *run_id);
        at_text_add(&after, "{\"period\":");
        at_text_json_string(&after, at_str_from(info->period));
        at_text_addf(&after, ",\"first_month\":\"%s\",\"last_month\":\"%s\",\"payees\":%s,"
                             "\"input_sha256\":\"%s\",\"plan_versions\":%s}",
                     info->first_month, info->last_month,
                     info->payee_count ? at_text_cstr(&payees) : "null", info->input_sha256,
                     at_text_cstr(&plans));
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_sqlite_write_audit(store, "insert", "calc_runs", at_str_from(key),
                                                  NULL, after.ptr, err);
    }
    at_text_free(&payees);
    at_text_free(&plans);
    at_text_free(&after);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    if (rc != AT_OK)
        *run_id = 0;
    return rc;
}

/* ---- save -------------------------------------------------------------------------------- */

typedef struct saver {
    at_store *store;
    const at_calc_input *in;
    const at_store_calc_data *data;
    int64_t run_id;
    int32_t first, last;        /* months written */
    const uint8_t *wanted;      /* per person: written (NULL: everyone) */
    sqlite3_stmt *measure, *line, *payout, *credit;
    at_error *err;
} saver;

static bool in_scope(const saver *S, int32_t person, int32_t month)
{
    return person >= 0 && (size_t)person < S->in->person_count && month >= S->first &&
           month <= S->last && (!S->wanted || S->wanted[person]);
}

static const char *month_label(const saver *S, int32_t month)
{
    return S->in->calendar->periods[AT_PERIOD_MONTH][month].label;
}

static at_code step(saver *S, sqlite3_stmt *st, const char *doing)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(S->store, r, doing, S->err);
}

static void bind_assignment(saver *S, sqlite3_stmt *st, int col, int32_t assignment)
{
    if (assignment >= 0 && (size_t)assignment < S->data->assignment_count)
        sqlite3_bind_int64(st, col, S->data->assignment_ids[assignment]);
    else
        sqlite3_bind_null(st, col);
}

static at_code save_measures(saver *S, const at_calc_result *res)
{
    const char *doing = "saving measure values";
    int32_t person = -1, month = -1;
    int seq = 0;
    for (size_t i = 0; i < res->measure_count; i++) {
        const at_calc_measure_value *m = &res->measures[i];
        if (!in_scope(S, m->person, m->month))
            continue;
        if (m->person != person || m->month != month) {
            person = m->person;
            month = m->month;
            seq = 0;
        }
        sqlite3_stmt *st = S->measure;
        sqlite3_bind_int64(st, 1, S->run_id);
        sqlite3_bind_int64(st, 2, S->data->person_ids[m->person]);
        sqlite3_bind_text(st, 3, month_label(S, m->month), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, seq++);
        bind_assignment(S, st, 5, m->assignment);
        const at_plan *plan = m->plan;
        sqlite3_bind_text(st, 6, plan && plan->name ? plan->name : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, plan ? plan->version : 0);
        const char *measure = plan && m->measure >= 0 && (size_t)m->measure < plan->measure_count
                                  ? plan->measures[m->measure].id
                                  : "";
        sqlite3_bind_text(st, 8, measure ? measure : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, m->month_value);
        sqlite3_bind_int64(st, 10, m->value);
        sqlite3_bind_int64(st, 11, m->credit_count);
        if (m->has_quota)
            sqlite3_bind_int64(st, 12, m->quota);
        else
            sqlite3_bind_null(st, 12);
        sqlite3_bind_int64(st, 13, m->attainment);
        at_code rc = step(S, st, doing);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

static at_code save_lines(saver *S, const at_calc_result *res)
{
    const char *doing = "saving earnings lines";
    int32_t person = -1, month = -1;
    int seq = 0;
    for (size_t i = 0; i < res->line_count; i++) {
        const at_calc_line *l = &res->lines[i];
        if (!in_scope(S, l->person, l->month))
            continue;
        if (l->person != person || l->month != month) {
            person = l->person;
            month = l->month;
            seq = 0;
        }
        sqlite3_stmt *st = S->line;
        const at_plan *plan = l->plan;
        sqlite3_bind_int64(st, 1, S->run_id);
        sqlite3_bind_int64(st, 2, S->data->person_ids[l->person]);
        sqlite3_bind_text(st, 3, month_label(S, l->month), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, seq++);
        bind_assignment(S, st, 5, l->assignment);
        if (plan) {
            sqlite3_bind_text(st, 6, plan->name, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 7, plan->version);
        } else {
            sqlite3_bind_null(st, 6);
            sqlite3_bind_null(st, 7);
        }
        if (plan && l->component >= 0 && (size_t)l->component < plan->component_count)
            sqlite3_bind_text(st, 8, plan->components[l->component].id, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 8);
        /* an unknown kind binds NULL: the NOT NULL rule fails the save */
        at_sqlite_bind_text(S->store, st, 9, l->kind < 5 ? at_pay_line_kinds[l->kind] : NULL,
                            NULL);
        at_sqlite_bind_text(S->store, st, 10, l->key, NULL);
        sqlite3_bind_int64(st, 11, l->earned_to_date);
        sqlite3_bind_int64(st, 12, l->earned);
        sqlite3_bind_int64(st, 13, l->amount);
        at_calc_currency cur = S->in->people[l->person].pay_currency;
        at_sqlite_bind_text(S->store, st, 14,
                            cur >= 0 && (size_t)cur < S->in->currency_count
                                ? S->in->currencies[cur]
                                : NULL,
                            NULL);
        sqlite3_bind_int64(st, 15, l->fx_rate);
        if (l->adjusts_month >= 0 &&
            (size_t)l->adjusts_month < S->in->calendar->counts[AT_PERIOD_MONTH])
            sqlite3_bind_text(st, 16, month_label(S, l->adjusts_month), -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 16);
        sqlite3_bind_int(st, 17, l->gated ? 1 : 0);
        sqlite3_bind_int(st, 18, l->capped ? 1 : 0);
        at_sqlite_bind_text(S->store, st, 19, l->explain, NULL);
        at_code rc = step(S, st, doing);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

static at_code save_payouts(saver *S, const at_calc_result *res)
{
    const char *doing = "saving payouts";
    for (size_t i = 0; i < res->payout_count; i++) {
        const at_calc_payout *p = &res->payouts[i];
        if (!in_scope(S, p->person, p->month))
            continue;
        sqlite3_stmt *st = S->payout;
        sqlite3_bind_int64(st, 1, S->run_id);
        sqlite3_bind_int64(st, 2, S->data->person_ids[p->person]);
        sqlite3_bind_text(st, 3, month_label(S, p->month), -1, SQLITE_STATIC);
        at_sqlite_bind_text(S->store, st, 4,
                            p->currency >= 0 && (size_t)p->currency < S->in->currency_count
                                ? S->in->currencies[p->currency]
                                : NULL,
                            NULL);
        sqlite3_bind_int64(st, 5, p->earned);
        sqlite3_bind_int64(st, 6, p->amount);
        sqlite3_bind_int64(st, 7, p->earned_ytd);
        sqlite3_bind_int64(st, 8, p->paid_ytd);
        sqlite3_bind_int64(st, 9, p->draw_balance);
        at_code rc = step(S, st, doing);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

/* ---- credits: packed by worker threads, written in order by this one ------------------- */

/* Credits are converted and compressed (most of a save's CPU) by up to PACK_THREADS workers
 * while this thread writes the blobs they finish, in (person, month) order: a ring of
 * PACK_SLOTS slots, group i in slot i % PACK_SLOTS, each slot with its own packer. A worker
 * claims the next group once its slot is free (the group PACK_SLOTS before it is written);
 * the writer, while the group it needs is not ready, packs the next unclaimed group itself (so
 * a save without threads still works, and the writer rarely sleeps). */
#define PACK_THREADS 2
#define PACK_SLOTS 16

typedef struct pack_slot {
    at_pay_packer packer;
    const uint8_t *blob;
    size_t size;
    at_code rc;
    at_error err;
    bool ready;
} pack_slot;

typedef struct packing {
    const saver *S;
    const at_calc_credits *c;
    at_pay_credit_columns columns;
    const size_t *from;         /* group g is credits [from[g], from[g + 1]) when in scope */
    const size_t *to;
    size_t groups;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;                /* the first group nobody claimed */
    size_t written;             /* groups written (slots below are free) */
    bool stop;
    pack_slot *slots;
} packing;

/* Packs group g into its slot (no lock held: the slot is the claimer's). */
static void pack_group(packing *P, size_t g)
{
    pack_slot *slot = &P->slots[g % PACK_SLOTS];
    at_pay_packer_begin(&slot->packer);
    at_code rc = at_pay_packer_add_columns(&slot->packer, &P->columns, P->from[g], P->to[g],
                                           &slot->err);
    if (rc == AT_OK)
        rc = at_pay_packer_finish(&slot->packer, &slot->blob, &slot->size, &slot->err);
    slot->rc = rc;
}

/* Claims the next group if its slot is free: true and *g when one was claimed (lock held). */
static bool claim(packing *P, size_t *g)
{
    if (P->stop || P->next >= P->groups || P->next >= P->written + PACK_SLOTS)
        return false;
    *g = P->next++;
    return true;
}

static void *pack_worker(void *arg)
{
    packing *P = arg;
    pthread_mutex_lock(&P->mu);
    for (;;) {
        size_t g;
        if (!claim(P, &g)) {
            if (P->stop || P->next >= P->groups)
                break;
            pthread_cond_wait(&P->cv, &P->mu);
            continue;
        }
        pthread_mutex_unlock(&P->mu);
        pack_group(P, g);
        pthread_mutex_lock(&P->mu);
        P->slots[g % PACK_SLOTS].ready = true;
        pthread_cond_broadcast(&P->cv);
    }
    pthread_mutex_unlock(&P->mu);
    return NULL;
}

/* The groups (person, month) of the credits in scope. */
static at_code credit_groups(saver *S, const at_calc_credits *c, size_t **from, size_t **to,
                             size_t *count)
{
    size_t n = 0, cap = 0;
    size_t *f = NULL, *t = NULL;
    size_t i = 0;
    while (i < c->count) {
        int32_t p = c->person[i], m = c->month[i];
        size_t j = i + 1;
        while (j < c->count && c->person[j] == p && c->month[j] == m)
            j++;
        if (in_scope(S, p, m)) {
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 256;
                size_t *nf = realloc(f, nc * sizeof *nf);
                if (nf)
                    f = nf;
                size_t *nt = nf ? realloc(t, nc * sizeof *nt) : NULL;
                if (!nt) {
                    free(f);
                    free(t);
                    return at_sqlite_nomem(S->store, S->err);
                }
                t = nt;
                cap = nc;
            }
            f[n] = i;
            t[n] = j;
            n++;
        }
        i = j;
    }
    *from = f;
    *to = t;
    *count = n;
    return AT_OK;
}

/* Writes group g's blob (packed in its slot). */
static at_code write_group(saver *S, const packing *P, size_t g)
{
    const pack_slot *slot = &P->slots[g % PACK_SLOTS];
    const at_calc_credits *c = P->c;
    size_t first = P->from[g];
    if (slot->rc != AT_OK) {
        *S->err = slot->err;
        return slot->rc;
    }
    sqlite3_stmt *st = S->credit;
    sqlite3_bind_int64(st, 1, S->run_id);
    sqlite3_bind_int64(st, 2, S->data->person_ids[c->person[first]]);
    sqlite3_bind_text(st, 3, month_label(S, c->month[first]), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)(P->to[g] - first));
    sqlite3_bind_blob64(st, 5, slot->blob, slot->size, SQLITE_STATIC);
    return step(S, st, "saving credits");
}

/* Starts the workers on S's credits in scope (before the other tables are written, so that
 * packing overlaps them). */
static at_code packing_start(saver *S, const at_calc_credits *c, packing *P,
                             pthread_t *threads, size_t *thread_count)
{
    memset(P, 0, sizeof *P);
    *thread_count = 0;
    P->S = S;
    P->c = c;
    P->columns = (at_pay_credit_columns){
        .transaction = c->transaction, .kind = c->kind, .level = c->level,
        .from_person = c->from_person, .share = c->share, .amount = c->amount,
        .margin = c->margin, .date = c->date, .transaction_ids = S->data->transaction_ids,
        .person_ids = S->data->person_ids, .transaction_count = S->data->transaction_count,
        .person_count = S->data->person_count};
    /* ids 1..n loaded in order (every transaction of the table, the usual case): each credit's
       id is arithmetic, not a read at a random place in a 100 MB array */
    const int64_t *ids = S->data->transaction_ids;
    size_t n = S->data->transaction_count;
    bool dense = n > 0 && ids[0] <= INT64_MAX - (int64_t)n;
    for (size_t i = 1; dense && i < n; i++)
        dense = ids[i] == ids[0] + (int64_t)i;
    if (dense) {
        P->columns.transaction_ids = NULL;
        P->columns.first_transaction_id = ids[0];
    }
    size_t *from = NULL, *to = NULL;
    at_code rc = credit_groups(S, c, &from, &to, &P->groups);
    if (rc != AT_OK)
        return rc;
    P->from = from;
    P->to = to;
    P->slots = calloc(PACK_SLOTS, sizeof *P->slots);
    if (!P->slots) {
        free(from);
        free(to);
        P->from = P->to = NULL;
        return at_sqlite_nomem(S->store, S->err);
    }
    pthread_mutex_init(&P->mu, NULL);
    pthread_cond_init(&P->cv, NULL);
    size_t want = P->groups < PACK_THREADS ? P->groups : PACK_THREADS;
    for (size_t i = 0; i < want; i++) {
        if (pthread_create(&threads[i], NULL, pack_worker, P) != 0)
            break; /* fewer workers: the writer packs what nobody claims */
        (*thread_count)++;
    }
    return AT_OK;
}

/* Writes every group in order (packing those nobody claimed), then stops the workers. */
static at_code packing_write(saver *S, packing *P, pthread_t *threads, size_t thread_count,
                             bool write)
{
    at_code rc = AT_OK;
    for (size_t g = 0; write && rc == AT_OK && g < P->groups; g++) {
        pthread_mutex_lock(&P->mu);
        pack_slot *slot = &P->slots[g % PACK_SLOTS];
        while (!slot->ready) {
            /* rather than wait for a worker (a wake-up can take a time slice on a busy
               machine), pack the next group nobody has claimed, this one or a later one */
            size_t mine;
            if (claim(P, &mine)) {
                pthread_mutex_unlock(&P->mu);
                pack_group(P, mine);
                pthread_mutex_lock(&P->mu);
                P->slots[mine % PACK_SLOTS].ready = true;
                pthread_cond_broadcast(&P->cv);
            } else {
                pthread_cond_wait(&P->cv, &P->mu);
            }
        }
        pthread_mutex_unlock(&P->mu);
        rc = write_group(S, P, g);
        pthread_mutex_lock(&P->mu);
        slot->ready = false;
        P->written = g + 1;
        pthread_cond_broadcast(&P->cv);
        pthread_mutex_unlock(&P->mu);
    }
    pthread_mutex_lock(&P->mu);
    P->stop = true;
    pthread_cond_broadcast(&P->cv);
    pthread_mutex_unlock(&P->mu);
    for (size_t i = 0; i < thread_count; i++)
        pthread_join(threads[i], NULL);
    return rc;
}

static void packing_free(packing *P)
{
    if (P->slots) {
        for (size_t i = 0; i < PACK_SLOTS; i++)
            at_pay_packer_free(&P->slots[i].packer);
        free(P->slots);
        pthread_mutex_destroy(&P->mu);
        pthread_cond_destroy(&P->cv);
    }
    free((void *)P->from);
    free((void *)P->to);
    memset(P, 0, sizeof *P);
}

static at_code prepare_savers(saver *S)
{
    at_store *s = S->store;
    const char *doing = "preparing to save a run";
    at_code rc = at_sqlite_prepare(
        s,
        "INSERT INTO calc_measures (run_id, person_id, month, seq, assignment_id, plan, "
        "plan_version, measure, month_value, value, credit_count, quota, attainment) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        false, &S->measure, doing, S->err);
    if (rc == AT_OK)
        rc = at_sqlite_prepare(
            s,
            "INSERT INTO calc_lines (run_id, person_id, month, seq, assignment_id, plan, "
            "plan_version, component, kind, line_key, earned_to_date, earned, amount, currency, "
            "fx_rate, adjusts_month, gated, capped, explain) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            false, &S->line, doing, S->err);
    if (rc == AT_OK)
        rc = at_sqlite_prepare(s,
                               "INSERT INTO calc_payouts (run_id, person_id, month, currency, "
                               "earned, amount, earned_ytd, paid_ytd, draw_balance) VALUES (?1, "
                               "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                               false, &S->payout, doing, S->err);
    if (rc == AT_OK)
        rc = at_sqlite_prepare(s,
                               "INSERT INTO calc_credits (run_id, person_id, month, count, "
                               "credits) VALUES (?1, ?2, ?3, ?4, ?5)",
                               false, &S->credit, doing, S->err);
    return rc;
}

at_code at_store_run_save(at_store *store, int64_t run_id, const at_calc_input *input,
                          const at_store_calc_data *data, const at_calc_result *result,
                          const at_store_run_scope *scope, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!input || !data || !result || !input->calendar ||
        data->person_count != input->person_count ||
        data->transaction_count != input->transactions.count)
        return at_fail(err, AT_ERR_INTERNAL, store->path,
                       "save a result with the input and data at_store_calc_load made",
                       "run #%" PRId64 ": the result's input does not match its data", run_id);
    size_t months = input->calendar->counts[AT_PERIOD_MONTH];
    saver S = {.store = store, .in = input, .data = data, .run_id = run_id, .err = err};
    S.first = scope ? scope->first_month : input->first_month;
    S.last = scope ? scope->last_month : input->last_month;
    if (S.first < 0 || S.last < S.first || (size_t)S.last >= months)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "run #%" PRId64 ": months %d..%d are not in the calendar", run_id,
                       (int)S.first, (int)S.last);
    uint8_t *wanted = NULL;
    if (scope && scope->people) {
        wanted = calloc(input->person_count ? input->person_count : 1, 1);
        if (!wanted)
            return at_sqlite_nomem(store, err);
        for (size_t i = 0; i < scope->person_count; i++)
            if (scope->people[i] >= 0 && (size_t)scope->people[i] < input->person_count)
                wanted[scope->people[i]] = 1;
        S.wanted = wanted;
    }
    char status[16] = "", actor[128] = "";
    rc = at_pay_run_get(store, run_id, status, actor, err);
    if (rc == AT_OK && strcmp(status, "running") != 0)
        rc = not_running(store, run_id, status, err);
    if (rc == AT_OK)
        rc = at_store_begin(store, actor, NULL, err);
    if (rc != AT_OK) {
        free(wanted);
        return rc;
    }
    rc = prepare_savers(&S);
    packing P = {0};
    pthread_t threads[PACK_THREADS];
    size_t thread_count = 0;
    bool packing_started = false;
    if (rc == AT_OK) {
        rc = packing_start(&S, &result->credits, &P, threads, &thread_count);
        packing_started = rc == AT_OK;
    }
    if (rc == AT_OK)
        rc = save_measures(&S, result);
    if (rc == AT_OK)
        rc = save_lines(&S, result);
    if (rc == AT_OK)
        rc = save_payouts(&S, result);
    if (packing_started) {
        at_code wrc = packing_write(&S, &P, threads, thread_count, rc == AT_OK);
        if (rc == AT_OK)
            rc = wrc;
    }
    packing_free(&P);
    sqlite3_finalize(S.measure);
    sqlite3_finalize(S.line);
    sqlite3_finalize(S.payout);
    sqlite3_finalize(S.credit);
    free(wanted);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    return rc;
}

/* ---- carrying results over --------------------------------------------------------------- */

static const char *const carry_sql[] = {
    "INSERT INTO calc_measures (run_id, person_id, month, seq, assignment_id, plan, "
    "plan_version, measure, month_value, value, credit_count, quota, attainment) SELECT ?1, "
    "person_id, month, seq, assignment_id, plan, plan_version, measure, month_value, value, "
    "credit_count, quota, attainment FROM calc_measures WHERE run_id = ?2 AND month BETWEEN ?3 "
    "AND ?4 AND person_id NOT IN (SELECT value FROM json_each(?5))",
    "INSERT INTO calc_lines (run_id, person_id, month, seq, assignment_id, plan, plan_version, "
    "component, kind, line_key, earned_to_date, earned, amount, currency, fx_rate, "
    "adjusts_month, gated, capped, explain) SELECT ?1, person_id, month, seq, assignment_id, "
    "plan, plan_version, component, kind, line_key, earned_to_date, earned, amount, currency, "
    "fx_rate, adjusts_month, gated, capped, explain FROM calc_lines WHERE run_id = ?2 AND month "
    "BETWEEN ?3 AND ?4 AND person_id NOT IN (SELECT value FROM json_each(?5))",
    "INSERT INTO calc_payouts (run_id, person_id, month, currency, earned, amount, earned_ytd, "
    "paid_ytd, draw_balance) SELECT ?1, person_id, month, currency, earned, amount, earned_ytd, "
    "paid_ytd, draw_balance FROM calc_payouts WHERE run_id = ?2 AND month BETWEEN ?3 AND ?4 AND "
    "person_id NOT IN (SELECT value FROM json_each(?5))",
    "INSERT INTO calc_credits (run_id, person_id, month, count, credits) SELECT ?1, person_id, "
    "month, count, credits FROM calc_credits WHERE run_id = ?2 AND month BETWEEN ?3 AND ?4 AND "
    "person_id NOT IN (SELECT value FROM json_each(?5))",
};

at_code at_store_run_carry(at_store *store, int64_t run_id, int64_t from_run,
                           const char *first_month, const char *last_month,
                           const int64_t *except_people, size_t except_count, int64_t *rows,
                           at_error *err)
{
    if (rows)
        *rows = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!is_month_label(first_month) || !is_month_label(last_month) ||
        strcmp(first_month, last_month) > 0)
        return at_fail(err, AT_ERR_INTERNAL, store->path, "give two month labels, first first",
                       "carrying run #%" PRId64 " over: '%s'..'%s' are not months", from_run,
                       first_month ? first_month : "(none)", last_month ? last_month : "(none)");
    char status[16] = "", actor[128] = "", from_status[16] = "", from_actor[128] = "";
    rc = at_pay_run_get(store, run_id, status, actor, err);
    if (rc == AT_OK && strcmp(status, "running") != 0)
        rc = not_running(store, run_id, status, err);
    if (rc == AT_OK)
        rc = at_pay_run_get(store, from_run, from_status, from_actor, err);
    if (rc == AT_OK && strcmp(from_status, "done") != 0)
        rc = at_fail(err, AT_ERR_CONFLICT, store->path, "carry over the results of a done run",
                     "run #%" PRId64 " is %s: its results are not to be carried over", from_run,
                     from_status);
    if (rc != AT_OK)
        return rc;
    at_text except;
    at_text_init(&except);
    at_text_add(&except, "[");
    for (size_t i = 0; i < except_count; i++)
        at_text_addf(&except, "%s%" PRId64, i ? "," : "", except_people[i]);
    at_text_add(&except, "]");
    if (except.failed) {
        at_text_free(&except);
        return at_sqlite_nomem(store, err);
    }
    rc = at_store_begin(store, actor, NULL, err);
    int64_t copied = 0;
    for (size_t i = 0; rc == AT_OK && i < sizeof carry_sql / sizeof carry_sql[0]; i++) {
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store, carry_sql[i], false, &st, "carrying results over", err);
        if (rc != AT_OK)
            break;
        sqlite3_bind_int64(st, 1, run_id);
        sqlite3_bind_int64(st, 2, from_run);
        sqlite3_bind_text(st, 3, first_month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, last_month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, except.ptr, -1, SQLITE_STATIC);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "carrying results over", err);
        else
            copied += sqlite3_changes64(BACKEND(store)->db);
    }
    at_text_free(&except);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else if (at_store_in_transaction(store))
        at_store_rollback(store, NULL);
    if (rc == AT_OK && rows)
        *rows = copied;
    return rc;
}

/* ---- finish ------------------------------------------------------------------------------ */

at_code at_store_run_finish(at_store *store, int64_t run_id, bool ok, const char *message,
                            const at_store_run_stats *stats, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    char status[16] = "", actor[128] = "";
    rc = at_pay_run_get(store, run_id, status, actor, err);
    if (rc == AT_OK && strcmp(status, "running") != 0)
        rc = not_running(store, run_id, status, err);
    if (rc != AT_OK)
        return rc;
    at_store_run_stats none = {0};
    if (!stats)
        stats = &none;
    at_text seconds, after;
    at_text_init(&seconds);
    at_text_init(&after);
    at_text_add(&seconds, "{");
    for (size_t i = 0; i < stats->phase_count; i++) {
        if (i)
            at_text_add(&seconds, ",");
        at_text_json_string(&seconds, at_str_from(stats->phases[i].name ? stats->phases[i].name
                                                                         : ""));
        double v = stats->phases[i].seconds;
        at_text_addf(&seconds, ":%.3f", v >= 0 && v < 1e12 ? v : 0.0);
    }
    at_text_add(&seconds, "}");
    const char *new_status = ok ? "done" : "failed";
    at_text_addf(&after,
                 "{\"status\":\"%s\",\"people\":%" PRId64 ",\"transactions\":%" PRId64
                 ",\"credits\":%" PRId64 ",\"lines\":%" PRId64 ",\"seconds\":%s,\"message\":",
                 new_status, stats->people, stats->transactions, stats->credits, stats->lines,
                 at_text_cstr(&seconds));
    if (message)
        at_text_json_string(&after, at_str_from(message));
    else
        at_text_add(&after, "null");
    at_text_add(&after, "}");
    if (seconds.failed || after.failed)
        rc = at_sqlite_nomem(store, err);
    if (rc == AT_OK)
        rc = at_store_begin(store, actor, NULL, err);
    if (rc != AT_OK) {
        at_text_free(&seconds);
        at_text_free(&after);
        return rc;
    }
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "UPDATE calc_runs SET finished_at = ?1, status = ?2, people = ?3, "
                           "transactions = ?4, credits = ?5, lines = ?6, seconds = ?7, "
                           "message = ?8 WHERE id = ?9 AND status = 'running'",
                           false, &st, "finishing a run", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
        sqlite3_bind_text(st, 2, new_status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, stats->people);
        sqlite3_bind_int64(st, 4, stats->transactions);
        sqlite3_bind_int64(st, 5, stats->credits);
        sqlite3_bind_int64(st, 6, stats->lines);
        sqlite3_bind_text(st, 7, seconds.ptr, -1, SQLITE_STATIC);
        at_sqlite_bind_text(store, st, 8, message, NULL);
        sqlite3_bind_int64(st, 9, run_id);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "finishing a run", err);
    }
    if (rc == AT_OK) {
        char key[32];
        snprintf(key, sizeof key, "%" PRId64, run_id);
        rc = at_sqlite_write_audit(store, "update", "calc_runs", at_str_from(key),
                                   "{\"status\":\"running\"}", after.ptr, err);
    }
    at_text_free(&seconds);
    at_text_free(&after);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    return rc;
}

/* ---- reading runs ------------------------------------------------------------------------ */

at_code at_store_run_latest(at_store *store, const char *month, const char *person,
                            int64_t *run_id, bool *found, at_error *err)
{
    *run_id = 0;
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!is_month_label(month))
        return at_fail(err, AT_ERR_INVALID, store->path, "give a month such as 2026-03",
                       "'%s' is not a month", month ? month : "(none)");
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT id FROM calc_runs WHERE status = 'done' AND first_month <= ?1 "
                           "AND last_month >= ?1 AND (payees IS NULL OR (?2 IS NOT NULL AND "
                           "EXISTS (SELECT 1 FROM json_each(payees) WHERE value = ?2))) ORDER BY "
                           "id DESC LIMIT 1",
                           false, &st, "finding the latest run", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
    at_sqlite_bind_text(store, st, 2, person, NULL);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *run_id = sqlite3_column_int64(st, 0);
        *found = true;
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "finding the latest run", err);
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *dup_column(at_arena *arena, sqlite3_stmt *st, int col, bool *failed)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    char *p = at_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
    if (!p)
        *failed = true;
    return p;
}

at_code at_store_run_get(at_store *store, int64_t run_id, at_arena *arena,
                         at_store_run_record *out, bool *found, at_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT id, period, first_month, last_month, payees, started_at, "
                           "finished_at, status, actor, reason, input_sha256, plan_versions, "
                           "seconds, message, people, transactions, credits, lines FROM "
                           "calc_runs WHERE id = ?1",
                           false, &st, "reading a run", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        bool failed = false;
        out->id = sqlite3_column_int64(st, 0);
        out->period = dup_column(arena, st, 1, &failed);
        out->first_month = dup_column(arena, st, 2, &failed);
        out->last_month = dup_column(arena, st, 3, &failed);
        out->payees = dup_column(arena, st, 4, &failed);
        out->started_at = sqlite3_column_int64(st, 5);
        out->finished_at = sqlite3_column_int64(st, 6);
        out->status = dup_column(arena, st, 7, &failed);
        out->actor = dup_column(arena, st, 8, &failed);
        out->reason = dup_column(arena, st, 9, &failed);
        out->input_sha256 = dup_column(arena, st, 10, &failed);
        out->plan_versions = dup_column(arena, st, 11, &failed);
        out->seconds = dup_column(arena, st, 12, &failed);
        out->message = dup_column(arena, st, 13, &failed);
        out->people = sqlite3_column_int64(st, 14);
        out->transactions = sqlite3_column_int64(st, 15);
        out->credits = sqlite3_column_int64(st, 16);
        out->lines = sqlite3_column_int64(st, 17);
        if (failed) {
            rc = at_sqlite_nomem(store, err);
            memset(out, 0, sizeof *out);
        } else {
            *found = true;
        }
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading a run", err);
    }
    sqlite3_finalize(st);
    return rc;
}
