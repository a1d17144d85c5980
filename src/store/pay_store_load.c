/* pay_store_load.c - the engine's input read from the store (at_store_calc_load): every table
 * the calculation needs, turned into the dense arrays of calc/calc.h in one read transaction.
 *
 * Speed matters (size M is tens of millions of transactions): one prepared statement per
 * table, values read with sqlite3_column_int64, no allocation per row (columns grow by
 * doubling or are sized up front, external ids go into a string pool in the arena, repeated
 * strings such as currencies, measures and plan names are interned), internal ids turned into
 * dense indexes through direct tables (ids are rowids, nearly contiguous) or, when they are
 * sparse, a hash table. Transactions are read in id order: by a full scan when the days asked
 * cover most of the table's dates (reading in rowid order beats jumping through the date index
 * for every row), else through the date index. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/currency.h"
#include "store/pay_store.h"
#include "store/pay_store_impl.h"

/* ---- internal id -> dense index --------------------------------------------------------- */

typedef struct idmap {
    int64_t base;      /* direct: the smallest id */
    size_t span;       /* direct: ids base..base+span-1 */
    int32_t *direct;   /* -1 for ids not loaded */
    int64_t *keys;     /* hash: 0 = empty slot (internal ids are >= 1) */
    int32_t *vals;
    size_t mask;
} idmap;

static void idmap_free(idmap *m)
{
    free(m->direct);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(x ^ (x >> 29));
}

/* Builds the map of ids[0..n) -> 0..n-1 (ids unique, >= 1). */
static bool idmap_build(idmap *m, const int64_t *ids, size_t n)
{
    memset(m, 0, sizeof *m);
    if (n == 0)
        return true;
    int64_t lo = ids[0], hi = ids[0];
    for (size_t i = 1; i < n; i++) {
        lo = ids[i] < lo ? ids[i] : lo;
        hi = ids[i] > hi ? ids[i] : hi;
    }
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span <= 4 * (uint64_t)n + 1024) {
        m->base = lo;
        m->span = (size_t)span;
        m->direct = malloc(m->span * sizeof *m->direct);
        if (!m->direct)
            return false;
        memset(m->direct, 0xff, m->span * sizeof *m->direct);
        for (size_t i = 0; i < n; i++)
            m->direct[ids[i] - lo] = (int32_t)i;
        return true;
    }
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = malloc(cap * sizeof *m->vals);
    if (!m->keys || !m->vals)
        return false;
    m->mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash_id(ids[i]) & m->mask;
        while (m->keys[h] && m->keys[h] != ids[i])
            h = (h + 1) & m->mask;
        m->keys[h] = ids[i];
        m->vals[h] = (int32_t)i;
    }
    return true;
}

static int32_t idmap_get(const idmap *m, int64_t id)
{
    if (m->direct) {
        uint64_t off = (uint64_t)id - (uint64_t)m->base;
        return off < m->span ? m->direct[off] : -1;
    }
    if (!m->keys)
        return -1;
    size_t h = hash_id(id) & m->mask;
    while (m->keys[h]) {
        if (m->keys[h] == id)
            return m->vals[h];
        h = (h + 1) & m->mask;
    }
    return -1;
}

/* What data->index points at: the maps and the columns data owns. */
typedef struct load_index {
    idmap people, transactions;
    void *owned[64];
    size_t owned_count;
} load_index;

static bool own(load_index *x, void *p)
{
    if (!p)
        return false;
    if (x->owned_count == sizeof x->owned / sizeof x->owned[0]) {
        free(p);
        return false;
    }
    x->owned[x->owned_count++] = p;
    return true;
}

/* Hands a column to data (or frees it when the load failed): false when memory ran out. */
static bool keep(load_index *x, void *p, bool failed)
{
    if (failed) {
        free(p);
        return false;
    }
    return !p || own(x, p);
}

void at_store_calc_data_free(at_store_calc_data *data)
{
    if (!data)
        return;
    load_index *x = data->index;
    if (x) {
        idmap_free(&x->people);
        idmap_free(&x->transactions);
        for (size_t i = 0; i < x->owned_count; i++)
            free(x->owned[i]);
        free(x);
    }
    at_fiscal_table_free(&data->calendar);
    at_fx_free(&data->fx);
    memset(data, 0, sizeof *data);
}

int32_t at_store_calc_person_index(const at_store_calc_data *data, int64_t person_id)
{
    const load_index *x = data ? data->index : NULL;
    return x ? idmap_get(&x->people, person_id) : -1;
}

int32_t at_store_calc_transaction_index(const at_store_calc_data *data, int64_t transaction_id)
{
    const load_index *x = data ? data->index : NULL;
    return x ? idmap_get(&x->transactions, transaction_id) : -1;
}

/* ---- the loader's state ------------------------------------------------------------------- */

typedef struct interned {
    const char *text;
    size_t len;
    uint64_t hash;
} interned;

typedef struct loader {
    at_store *store;
    at_arena *arena;
    at_error *err;
    at_store_calc_data *data;
    load_index *x;
    /* string pool for external ids: unaligned, in 1 MiB pieces of the arena */
    char *pool;
    size_t pool_left;
    /* interned strings */
    interned *set;
    size_t set_mask, set_count;
    /* currencies seen, as packed codes; sorted and remapped at the end */
    uint32_t codes[512];
    size_t code_count;
    int last_code;
    /* dense maps of the small tables */
    idmap products, accounts, territories, assignments;
} loader;

static at_code nomem(loader *L)
{
    return at_fail(L->err, AT_ERR_NOMEM, L->store->path, NULL,
                   "out of memory loading the calculation's data");
}

static const char *pool_copy(loader *L, const unsigned char *text, size_t len)
{
    if (!text)
        return NULL;
    if (len + 1 > L->pool_left) {
        size_t want = len + 1 > (1u << 20) ? len + 1 : (1u << 20);
        L->pool = at_arena_alloc(L->arena, want);
        if (!L->pool)
            return NULL;
        L->pool_left = want;
    }
    char *p = L->pool;
    memcpy(p, text, len);
    p[len] = '\0';
    L->pool += len + 1;
    L->pool_left -= len + 1;
    return p;
}

static uint64_t hash_text(const unsigned char *s, size_t n)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * UINT64_C(1099511628211);
    return h;
}

/* One arena copy per distinct string. NULL text: NULL. */
static const char *intern(loader *L, const unsigned char *text, size_t len, bool *failed)
{
    if (!text)
        return NULL;
    if (2 * (L->set_count + 1) > L->set_mask + 1) {
        size_t cap = L->set_mask ? 2 * (L->set_mask + 1) : 256;
        interned *set = calloc(cap, sizeof *set);
        if (!set) {
            *failed = true;
            return NULL;
        }
        for (size_t i = 0; L->set_mask && i <= L->set_mask; i++) {
            if (!L->set[i].text)
                continue;
            size_t h = L->set[i].hash & (cap - 1);
            while (set[h].text)
                h = (h + 1) & (cap - 1);
            set[h] = L->set[i];
        }
        free(L->set);
        L->set = set;
        L->set_mask = cap - 1;
    }
    uint64_t hash = hash_text(text, len);
    size_t h = hash & L->set_mask;
    while (L->set[h].text) {
        if (L->set[h].hash == hash && L->set[h].len == len &&
            memcmp(L->set[h].text, text, len) == 0)
            return L->set[h].text;
        h = (h + 1) & L->set_mask;
    }
    const char *copy = pool_copy(L, text, len);
    if (!copy) {
        *failed = true;
        return NULL;
    }
    L->set[h] = (interned){copy, len, hash};
    L->set_count++;
    return copy;
}

static const char *column_intern(loader *L, sqlite3_stmt *st, int col, bool *failed)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return intern(L, t, (size_t)sqlite3_column_bytes(st, col), failed);
}

static const char *column_copy(loader *L, sqlite3_stmt *st, int col, bool *failed)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    const char *p = pool_copy(L, t, (size_t)sqlite3_column_bytes(st, col));
    if (!p)
        *failed = true;
    return p;
}

/* The currency of a column as an index into the codes seen so far (-1 for NULL). The indexes
 * are provisional until finish_currencies sorts the codes. */
static int currency_of(loader *L, sqlite3_stmt *st, int col, bool *bad)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return -1;
    if (sqlite3_column_bytes(st, col) != 3) {
        *bad = true;
        return -1;
    }
    uint32_t code = (uint32_t)t[0] << 16 | (uint32_t)t[1] << 8 | t[2];
    if (L->last_code >= 0 && L->codes[L->last_code] == code)
        return L->last_code;
    for (size_t i = 0; i < L->code_count; i++)
        if (L->codes[i] == code)
            return L->last_code = (int)i;
    if (L->code_count == sizeof L->codes / sizeof L->codes[0]) {
        *bad = true;
        return -1;
    }
    L->codes[L->code_count] = code;
    return L->last_code = (int)L->code_count++;
}

static at_code bad_currency(loader *L, const char *table)
{
    return at_fail(L->err, AT_ERR_STORE, L->store->path,
                   "run `attain db check`; import the rows again",
                   "%s holds a currency that is not a 3-letter code", table);
}

static at_code step_fail(loader *L, int r, const char *doing)
{
    return at_sqlite_fail(L->store, r, doing, L->err);
}

static at_code prepare(loader *L, const char *sql, sqlite3_stmt **st, const char *doing)
{
    return at_sqlite_prepare(L->store, sql, false, st, doing, L->err);
}

/* A growable array in malloc, owned by data when kept. */
static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static at_day day_or(sqlite3_stmt *st, int col, at_day dflt)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? dflt
                                                       : (at_day)sqlite3_column_int64(st, col);
}

/* ---- small tables ------------------------------------------------------------------------- */

/* Reads "SELECT id FROM table ORDER BY id" into an arena array and a map. */
static at_code load_ids(loader *L, const char *sql, const char *doing, const int64_t **out,
                        size_t *count, idmap *map)
{
    sqlite3_stmt *st;
    at_code rc = prepare(L, sql, &st, doing);
    if (rc != AT_OK)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grow((void **)&ids, &cap, n + 1, sizeof *ids)) {
            r = SQLITE_NOMEM;
            break;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE) {
        free(ids);
        return r == SQLITE_NOMEM ? nomem(L) : step_fail(L, r, doing);
    }
    int64_t *copy = at_arena_alloc(L->arena, (n ? n : 1) * sizeof *copy);
    if (!copy || !idmap_build(map, ids, n)) {
        free(ids);
        return nomem(L);
    }
    if (n)
        memcpy(copy, ids, n * sizeof *copy);
    free(ids);
    *out = copy;
    *count = n;
    return AT_OK;
}

static at_code load_people(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading people";
    at_code rc = prepare(L,
                         "SELECT id, ext_id, name, hire_date, exit_date, pay_currency FROM people "
                         "ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_person *people = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, cap2 = 0;
    bool failed = false, bad = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grow((void **)&people, &cap, n + 1, sizeof *people) ||
            !grow((void **)&ids, &cap2, n + 1, sizeof *ids)) {
            failed = true;
            break;
        }
        ids[n] = sqlite3_column_int64(st, 0);
        at_calc_person *p = &people[n++];
        p->id = column_copy(L, st, 1, &failed);
        p->name = column_copy(L, st, 2, &failed);
        p->hire = day_or(st, 3, AT_DAY_MIN);
        p->exit = day_or(st, 4, AT_DAY_MAX);
        p->pay_currency = (at_calc_currency)currency_of(L, st, 5, &bad);
    }
    sqlite3_finalize(st);
    if (!failed && !bad && r == SQLITE_DONE) {
        at_calc_person *a = at_arena_alloc(L->arena, (n ? n : 1) * sizeof *a);
        int64_t *b = at_arena_alloc(L->arena, (n ? n : 1) * sizeof *b);
        if (a && b && idmap_build(&L->x->people, ids, n)) {
            if (n) {
                memcpy(a, people, n * sizeof *a);
                memcpy(b, ids, n * sizeof *b);
            }
            in->people = a;
            in->person_count = n;
            L->data->person_ids = b;
            L->data->person_count = n;
        } else {
            failed = true;
        }
    }
    free(people);
    free(ids);
    if (bad)
        return bad_currency(L, "people");
    if (failed)
        return nomem(L);
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_reporting(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading reporting lines";
    at_code rc = prepare(L,
                         "SELECT person_id, manager_id, start_date, end_date FROM reporting_lines "
                         "ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_reporting_line *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 0));
        int32_t m = idmap_get(&L->x->people, sqlite3_column_int64(st, 1));
        if (p < 0 || m < 0)
            continue; /* a reference the foreign keys would have refused */
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        v[n++] = (at_calc_reporting_line){p, m, day_or(st, 2, AT_DAY_MIN), day_or(st, 3, AT_DAY_MAX)};
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->reporting_lines = v;
    in->reporting_line_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_leaves(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading leaves";
    /* leave_start sorts before leave_end on the same day (DESC): a one-day leave */
    at_code rc = prepare(L,
                         "SELECT person_id, type, date FROM employment_events WHERE type IN "
                         "('leave_start', 'leave_end') ORDER BY person_id, date, type DESC, id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_leave *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int64_t open_person = 0;
    bool open = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t person = sqlite3_column_int64(st, 0);
        const unsigned char *type = sqlite3_column_text(st, 1);
        at_day date = (at_day)sqlite3_column_int64(st, 2);
        int32_t p = idmap_get(&L->x->people, person);
        if (p < 0 || !type)
            continue;
        if (open && person != open_person)
            open = false; /* the previous person's leave stays open: AT_DAY_MAX */
        bool start = strcmp((const char *)type, "leave_start") == 0;
        if (start && !open) {
            if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
                failed = true;
                break;
            }
            v[n++] = (at_calc_leave){p, date, AT_DAY_MAX};
            open = true;
            open_person = person;
        } else if (!start && open) {
            v[n - 1].end = date;
            open = false;
        }
        /* a second start while on leave, or an end without a start: nothing to do */
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->leaves = v;
    in->leave_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_products(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading products";
    at_code rc = prepare(L, "SELECT id, ext_id, family FROM products ORDER BY id", &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_product *v = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, cap2 = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grow((void **)&v, &cap, n + 1, sizeof *v) ||
            !grow((void **)&ids, &cap2, n + 1, sizeof *ids)) {
            failed = true;
            break;
        }
        ids[n] = sqlite3_column_int64(st, 0);
        v[n].id = column_copy(L, st, 1, &failed);
        v[n].family = column_intern(L, st, 2, &failed);
        n++;
    }
    sqlite3_finalize(st);
    bool kept = keep(L->x, v, failed);
    kept = keep(L->x, ids, !kept) && idmap_build(&L->products, ids, n);
    if (!kept)
        return nomem(L);
    in->products = v;
    in->product_count = n;
    L->data->product_ids = ids;
    L->data->product_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_territory_coverage(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading territory accounts";
    at_code rc = prepare(L,
                         "SELECT territory_id, account_id, start_date, end_date FROM "
                         "territory_accounts ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_territory_account *ta = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t t = idmap_get(&L->territories, sqlite3_column_int64(st, 0));
        int32_t a = idmap_get(&L->accounts, sqlite3_column_int64(st, 1));
        if (t < 0 || a < 0)
            continue;
        if (!grow((void **)&ta, &cap, n + 1, sizeof *ta)) {
            failed = true;
            break;
        }
        ta[n++] = (at_calc_territory_account){t, a, day_or(st, 2, AT_DAY_MIN),
                                              day_or(st, 3, AT_DAY_MAX)};
    }
    sqlite3_finalize(st);
    if (!keep(L->x, ta, failed))
        return nomem(L);
    if (r != SQLITE_DONE)
        return step_fail(L, r, doing);
    in->territory_accounts = ta;
    in->territory_account_count = n;

    doing = "loading territory people";
    rc = prepare(L,
                 "SELECT territory_id, person_id, role, start_date, end_date FROM "
                 "territory_people ORDER BY id",
                 &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_territory_person *tp = NULL;
    n = cap = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t t = idmap_get(&L->territories, sqlite3_column_int64(st, 0));
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 1));
        const unsigned char *role = sqlite3_column_text(st, 2);
        if (t < 0 || p < 0 || !role)
            continue;
        uint8_t rl = role[0] == 'o' && role[1] == 'w'   ? AT_COVER_OWNER
                     : role[0] == 'o'                   ? AT_COVER_OVERLAY
                                                        : AT_COVER_MANAGER;
        if (!grow((void **)&tp, &cap, n + 1, sizeof *tp)) {
            failed = true;
            break;
        }
        tp[n++] = (at_calc_territory_person){t, p, rl, day_or(st, 3, AT_DAY_MIN),
                                             day_or(st, 4, AT_DAY_MAX)};
    }
    sqlite3_finalize(st);
    if (!keep(L->x, tp, failed))
        return nomem(L);
    in->territory_people = tp;
    in->territory_person_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code bad_period(loader *L, const char *table, const unsigned char *label)
{
    return at_fail(L->err, AT_ERR_STORE, L->store->path,
                   "run `attain db check`; import the rows again",
                   "%s holds '%s', which is not a fiscal period", table,
                   label ? (const char *)label : "(null)");
}

static at_code load_quotas(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading quotas";
    at_code rc = prepare(L,
                         "SELECT person_id, measure, period, amount, currency FROM quotas WHERE "
                         "person_id IS NOT NULL ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_quota *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false, bad = false;
    const unsigned char *bad_label = NULL;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 0));
        if (p < 0)
            continue;
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        at_calc_quota *q = &v[n];
        const unsigned char *label = sqlite3_column_text(st, 2);
        if (!label || at_period_label_parse(at_str_make((const char *)label,
                                                        (size_t)sqlite3_column_bytes(st, 2)),
                                            &q->kind, &q->fiscal_year, &q->number,
                                            NULL) != AT_OK) {
            bad_label = label;
            r = SQLITE_ERROR;
            break;
        }
        q->person = p;
        q->measure = column_intern(L, st, 1, &failed);
        q->amount = sqlite3_column_int64(st, 3);
        q->currency = (at_calc_currency)currency_of(L, st, 4, &bad);
        n++;
    }
    if (r == SQLITE_ERROR && !failed) {
        rc = bad_period(L, "quotas", bad_label);
        sqlite3_finalize(st);
        free(v);
        return rc;
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    if (bad)
        return bad_currency(L, "quotas");
    in->quotas = v;
    in->quota_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_assignments(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading plan assignments";
    at_code rc = prepare(L,
                         "SELECT id, ext_id, person_id, plan, start_date, end_date, "
                         "target_incentive, currency FROM plan_assignments ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_assignment *v = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0, cap2 = 0;
    bool failed = false, bad = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 2));
        if (p < 0)
            continue;
        if (!grow((void **)&v, &cap, n + 1, sizeof *v) ||
            !grow((void **)&ids, &cap2, n + 1, sizeof *ids)) {
            failed = true;
            break;
        }
        ids[n] = sqlite3_column_int64(st, 0);
        at_calc_assignment *a = &v[n++];
        a->id = column_copy(L, st, 1, &failed);
        a->person = p;
        a->plan = column_intern(L, st, 3, &failed);
        a->start = day_or(st, 4, AT_DAY_MIN);
        a->end = day_or(st, 5, AT_DAY_MAX);
        a->target_incentive = sqlite3_column_int64(st, 6);
        a->currency = (at_calc_currency)currency_of(L, st, 7, &bad);
    }
    sqlite3_finalize(st);
    bool kept = keep(L->x, v, failed);
    kept = keep(L->x, ids, !kept) && idmap_build(&L->assignments, ids, n);
    if (!kept)
        return nomem(L);
    if (bad)
        return bad_currency(L, "plan_assignments");
    in->assignments = v;
    in->assignment_count = n;
    L->data->assignment_ids = ids;
    L->data->assignment_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static at_code load_metrics(loader *L, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading metrics";
    at_code rc = prepare(L, "SELECT person_id, metric, period, value FROM metrics ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_calc_metric *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    const unsigned char *bad_label = NULL;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 0));
        if (p < 0)
            continue;
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        at_calc_metric *m = &v[n];
        const unsigned char *label = sqlite3_column_text(st, 2);
        if (!label || at_period_label_parse(at_str_make((const char *)label,
                                                        (size_t)sqlite3_column_bytes(st, 2)),
                                            &m->kind, &m->fiscal_year, &m->number,
                                            NULL) != AT_OK) {
            bad_label = label;
            r = SQLITE_ERROR;
            break;
        }
        m->person = p;
        m->metric = column_intern(L, st, 1, &failed);
        m->value = sqlite3_column_int64(st, 3);
        n++;
    }
    if (r == SQLITE_ERROR && !failed) {
        rc = bad_period(L, "metrics", bad_label);
        sqlite3_finalize(st);
        free(v);
        return rc;
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->metrics = v;
    in->metric_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

/* How to read the activities of [t0, t1] in id order. One pass over the time index (which holds
 * the ids) tells how many there are and their smallest and largest id. Activities are imported
 * roughly in time order, so when the ids are one dense range, reading that range of rowids is
 * several times faster than a lookup per row through the index plus a sort by id; so is a scan
 * of the whole table when the rows asked are at least an eighth of it. */
static at_code activity_plan(loader *L, int64_t t0, int64_t t1, int64_t *lo, int64_t *hi,
                             int64_t *rows, bool *by_id)
{
    sqlite3_stmt *st;
    const char *doing = "loading activities";
    at_code rc = prepare(L,
                         "SELECT min(id), max(id), count(*), (SELECT max(id) FROM activities) - "
                         "(SELECT min(id) FROM activities) + 1 FROM activities INDEXED BY "
                         "activities_by_occurred_at WHERE occurred_at BETWEEN ?1 AND ?2",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, t0);
    sqlite3_bind_int64(st, 2, t1);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *lo = sqlite3_column_int64(st, 0);
        *hi = sqlite3_column_int64(st, 1);
        *rows = sqlite3_column_int64(st, 2);
        int64_t span = sqlite3_column_int64(st, 3);
        bool dense = *rows > 0 && *hi - *lo + 1 <= 2 * *rows;
        bool most = *rows > 0 && span / 8 <= *rows;
        *by_id = dense || most;
        if (most && !dense) {
            *lo = INT64_MIN;
            *hi = INT64_MAX;
        }
    } else {
        rc = step_fail(L, r, doing);
    }
    sqlite3_finalize(st);
    return rc;
}

static at_code load_activities(loader *L, at_day from, at_day to, at_calc_input *in)
{
    sqlite3_stmt *st;
    const char *doing = "loading activities";
    int64_t t0 = at_time_from_day(from), t1 = at_time_from_day(to) + AT_SECONDS_PER_DAY - 1;
    int64_t lo = 0, hi = 0, rows = 0;
    bool by_id = false;
    at_code rc = activity_plan(L, t0, t1, &lo, &hi, &rows, &by_id);
    if (rc != AT_OK)
        return rc;
    rc = prepare(L,
                 by_id ? "SELECT person_id, type, meaningful, occurred_at FROM activities WHERE "
                         "id BETWEEN ?3 AND ?4 AND +occurred_at BETWEEN ?1 AND ?2 ORDER BY id"
                       : "SELECT person_id, type, meaningful, occurred_at FROM activities WHERE "
                         "occurred_at BETWEEN ?1 AND ?2 ORDER BY id",
                 &st, doing);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, t0);
    sqlite3_bind_int64(st, 2, t1);
    if (by_id) {
        sqlite3_bind_int64(st, 3, lo);
        sqlite3_bind_int64(st, 4, hi);
    }
    at_calc_activity *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = rows > 0 && !grow((void **)&v, &cap, (size_t)rows, sizeof *v);
    int r = SQLITE_DONE;
    while (!failed && (r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 0));
        const unsigned char *type = sqlite3_column_text(st, 1);
        if (p < 0 || !type)
            continue;
        /* call, email, meeting, conversation: the entity's order */
        uint8_t t = type[0] == 'c' && type[1] == 'a' ? 0
                    : type[0] == 'e'                 ? 1
                    : type[0] == 'm'                 ? 2
                                                     : 3;
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        v[n++] = (at_calc_activity){p, t, (uint8_t)(sqlite3_column_int(st, 2) != 0),
                                    at_time_day(sqlite3_column_int64(st, 3))};
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->activities = v;
    in->activity_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

/* ---- the calendar, exchange rates, plans -------------------------------------------------- */

static at_code read_calendar(at_store *s, at_fiscal_calendar *cal, at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "reading the fiscal calendar settings";
    at_code rc = at_sqlite_prepare(s,
                                   "SELECT key, value FROM settings WHERE key LIKE 'fiscal\\_%' "
                                   "ESCAPE '\\' ORDER BY key",
                                   false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    /* a handful of settings: copied, since the statement's text moves on */
    enum { MAX = 32 };
    char keys[MAX][64], values[MAX][256];
    at_str k[MAX], v[MAX];
    size_t n = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && n < MAX) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        snprintf(keys[n], sizeof keys[n], "%s", key ? key : "");
        snprintf(values[n], sizeof values[n], "%s", value ? value : "");
        k[n] = at_str_from(keys[n]);
        v[n] = at_str_from(values[n]);
        n++;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return at_sqlite_fail(s, r, doing, err);
    rc = at_fiscal_calendar_from_settings(k, v, n, cal, err);
    if (rc != AT_OK)
        at_error_prefix_where(err, "settings.csv");
    return rc;
}

at_code at_store_fiscal_table(at_store *store, int first_year, int last_year,
                              at_fiscal_table *table, at_error *err)
{
    memset(table, 0, sizeof *table);
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    at_fiscal_calendar cal;
    rc = read_calendar(store, &cal, err);
    if (rc == AT_OK)
        rc = at_fiscal_table_build(&cal, first_year, last_year, table, err);
    return rc;
}

static at_code load_fx(loader *L)
{
    sqlite3_stmt *st;
    const char *doing = "loading exchange rates";
    at_code rc = prepare(L,
                         "SELECT from_currency, to_currency, effective_date, rate FROM "
                         "exchange_rates ORDER BY id",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_fx_init(&L->data->fx);
    bool bad = false;
    int r;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *f = sqlite3_column_text(st, 0), *t = sqlite3_column_text(st, 1);
        if (!f || !t)
            continue;
        currency_of(L, st, 0, &bad);
        currency_of(L, st, 1, &bad);
        rc = at_fx_add(&L->data->fx,
                       at_str_make((const char *)f, (size_t)sqlite3_column_bytes(st, 0)),
                       at_str_make((const char *)t, (size_t)sqlite3_column_bytes(st, 1)),
                       (at_day)sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), L->err);
        if (rc != AT_OK)
            at_error_prefix_where(L->err, "exchange_rates");
    }
    sqlite3_finalize(st);
    if (rc != AT_OK)
        return rc;
    if (r != SQLITE_DONE)
        return step_fail(L, r, doing);
    if (bad)
        return bad_currency(L, "exchange_rates");
    rc = at_fx_finish(&L->data->fx, L->err);
    if (rc != AT_OK) {
        at_error_prefix_where(L->err, "exchange_rates");
        return rc;
    }
    /* pairs without a rate of their own convert through the base currency (settings) */
    rc = prepare(L, "SELECT value FROM settings WHERE key = 'base_currency'", &st,
                 "reading the base currency");
    if (rc != AT_OK)
        return rc;
    if ((r = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        rc = at_fx_set_base(&L->data->fx,
                            at_str_make((const char *)sqlite3_column_text(st, 0),
                                        (size_t)sqlite3_column_bytes(st, 0)),
                            L->err);
        if (rc != AT_OK)
            at_error_prefix_where(L->err, "settings.csv (base_currency)");
    } else if (r != SQLITE_DONE) {
        rc = step_fail(L, r, "reading the base currency");
    }
    sqlite3_finalize(st);
    return rc;
}

static at_code load_plans(loader *L)
{
    sqlite3_stmt *st;
    const char *doing = "loading plan versions";
    at_code rc = prepare(L,
                         "SELECT id, name, version, effective_from, effective_to, sha256, "
                         "loaded_at, loaded_by, reason, source FROM plan_versions WHERE name IN "
                         "(SELECT plan FROM plan_assignments) ORDER BY name, version",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    at_store_plan_version *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        at_store_plan_version *p = &v[n++];
        memset(p, 0, sizeof *p);
        p->id = sqlite3_column_int64(st, 0);
        p->name = column_intern(L, st, 1, &failed);
        p->version = sqlite3_column_int(st, 2);
        p->effective_from = (at_day)sqlite3_column_int64(st, 3);
        p->effective_to = (at_day)sqlite3_column_int64(st, 4);
        p->sha256 = column_copy(L, st, 5, &failed);
        p->loaded_at = sqlite3_column_int64(st, 6);
        p->loaded_by = column_intern(L, st, 7, &failed);
        p->reason = column_copy(L, st, 8, &failed);
        p->source_length = (size_t)sqlite3_column_bytes(st, 9);
        p->source = column_copy(L, st, 9, &failed);
        if (!p->source && !failed)
            p->source = "";
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    L->data->plans = v;
    L->data->plan_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

/* The closed months inside the calendar, and their locked lines. */
static at_code load_closed(loader *L, at_calc_input *in)
{
    const at_fiscal_table *cal = &L->data->calendar;
    size_t months = cal->counts[AT_PERIOD_MONTH];
    if (!months)
        return AT_OK;
    const at_period *first = &cal->periods[AT_PERIOD_MONTH][0];
    const at_period *last = &cal->periods[AT_PERIOD_MONTH][months - 1];
    sqlite3_stmt *st;
    const char *doing = "loading closed periods";
    at_code rc = prepare(L,
                         "SELECT month FROM closed_periods WHERE month BETWEEN ?1 AND ?2 "
                         "ORDER BY month",
                         &st, doing);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, first->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last->label, -1, SQLITE_STATIC);
    int32_t *closed = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 0);
        const at_period *p = NULL;
        if (!label || at_fiscal_parse_label(cal, at_str_from(label), &p, NULL) != AT_OK ||
            p->kind != AT_PERIOD_MONTH)
            continue;
        if (!grow((void **)&closed, &cap, n + 1, sizeof *closed)) {
            failed = true;
            break;
        }
        closed[n++] = (int32_t)(p - cal->periods[AT_PERIOD_MONTH]);
    }
    sqlite3_finalize(st);
    if (!keep(L->x, closed, failed))
        return nomem(L);
    if (r != SQLITE_DONE)
        return step_fail(L, r, doing);
    in->closed_months = closed;
    in->closed_month_count = n;

    doing = "loading locked lines";
    rc = prepare(L,
                 "SELECT month, person_id, line_key, amount FROM closed_lines WHERE month "
                 "BETWEEN ?1 AND ?2 ORDER BY month, person_id, line_key",
                 &st, doing);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, first->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last->label, -1, SQLITE_STATIC);
    at_calc_locked_line *v = NULL;
    n = cap = 0;
    char month_label[AT_PERIOD_LABEL_MAX] = "";
    int32_t month = -1;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 0);
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 1));
        if (!label || p < 0)
            continue;
        if (strcmp(label, month_label) != 0) {
            const at_period *per = NULL;
            snprintf(month_label, sizeof month_label, "%s", label);
            month = at_fiscal_parse_label(cal, at_str_from(label), &per, NULL) == AT_OK &&
                            per->kind == AT_PERIOD_MONTH
                        ? (int32_t)(per - cal->periods[AT_PERIOD_MONTH])
                        : -1;
        }
        if (month < 0)
            continue;
        if (!grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        v[n].person = p;
        v[n].month = month;
        v[n].key = column_intern(L, st, 2, &failed);
        v[n].amount = sqlite3_column_int64(st, 3);
        n++;
    }
    sqlite3_finalize(st);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->locked = v;
    in->locked_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

/* ---- transactions ------------------------------------------------------------------------- */

typedef struct txcols {
    size_t n, cap;
    int64_t *ids;
    const char **id;
    uint8_t *type;
    at_day *date;
    at_money *amount;
    at_calc_currency *currency;
    at_money *margin;
    uint8_t *has_margin;
    int64_t *quantity;
    int32_t *product, *account, *owner, *original;
    /* cancellations' originals as internal ids, to map once every row is in */
    int64_t *orig_raw;
} txcols;

#define TX_COLUMNS                                                                                \
    "id, ext_id, type, date, amount, currency, margin, quantity, product_id, account_id, "      \
    "owner_id, original_id"

static bool tx_grow(txcols *t, size_t need)
{
    if (need <= t->cap)
        return true;
    size_t c = t->cap ? t->cap : 1024;
    while (c < need)
        c *= 2;
#define GROW(f)                                                                                   \
    do {                                                                                          \
        void *q = realloc((void *)t->f, c * sizeof *t->f);                                        \
        if (!q)                                                                                   \
            return false;                                                                         \
        t->f = q;                                                                                 \
    } while (0)
    GROW(ids);
    GROW(id);
    GROW(type);
    GROW(date);
    GROW(amount);
    GROW(currency);
    GROW(margin);
    GROW(has_margin);
    GROW(quantity);
    GROW(product);
    GROW(account);
    GROW(owner);
    GROW(original);
    GROW(orig_raw);
#undef GROW
    t->cap = c;
    return true;
}

static void tx_free(txcols *t)
{
    free(t->ids);
    free((void *)t->id);
    free(t->type);
    free(t->date);
    free(t->amount);
    free(t->currency);
    free(t->margin);
    free(t->has_margin);
    free(t->quantity);
    free(t->product);
    free(t->account);
    free(t->owner);
    free(t->original);
    free(t->orig_raw);
    memset(t, 0, sizeof *t);
}

/* Reads the rows of a statement selecting TX_COLUMNS, appending to t. */
static at_code read_transactions(loader *L, sqlite3_stmt *st, txcols *t, const char *doing)
{
    bool failed = false, bad = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (t->n == t->cap && !tx_grow(t, t->n + 1)) {
            failed = true;
            break;
        }
        size_t i = t->n++;
        t->ids[i] = sqlite3_column_int64(st, 0);
        t->id[i] = column_copy(L, st, 1, &failed);
        const unsigned char *type = sqlite3_column_text(st, 2);
        t->type[i] = !type             ? AT_TX_BOOKING
                     : type[0] == 'i'  ? AT_TX_INVOICE
                     : type[0] == 'p'  ? AT_TX_PAYMENT
                     : type[0] == 'c'  ? AT_TX_CANCELLATION
                                       : AT_TX_BOOKING;
        t->date[i] = (at_day)sqlite3_column_int64(st, 3);
        t->amount[i] = sqlite3_column_int64(st, 4);
        t->currency[i] = (at_calc_currency)currency_of(L, st, 5, &bad);
        bool has_margin = sqlite3_column_type(st, 6) != SQLITE_NULL;
        t->has_margin[i] = has_margin;
        t->margin[i] = has_margin ? sqlite3_column_int64(st, 6) : 0;
        t->quantity[i] = sqlite3_column_int64(st, 7); /* NULL reads 0 */
        /* NULL reads 0, which is no internal id (rowids start at 1): -1 either way */
        t->product[i] = idmap_get(&L->products, sqlite3_column_int64(st, 8));
        t->account[i] = idmap_get(&L->accounts, sqlite3_column_int64(st, 9));
        t->owner[i] = idmap_get(&L->x->people, sqlite3_column_int64(st, 10));
        t->orig_raw[i] = sqlite3_column_int64(st, 11); /* 0 when NULL */
        t->original[i] = -1;
    }
    if (failed)
        return nomem(L);
    if (bad)
        return bad_currency(L, "transactions");
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* JSON array of ids ("[1,2,3]"), malloc'ed. */
static char *json_ids(const int64_t *ids, size_t n)
{
    at_text t;
    at_text_init(&t);
    at_text_add(&t, "[");
    for (size_t i = 0; i < n; i++)
        at_text_addf(&t, "%s%" PRId64, i ? "," : "", ids[i]);
    at_text_add(&t, "]");
    if (t.failed) {
        at_text_free(&t);
        return NULL;
    }
    return t.ptr;
}

/* Whether the days asked cover most of the days the table's transactions span: then a scan in
 * id order is faster than going through the date index. */
static at_code covers_most(loader *L, at_day from, at_day to, bool *most, int64_t *max_rows)
{
    int64_t lo = 0, hi = -1, min_id = 0, max_id = -1;
    at_code rc = at_sqlite_query_int(L->store, "SELECT min(date) FROM transactions", 0, &lo,
                                     "loading transactions", L->err);
    if (rc == AT_OK)
        rc = at_sqlite_query_int(L->store, "SELECT max(date) FROM transactions", -1, &hi,
                                 "loading transactions", L->err);
    if (rc == AT_OK)
        rc = at_sqlite_query_int(L->store, "SELECT min(id) FROM transactions", 0, &min_id,
                                 "loading transactions", L->err);
    if (rc == AT_OK)
        rc = at_sqlite_query_int(L->store, "SELECT max(id) FROM transactions", -1, &max_id,
                                 "loading transactions", L->err);
    if (rc != AT_OK)
        return rc;
    *max_rows = max_id >= min_id ? max_id - min_id + 1 : 0;
    if (hi < lo) {
        *most = true; /* no transactions */
        return AT_OK;
    }
    int64_t a = from > lo ? from : lo, b = to < hi ? to : hi;
    int64_t covered = b >= a ? b - a + 1 : 0;
    *most = 2 * covered >= hi - lo + 1;
    return AT_OK;
}

/* The smallest and largest id of the transactions dated in [from, to], and how many there are
 * (one pass over the date index, which holds the ids). Imports append transactions roughly in
 * date order, so the ids of a year are usually one dense range: reading that range of rowids
 * in order is several times faster than a lookup per row through the date index plus a sort
 * by id. */
static at_code id_range(loader *L, at_day from, at_day to, int64_t *lo, int64_t *hi,
                        int64_t *rows)
{
    sqlite3_stmt *st;
    at_code rc = prepare(L,
                         "SELECT min(id), max(id), count(*) FROM transactions INDEXED BY "
                         "transactions_by_date WHERE date BETWEEN ?1 AND ?2",
                         &st, "loading transactions");
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *lo = sqlite3_column_int64(st, 0);
        *hi = sqlite3_column_int64(st, 1);
        *rows = sqlite3_column_int64(st, 2);
    } else {
        rc = step_fail(L, r, "loading transactions");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The people whose results are asked for, and everyone who reported to one of them at any
 * time (directly or not): the sellers whose credits can roll up to them. */
static at_code people_in_scope(loader *L, const at_calc_input *in,
                               const at_store_calc_load_options *opt, uint8_t *in_scope)
{
    size_t n = in->person_count;
    int32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    if (!queue)
        return nomem(L);
    size_t head = 0, tail = 0;
    for (size_t k = 0; k < opt->person_count; k++) {
        const char *want = opt->people[k];
        int32_t found = -1;
        for (size_t i = 0; want && i < n && found < 0; i++)
            if (strcmp(in->people[i].id, want) == 0)
                found = (int32_t)i;
        if (found < 0) {
            free(queue);
            return at_fail(L->err, AT_ERR_NOT_FOUND, "people",
                           "give the id of a person in people.csv",
                           "there is no person '%s'", want ? want : "(null)");
        }
        if (!in_scope[found]) {
            in_scope[found] = 1;
            queue[tail++] = found;
        }
    }
    /* downwards through the reporting lines, any time */
    while (head < tail) {
        int32_t m = queue[head++];
        for (size_t i = 0; i < in->reporting_line_count; i++) {
            const at_calc_reporting_line *rl = &in->reporting_lines[i];
            if (rl->manager == m && !in_scope[rl->person]) {
                in_scope[rl->person] = 1;
                queue[tail++] = rl->person;
            }
        }
    }
    free(queue);
    return AT_OK;
}

/* Loads the transactions asked for into t (in id order), then their missing originals. */
static at_code load_transactions(loader *L, const at_pay_load_request *req, at_calc_input *in,
                                 txcols *t, bool *scanned_all)
{
    const at_store_calc_load_options *opt = req->options;
    const char *doing = "loading transactions";
    sqlite3_stmt *st = NULL;
    at_code rc = AT_OK;
    char *people_json = NULL, *accounts_json = NULL, *ids_json = NULL;
    *scanned_all = false;
    if (req->by_id) {
        ids_json = json_ids(req->transaction_ids, req->transaction_id_count);
        if (!ids_json)
            return nomem(L);
        rc = prepare(L,
                     "SELECT " TX_COLUMNS " FROM transactions WHERE id IN (SELECT value FROM "
                     "json_each(?1)) ORDER BY id",
                     &st, doing);
        if (rc == AT_OK)
            sqlite3_bind_text(st, 1, ids_json, -1, SQLITE_STATIC);
    } else if (opt && opt->person_count) {
        size_t n = in->person_count;
        uint8_t *scope = calloc(n ? n : 1, 1);
        if (!scope)
            return nomem(L);
        rc = people_in_scope(L, in, opt, scope);
        int64_t *ids = NULL;
        size_t count = 0;
        if (rc == AT_OK && !(ids = malloc((n + in->territory_account_count + 1) * sizeof *ids)))
            rc = nomem(L);
        for (size_t i = 0; rc == AT_OK && i < n; i++)
            if (scope[i])
                ids[count++] = L->data->person_ids[i];
        if (rc == AT_OK && !(people_json = json_ids(ids, count)))
            rc = nomem(L);
        /* the accounts of territories someone in scope covers, at any time */
        count = 0;
        uint8_t *covered = calloc(L->data->territory_count ? L->data->territory_count : 1, 1);
        if (rc == AT_OK && !covered)
            rc = nomem(L);
        for (size_t k = 0; rc == AT_OK && k < in->territory_person_count; k++)
            if (scope[in->territory_people[k].person])
                covered[in->territory_people[k].territory] = 1;
        for (size_t i = 0; rc == AT_OK && i < in->territory_account_count; i++)
            if (covered[in->territory_accounts[i].territory])
                ids[count++] = L->data->account_ids[in->territory_accounts[i].account];
        free(covered);
        if (rc == AT_OK && !(accounts_json = json_ids(ids, count)))
            rc = nomem(L);
        free(ids);
        free(scope);
        if (rc == AT_OK)
            rc = prepare(L,
                         "WITH base(id) AS (SELECT id FROM transactions WHERE owner_id IN "
                         "(SELECT value FROM json_each(?3)) "
                         "UNION SELECT transaction_id FROM transaction_people WHERE person_id IN "
                         "(SELECT value FROM json_each(?3)) "
                         "UNION SELECT id FROM transactions WHERE account_id IN (SELECT value "
                         "FROM json_each(?4))) "
                         "SELECT " TX_COLUMNS " FROM transactions WHERE date BETWEEN ?1 AND ?2 "
                         "AND (id IN (SELECT id FROM base) OR original_id IN (SELECT id FROM "
                         "base)) ORDER BY id",
                         &st, doing);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, req->from);
            sqlite3_bind_int64(st, 2, req->to);
            sqlite3_bind_text(st, 3, people_json, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, accounts_json, -1, SQLITE_STATIC);
        }
    } else {
        bool most = false;
        int64_t max_rows = 0;
        rc = covers_most(L, req->from, req->to, &most, &max_rows);
        if (rc == AT_OK && most && max_rows > 0 && !tx_grow(t, (size_t)max_rows))
            rc = nomem(L);
        /* not most of the table: the rowids of the days asked when they are dense (at least
           half of the range is in the days), else a lookup per row through the date index */
        int64_t lo = 1, hi = INT64_MAX, rows = 0;
        bool dense = false;
        if (rc == AT_OK && !most) {
            rc = id_range(L, req->from, req->to, &lo, &hi, &rows);
            dense = rc == AT_OK && rows > 0 && hi - lo + 1 <= 2 * rows;
            if (dense && !tx_grow(t, (size_t)rows))
                rc = nomem(L);
        }
        if (rc == AT_OK)
            rc = prepare(L,
                         most || dense ? "SELECT " TX_COLUMNS " FROM transactions WHERE id "
                                         "BETWEEN ?3 AND ?4 AND +date BETWEEN ?1 AND ?2 "
                                         "ORDER BY id"
                                       : "SELECT " TX_COLUMNS " FROM transactions INDEXED BY "
                                         "transactions_by_date WHERE date BETWEEN ?1 AND ?2 "
                                         "ORDER BY id",
                         &st, doing);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, req->from);
            sqlite3_bind_int64(st, 2, req->to);
            if (most || dense) {
                sqlite3_bind_int64(st, 3, most ? INT64_MIN : lo);
                sqlite3_bind_int64(st, 4, most ? INT64_MAX : hi);
            }
        }
        *scanned_all = most;
    }
    if (rc == AT_OK)
        rc = read_transactions(L, st, t, doing);
    sqlite3_finalize(st);
    st = NULL;
    free(people_json);
    free(accounts_json);
    free(ids_json);
    if (rc != AT_OK)
        return rc;

    /* the originals of cancellations that are not in yet (dated before from, or not in scope) */
    idmap loaded;
    if (!idmap_build(&loaded, t->ids, t->n))
        return nomem(L);
    int64_t *missing = NULL;
    size_t n_missing = 0, cap = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->orig_raw[i] && idmap_get(&loaded, t->orig_raw[i]) < 0) {
            if (!grow((void **)&missing, &cap, n_missing + 1, sizeof *missing)) {
                idmap_free(&loaded);
                free(missing);
                return nomem(L);
            }
            missing[n_missing++] = t->orig_raw[i];
        }
    }
    idmap_free(&loaded);
    if (n_missing) {
        qsort(missing, n_missing, sizeof *missing, cmp_i64);
        size_t u = 0;
        for (size_t i = 0; i < n_missing; i++)
            if (!u || missing[u - 1] != missing[i])
                missing[u++] = missing[i];
        rc = prepare(L, "SELECT " TX_COLUMNS " FROM transactions WHERE id = ?1", &st, doing);
        for (size_t i = 0; rc == AT_OK && i < u; i++) {
            sqlite3_bind_int64(st, 1, missing[i]);
            rc = read_transactions(L, st, t, doing);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    free(missing);
    return rc;
}

/* Maps the originals, hands the columns to data and the input. */
static at_code finish_transactions(loader *L, txcols *t, at_calc_input *in)
{
    if (!idmap_build(&L->x->transactions, t->ids, t->n))
        return nomem(L);
    for (size_t i = 0; i < t->n; i++)
        if (t->orig_raw[i])
            t->original[i] = idmap_get(&L->x->transactions, t->orig_raw[i]);
    if (!tx_grow(t, 1))
        return nomem(L);
    free(t->orig_raw);
    t->orig_raw = NULL;
    void *cols[] = {t->ids,      (void *)t->id, t->type,     t->date,    t->amount,
                    t->currency, t->margin,     t->has_margin, t->quantity, t->product,
                    t->account,  t->owner,      t->original};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        if (!own(L->x, cols[i])) {
            for (size_t k = i + 1; k < sizeof cols / sizeof cols[0]; k++)
                free(cols[k]);
            memset(t, 0, sizeof *t);
            return nomem(L);
        }
    at_calc_transactions *c = &in->transactions;
    c->count = t->n;
    c->id = t->id;
    c->type = t->type;
    c->date = t->date;
    c->amount = t->amount;
    c->currency = t->currency;
    c->margin = t->margin;
    c->has_margin = t->has_margin;
    c->quantity = t->quantity;
    c->product = t->product;
    c->account = t->account;
    c->owner = t->owner;
    c->original = t->original;
    L->data->transaction_ids = t->ids;
    L->data->transaction_count = t->n;
    memset(t, 0, sizeof *t);
    return AT_OK;
}

static uint8_t role_of(const unsigned char *role)
{
    if (!role)
        return AT_TX_ROLE_SPLIT;
    switch (role[0]) {
    case 'o': return AT_TX_ROLE_OVERLAY;
    case 's': return role[1] == 'd' ? AT_TX_ROLE_SDR : AT_TX_ROLE_SPLIT;
    case 'm': return AT_TX_ROLE_MANAGER;
    default: return AT_TX_ROLE_SPLIT;
    }
}

static at_code load_tx_people(loader *L, bool scan_all, at_calc_input *in)
{
    const char *doing = "loading transaction people";
    sqlite3_stmt *st;
    char *ids_json = NULL;
    at_code rc;
    /* the id range of the transactions loaded: when they fill at least a quarter of it (a
       period's transactions and the originals of its cancellations), the rows of that range
       through the (transaction_id, ...) index; rows of transactions not loaded are skipped
       below */
    const int64_t *ids = L->data->transaction_ids;
    size_t count = L->data->transaction_count;
    int64_t lo = INT64_MAX, hi = 0;
    for (size_t i = 0; i < count; i++) {
        lo = ids[i] < lo ? ids[i] : lo;
        hi = ids[i] > hi ? ids[i] : hi;
    }
    bool range = !scan_all && count > 0 && (uint64_t)(hi - lo) < 4 * (uint64_t)count;
    if (scan_all) {
        rc = prepare(L,
                     "SELECT transaction_id, person_id, role, share FROM transaction_people "
                     "ORDER BY id",
                     &st, doing);
    } else if (range) {
        rc = prepare(L,
                     "SELECT transaction_id, person_id, role, share FROM transaction_people "
                     "WHERE transaction_id BETWEEN ?1 AND ?2 ORDER BY id",
                     &st, doing);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, lo);
            sqlite3_bind_int64(st, 2, hi);
        }
    } else {
        ids_json = json_ids(L->data->transaction_ids, L->data->transaction_count);
        if (!ids_json)
            return nomem(L);
        rc = prepare(L,
                     "SELECT transaction_id, person_id, role, share FROM transaction_people "
                     "WHERE transaction_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                     &st, doing);
        if (rc == AT_OK)
            sqlite3_bind_text(st, 1, ids_json, -1, SQLITE_STATIC);
    }
    if (rc != AT_OK) {
        free(ids_json);
        return rc;
    }
    at_calc_tx_person *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t tx = idmap_get(&L->x->transactions, sqlite3_column_int64(st, 0));
        int32_t p = idmap_get(&L->x->people, sqlite3_column_int64(st, 1));
        if (tx < 0 || p < 0)
            continue;
        if (n == cap && !grow((void **)&v, &cap, n + 1, sizeof *v)) {
            failed = true;
            break;
        }
        v[n++] = (at_calc_tx_person){tx, p, role_of(sqlite3_column_text(st, 2)),
                                     sqlite3_column_int64(st, 3)};
    }
    sqlite3_finalize(st);
    free(ids_json);
    if (!keep(L->x, v, failed))
        return nomem(L);
    in->tx_people = v;
    in->tx_person_count = n;
    return r == SQLITE_DONE ? AT_OK : step_fail(L, r, doing);
}

/* ---- currencies --------------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Sorts the codes seen (alphabetical: the packed codes compare like the text) and renumbers
 * every currency column. */
static at_code finish_currencies(loader *L, at_calc_input *in)
{
    size_t n = L->code_count;
    uint32_t sorted[sizeof L->codes / sizeof L->codes[0]];
    memcpy(sorted, L->codes, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_u32);
    at_calc_currency remap[sizeof L->codes / sizeof L->codes[0]];
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (sorted[k] == L->codes[i])
                remap[i] = (at_calc_currency)k;
    const char **names = at_arena_alloc(L->arena, (n ? n : 1) * sizeof *names);
    if (!names)
        return nomem(L);
    for (size_t k = 0; k < n; k++) {
        unsigned char code[3] = {(unsigned char)(sorted[k] >> 16), (unsigned char)(sorted[k] >> 8),
                                 (unsigned char)sorted[k]};
        bool failed = false;
        names[k] = intern(L, code, 3, &failed);
        if (failed)
            return nomem(L);
    }
#define REMAP(x)                                                                                  \
    do {                                                                                          \
        if ((x) >= 0)                                                                             \
            (x) = remap[(x)];                                                                     \
    } while (0)
    at_calc_person *people = (at_calc_person *)in->people;
    for (size_t i = 0; i < in->person_count; i++)
        REMAP(people[i].pay_currency);
    at_calc_currency *tc = in->transactions.currency;
    for (size_t i = 0; i < in->transactions.count; i++)
        REMAP(tc[i]);
    at_calc_quota *quotas = (at_calc_quota *)in->quotas;
    for (size_t i = 0; i < in->quota_count; i++)
        REMAP(quotas[i].currency);
    at_calc_assignment *as = (at_calc_assignment *)in->assignments;
    for (size_t i = 0; i < in->assignment_count; i++)
        REMAP(as[i].currency);
#undef REMAP
    in->currencies = names;
    in->currency_count = n;
    return AT_OK;
}

/* ---- the whole load ----------------------------------------------------------------------- */

at_code at_pay_read_begin(at_store *store, bool *opened, at_error *err)
{
    *opened = false;
    if (store->in_tx || !sqlite3_get_autocommit(BACKEND(store)->db))
        return AT_OK;
    at_code rc = at_sqlite_exec(store, "BEGIN", "starting to read", err);
    *opened = rc == AT_OK;
    return rc;
}

void at_pay_read_end(at_store *store, bool opened)
{
    if (opened && !sqlite3_get_autocommit(BACKEND(store)->db))
        sqlite3_exec(BACKEND(store)->db, "COMMIT", NULL, NULL, NULL);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static at_code build_calendar(loader *L, at_day from, at_day to)
{
    at_fiscal_calendar cal;
    at_code rc = read_calendar(L->store, &cal, L->err);
    int first = 0, last = 0;
    if (rc == AT_OK)
        rc = at_fiscal_year_of_day(&cal, from, &first, L->err);
    if (rc == AT_OK)
        rc = at_fiscal_year_of_day(&cal, to, &last, L->err);
    if (rc != AT_OK)
        return rc;
    /* a year before and after: cancellations of last year's deals, labels around the range */
    if (first > 1)
        first--;
    if (last < 9998)
        last++;
    rc = at_fiscal_table_build(&cal, first, last, &L->data->calendar, L->err);
    if (rc == AT_ERR_INVALID && first < last) /* the year after runs past 9999: do without */
        rc = at_fiscal_table_build(&cal, first, last - 1, &L->data->calendar, L->err);
    return rc;
}

at_code at_pay_load(at_store *store, const at_pay_load_request *req, at_arena *arena,
                    at_calc_input *in, at_store_calc_data *data, at_error *err)
{
    memset(in, 0, sizeof *in);
    memset(data, 0, sizeof *data);
    double t0 = now_seconds();
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (req->from > req->to)
        return at_fail(err, AT_ERR_INVALID, store->path, "give the first day, then the last",
                       "the days to load end before they start");
    loader L = {.store = store, .arena = arena, .err = err, .data = data, .last_code = -1};
    L.x = calloc(1, sizeof *L.x);
    if (!L.x)
        return nomem(&L);
    data->index = L.x;
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    txcols t = {0};
    bool scan_all = false;
    const at_store_calc_load_options *opt = req->options;
    if (rc == AT_OK)
        rc = build_calendar(&L, req->from, req->to);
    if (rc == AT_OK)
        rc = load_fx(&L);
    if (rc == AT_OK)
        rc = load_people(&L, in);
    if (rc == AT_OK)
        rc = load_reporting(&L, in);
    if (rc == AT_OK)
        rc = load_leaves(&L, in);
    if (rc == AT_OK)
        rc = load_products(&L, in);
    if (rc == AT_OK)
        rc = load_ids(&L, "SELECT id FROM accounts ORDER BY id", "loading accounts",
                      &data->account_ids, &data->account_count, &L.accounts);
    if (rc == AT_OK)
        rc = load_ids(&L, "SELECT id FROM territories ORDER BY id", "loading territories",
                      &data->territory_ids, &data->territory_count, &L.territories);
    if (rc == AT_OK)
        rc = load_territory_coverage(&L, in);
    if (rc == AT_OK)
        rc = load_transactions(&L, req, in, &t, &scan_all);
    if (rc == AT_OK)
        rc = finish_transactions(&L, &t, in);
    if (rc == AT_OK)
        rc = load_tx_people(&L, scan_all, in);
    if (rc == AT_OK)
        rc = load_quotas(&L, in);
    if (rc == AT_OK)
        rc = load_assignments(&L, in);
    if (rc == AT_OK)
        rc = load_metrics(&L, in);
    if (rc == AT_OK && opt && opt->activities)
        rc = load_activities(&L, req->from, req->to, in);
    if (rc == AT_OK)
        rc = load_plans(&L);
    if (rc == AT_OK)
        rc = load_closed(&L, in);
    if (rc == AT_OK)
        rc = finish_currencies(&L, in);
    if (rc == AT_OK && opt && opt->person_count) {
        int32_t *only = at_arena_alloc(arena, opt->person_count * sizeof *only);
        size_t n = 0;
        if (!only)
            rc = nomem(&L);
        for (size_t k = 0; rc == AT_OK && k < opt->person_count; k++) {
            int32_t found = -1;
            for (size_t i = 0; i < in->person_count && found < 0; i++)
                if (strcmp(in->people[i].id, opt->people[k]) == 0)
                    found = (int32_t)i;
            bool dup = false;
            for (size_t i = 0; i < n; i++)
                dup = dup || only[i] == found;
            if (found >= 0 && !dup)
                only[n++] = found;
        }
        if (rc == AT_OK) {
            for (size_t i = 1; i < n; i++) /* insertion sort: a handful */
                for (size_t k = i; k > 0 && only[k - 1] > only[k]; k--) {
                    int32_t tmp = only[k];
                    only[k] = only[k - 1];
                    only[k - 1] = tmp;
                }
            data->only_people = only;
            data->only_people_count = n;
        }
    }
    at_pay_read_end(store, opened);
    tx_free(&t);
    free(L.set);
    idmap_free(&L.products);
    idmap_free(&L.accounts);
    idmap_free(&L.territories);
    idmap_free(&L.assignments);
    if (rc != AT_OK) {
        at_store_calc_data_free(data);
        memset(in, 0, sizeof *in);
        return rc;
    }
    in->calendar = &data->calendar;
    in->fx = &data->fx;
    in->account_count = data->account_count;
    const at_period *pf = NULL, *pl = NULL;
    rc = at_fiscal_find(&data->calendar, AT_PERIOD_MONTH, req->from, &pf, err);
    if (rc == AT_OK)
        rc = at_fiscal_find(&data->calendar, AT_PERIOD_MONTH, req->to, &pl, err);
    if (rc != AT_OK) {
        at_store_calc_data_free(data);
        memset(in, 0, sizeof *in);
        return rc;
    }
    in->first_month = (int32_t)(pf - data->calendar.periods[AT_PERIOD_MONTH]);
    in->last_month = (int32_t)(pl - data->calendar.periods[AT_PERIOD_MONTH]);
    data->seconds = now_seconds() - t0;
    return AT_OK;
}

at_code at_store_calc_load(at_store *store, at_day from, at_day to,
                           const at_store_calc_load_options *options, at_arena *arena,
                           at_calc_input *input, at_store_calc_data *data, at_error *err)
{
    at_pay_load_request req = {.from = from, .to = to, .options = options};
    return at_pay_load(store, &req, arena, input, data, err);
}
