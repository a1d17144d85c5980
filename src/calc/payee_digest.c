/* payee_digest.c - the global digest and the per-payee digests of an engine input
 * (payee_digest.h): what each payee's calculation reads, hashed in an order that does not
 * depend on the order of the input arrays; and which build of attain is computing. */
#define _GNU_SOURCE /* dl_iterate_phdr: the executable's build id */
#include "calc/payee_digest.h"

#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

#ifndef ATTAIN_VERSION
#define ATTAIN_VERSION "unknown"
#endif

/* ---- 64-bit row hashes --------------------------------------------------------------------- */

/* splitmix64's finaliser: every input bit reaches every output bit */
static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* folds one field into a row's hash (order matters: fields are positional) */
static uint64_t fold(uint64_t h, uint64_t v)
{
    return mix(h ^ mix(v + UINT64_C(0x632be59bd9b4e019)));
}

#define NONE UINT64_C(0xa5a5a5a5a5a5a5a5) /* an absent value (no product, no id, ...) */

/* FNV-1a over the bytes, the length folded in; NULL differs from "" */
static uint64_t text_hash(const char *s)
{
    if (!s)
        return mix(NONE);
    uint64_t h = UINT64_C(1469598103934665603);
    size_t n = 0;
    for (; s[n]; n++) {
        h ^= (unsigned char)s[n];
        h *= UINT64_C(1099511628211);
    }
    return mix(h ^ (uint64_t)n * UINT64_C(0x9e3779b97f4a7c15));
}

static uint64_t currency_hash(const at_calc_input *in, at_calc_currency c)
{
    return c >= 0 && (size_t)c < in->currency_count ? text_hash(in->currencies[c]) : NONE;
}

static uint64_t id_or_none(const int64_t *ids, size_t i)
{
    return ids ? (uint64_t)ids[i] : NONE;
}

static const char *month_label(const at_calc_input *in, int32_t m)
{
    const at_fiscal_table *t = in->calendar;
    if (!t || m < 0 || (size_t)m >= t->counts[AT_PERIOD_MONTH])
        return NULL;
    return t->periods[AT_PERIOD_MONTH][m].label;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ---- the digest stream (BLAKE2b-256, buffered) ------------------------------------------- */

typedef struct sink {
    crypto_generichash_state state;
    uint8_t buf[4096];
    size_t n;
} sink;

static void sink_init(sink *s, const char *what)
{
    crypto_generichash_init(&s->state, NULL, 0, AT_CALC_DIGEST_SIZE);
    s->n = 0;
    crypto_generichash_update(&s->state, (const uint8_t *)what, strlen(what) + 1);
}

static void sink_flush(sink *s)
{
    if (s->n)
        crypto_generichash_update(&s->state, s->buf, s->n);
    s->n = 0;
}

static void sink_u64(sink *s, uint64_t v)
{
    if (s->n + 8 > sizeof s->buf)
        sink_flush(s);
    for (int i = 0; i < 8; i++)
        s->buf[s->n++] = (uint8_t)(v >> (8 * i));
}

static void sink_text(sink *s, const char *t)
{
    if (!t) {
        sink_u64(s, UINT64_MAX);
        return;
    }
    size_t n = strlen(t);
    sink_u64(s, n);
    sink_flush(s);
    crypto_generichash_update(&s->state, (const uint8_t *)t, n);
}

static void sink_end(sink *s, at_calc_digest *out)
{
    sink_flush(s);
    crypto_generichash_final(&s->state, out->bytes, AT_CALC_DIGEST_SIZE);
}

/* A section: a tag, the row count, the row hashes (sorted by section_build: rows without an
 * order of their own), so that the digest is the same whatever order the rows came in. */
static void sink_rows(sink *s, uint64_t tag, const uint64_t *hashes, size_t n)
{
    sink_u64(s, tag);
    sink_u64(s, n);
    for (size_t i = 0; i < n; i++)
        sink_u64(s, hashes[i]);
}

/* ---- which build is running ------------------------------------------------------------ */

typedef struct build_id {
    uint8_t bytes[64];
    size_t size;
} build_id;

/* The GNU build id note of the first object (the executable): the linker's hash of the code,
 * so that any other build of attain (an engine that may compute differently) never matches
 * digests made by this one. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    build_id *b = data;
    for (size_t i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
        size_t left = ph->p_memsz;
        while (left >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) n;
            memcpy(&n, p, sizeof n);
            size_t name = ((size_t)n.n_namesz + 3) & ~(size_t)3;
            size_t desc = ((size_t)n.n_descsz + 3) & ~(size_t)3;
            size_t total = sizeof n + name + desc;
            if (total > left)
                break;
            if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
                memcmp(p + sizeof n, "GNU", 4) == 0 && n.n_descsz <= sizeof b->bytes) {
                memcpy(b->bytes, p + sizeof n + name, n.n_descsz);
                b->size = n.n_descsz;
                return 1;
            }
            p += total;
            left -= total;
        }
    }
    return 1; /* the executable only */
}

/* ---- the global digest --------------------------------------------------------------------- */

at_code at_calc_global_digest(const at_calc_input *in, bool explanations, at_calc_digest *out,
                              at_error *err)
{
    memset(out, 0, sizeof *out);
    if (!in || !in->calendar)
        return at_fail(err, AT_ERR_INVALID, NULL, "give the input of a run",
                       "the global digest needs an input with a calendar");
    if (sodium_init() < 0)
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "libsodium did not start");
    sink s;
    sink_init(&s, "attain global digest");
    sink_u64(&s, AT_CALC_DIGEST_FORMAT);
    sink_text(&s, ATTAIN_VERSION);
    build_id b = {.size = 0};
    dl_iterate_phdr(find_build_id, &b);
    sink_u64(&s, b.size);
    for (size_t i = 0; i < b.size; i++)
        sink_u64(&s, b.bytes[i]);
    sink_u64(&s, explanations ? 1 : 0);

    /* the calendar: every period of every kind in the table */
    const at_fiscal_table *t = in->calendar;
    sink_u64(&s, (uint64_t)(int64_t)t->first_year);
    sink_u64(&s, (uint64_t)(int64_t)t->last_year);
    for (int k = 0; k < AT_PERIOD_KIND_COUNT; k++) {
        sink_u64(&s, t->counts[k]);
        for (size_t i = 0; i < t->counts[k]; i++) {
            const at_period *p = &t->periods[k][i];
            uint64_t h = fold(fold(text_hash(p->label), (uint64_t)p->kind),
                              (uint64_t)(int64_t)p->fiscal_year);
            h = fold(fold(fold(h, (uint64_t)(int64_t)p->number), (uint64_t)(int64_t)p->first),
                     (uint64_t)(int64_t)p->last);
            sink_u64(&s, h);
        }
    }
    /* the months computed and the closed months */
    sink_text(&s, month_label(in, in->first_month));
    sink_text(&s, month_label(in, in->last_month));
    size_t n = in->closed_month_count;
    uint64_t *rows = malloc((n > 0 ? n : 1) * sizeof *rows);
    if (!rows)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory hashing the input");
    for (size_t i = 0; i < n; i++)
        rows[i] = text_hash(month_label(in, in->closed_months[i]));
    qsort(rows, n, sizeof *rows, cmp_u64);
    sink_rows(&s, 1, rows, n);
    free(rows);

    /* exchange rates */
    n = in->fx ? in->fx->count : 0;
    rows = malloc((n > 0 ? n : 1) * sizeof *rows);
    if (!rows)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory hashing the input");
    for (size_t i = 0; i < n; i++) {
        const at_fx_row *r = &in->fx->rows[i];
        rows[i] = fold(fold(fold(fold(2, r->from), r->to), (uint64_t)(int64_t)r->effective),
                       (uint64_t)r->rate);
    }
    sink_u64(&s, in->fx ? in->fx->base : NONE);
    qsort(rows, n, sizeof *rows, cmp_u64);
    sink_rows(&s, 2, rows, n);
    free(rows);
    sink_end(&s, out);
    return AT_OK;
}

/* ---- per payee --------------------------------------------------------------------------- */

/* Row hashes grouped by person: person p's rows are hash[start[p] .. start[p + 1]). */
typedef struct section {
    size_t *start;
    uint64_t *hash;
} section;

/* Groups n rows (owner[i] the person of row i, hash[i] its hash) by person; rows of no known
 * person are left out (the engine never reads them for anyone). */
static bool section_build(section *s, size_t person_count, size_t n, const int32_t *owner,
                          const uint64_t *hash)
{
    s->start = calloc(person_count + 2, sizeof *s->start);
    s->hash = malloc((n > 0 ? n : 1) * sizeof *s->hash);
    if (!s->start || !s->hash)
        return false;
    for (size_t i = 0; i < n; i++)
        if (owner[i] >= 0 && (size_t)owner[i] < person_count)
            s->start[owner[i] + 2]++;
    for (size_t p = 2; p < person_count + 2; p++)
        s->start[p] += s->start[p - 1];
    for (size_t i = 0; i < n; i++)
        if (owner[i] >= 0 && (size_t)owner[i] < person_count)
            s->hash[s->start[owner[i] + 1]++] = hash[i];
    /* each person's rows in hash order, once, before any thread reads them */
    for (size_t p = 0; p < person_count; p++)
        if (s->start[p + 1] - s->start[p] > 1)
            qsort(s->hash + s->start[p], s->start[p + 1] - s->start[p], sizeof *s->hash,
                  cmp_u64);
    return true;
}

static void section_free(section *s)
{
    free(s->start);
    free(s->hash);
    memset(s, 0, sizeof *s);
}

enum { SEC_ASSIGNMENTS, SEC_QUOTAS, SEC_METRICS, SEC_ACTIVITIES, SEC_LEAVES, SEC_LOCKED,
       SEC_MANUAL, SEC_COUNT };

/* Every version of the plan called name: version, document SHA-256, effective dates. */
static uint64_t plan_versions_hash(const at_calc_input *in, const char *name)
{
    uint64_t sum = 0, x = 0, count = 0;
    for (size_t i = 0; i < in->plan_count; i++) {
        const at_plan *p = in->plans[i];
        if (!p || calc_strcmp(p->name, name) != 0)
            continue;
        uint64_t h = fold(fold(3, (uint64_t)(int64_t)p->version), text_hash(p->sha256));
        h = fold(fold(h, (uint64_t)(int64_t)p->effective_from), (uint64_t)(int64_t)p->effective_to);
        sum += h; /* a multiset of a few rows: sum and xor of strong hashes */
        x ^= mix(h);
        count++;
    }
    return fold(fold(fold(text_hash(name), count), sum), x);
}

/* One section's rows: the person of each row and its hash. */
static at_code build_sections(const at_calc_input *in, const at_calc_digest_ids *ids,
                              section *sec, at_error *err)
{
    size_t counts[SEC_COUNT] = {in->assignment_count, in->quota_count, in->metric_count,
                                in->activity_count, in->leave_count,  in->locked_count,
                                in->manual_count};
    size_t most = 1;
    for (int k = 0; k < SEC_COUNT; k++)
        most = counts[k] > most ? counts[k] : most;
    int32_t *owner = malloc(most * sizeof *owner);
    uint64_t *hash = malloc(most * sizeof *hash);
    bool ok = owner && hash;
    for (int k = 0; ok && k < SEC_COUNT; k++) {
        size_t n = counts[k];
        for (size_t i = 0; i < n; i++) {
            uint64_t h = (uint64_t)k + 100;
            switch (k) {
            case SEC_ASSIGNMENTS: {
                const at_calc_assignment *a = &in->assignments[i];
                owner[i] = a->person;
                h = fold(fold(h, text_hash(a->id)),
                         id_or_none(ids ? ids->assignments : NULL, i));
                h = fold(fold(fold(h, text_hash(a->plan)), (uint64_t)(int64_t)a->start),
                         (uint64_t)(int64_t)a->end);
                h = fold(fold(h, (uint64_t)a->target_incentive), currency_hash(in, a->currency));
                h = fold(h, plan_versions_hash(in, a->plan));
                break;
            }
            case SEC_QUOTAS: {
                const at_calc_quota *q = &in->quotas[i];
                owner[i] = q->person;
                h = fold(fold(fold(h, text_hash(q->measure)), (uint64_t)q->kind),
                         (uint64_t)(int64_t)q->fiscal_year);
                h = fold(fold(fold(h, (uint64_t)(int64_t)q->number), (uint64_t)q->amount),
                         currency_hash(in, q->currency));
                break;
            }
            case SEC_METRICS: {
                const at_calc_metric *m = &in->metrics[i];
                owner[i] = m->person;
                h = fold(fold(fold(h, text_hash(m->metric)), (uint64_t)m->kind),
                         (uint64_t)(int64_t)m->fiscal_year);
                h = fold(fold(h, (uint64_t)(int64_t)m->number), (uint64_t)m->value);
                break;
            }
            case SEC_ACTIVITIES: {
                const at_calc_activity *a = &in->activities[i];
                owner[i] = a->person;
                h = fold(fold(fold(h, a->type), a->meaningful), (uint64_t)(int64_t)a->day);
                break;
            }
            case SEC_LEAVES: {
                const at_calc_leave *l = &in->leaves[i];
                owner[i] = l->person;
                h = fold(fold(h, (uint64_t)(int64_t)l->start), (uint64_t)(int64_t)l->end);
                break;
            }
            case SEC_LOCKED: {
                const at_calc_locked_line *l = &in->locked[i];
                owner[i] = l->person;
                h = fold(fold(fold(h, text_hash(month_label(in, l->month))), text_hash(l->key)),
                         (uint64_t)l->amount);
                break;
            }
            case SEC_MANUAL: {
                const at_calc_manual_line *l = &in->manual[i];
                owner[i] = l->person;
                h = fold(fold(fold(h, text_hash(month_label(in, l->month))), text_hash(l->key)),
                         (uint64_t)l->amount);
                h = fold(h, text_hash(l->explain));
                break;
            }
            }
            hash[i] = h;
        }
        ok = section_build(&sec[k], in->person_count, n, owner, hash);
    }
    free(owner);
    free(hash);
    return ok ? AT_OK : at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory hashing payees");
}

/* Each transaction as a payee's calculation sees it: its own columns and its original's. Five
 * mixes a row; within each mix's input every field is multiplied by an odd constant (a
 * bijection), so a row that differs in one field always hashes differently. */
typedef struct tx_part {
    const at_calc_input *in;
    const int64_t *tids;
    const uint64_t *products, *base;
    uint64_t *out;
    size_t from, to;
    bool originals;           /* second pass: fold in the original's hash */
} tx_part;

static void *tx_part_main(void *arg)
{
    const tx_part *p = arg;
    const at_calc_input *in = p->in;
    const at_calc_transactions *x = &in->transactions;
    for (size_t t = p->from; t < p->to; t++) {
        if (p->originals) {
            int32_t o = x->original[t];
            p->out[t] = mix(p->base[t] ^ (o >= 0 && (size_t)o < x->count ? p->base[o] : NONE) *
                                             UINT64_C(0xd6e8feb86659fd93));
            continue;
        }
        uint64_t h = mix(text_hash(x->id[t]) + id_or_none(p->tids, t) * UINT64_C(0xff51afd7ed558ccd));
        h = mix(h ^ ((uint64_t)x->type[t] | (uint64_t)x->has_margin[t] << 8 |
                     (uint64_t)(uint32_t)x->date[t] << 32) *
                        UINT64_C(0xc4ceb9fe1a85ec53));
        h = mix(h + (uint64_t)x->amount[t] * UINT64_C(0x9e3779b97f4a7c15) +
                currency_hash(in, x->currency[t]) * UINT64_C(0xbf58476d1ce4e5b9));
        h = mix(h ^ (x->has_margin[t] ? (uint64_t)x->margin[t] : NONE) *
                        UINT64_C(0x94d049bb133111eb) ^
                (uint64_t)x->quantity[t] * UINT64_C(0x632be59bd9b4e019));
        int32_t pr = x->product[t];
        h = mix(h + (pr >= 0 && (size_t)pr < in->product_count ? p->products[pr] : NONE));
        p->out[t] = h;
    }
    return NULL;
}

/* Runs the rows [0, n) of a pass on `threads` threads. */
static void tx_pass(tx_part proto, size_t n, int threads)
{
    tx_part parts[64];
    pthread_t tids[64];
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    if (n < 1024) /* threads cost more than they save */
        threads = 1;
    for (int k = 0; k < threads; k++) {
        parts[k] = proto;
        parts[k].from = n * (size_t)k / (size_t)threads;
        parts[k].to = n * (size_t)(k + 1) / (size_t)threads;
    }
    int started = 0;
    for (int k = 1; k < threads; k++) {
        if (pthread_create(&tids[k], NULL, tx_part_main, &parts[k]) != 0)
            break;
        started = k;
    }
    tx_part_main(&parts[0]);
    for (int k = started + 1; k < threads; k++)
        tx_part_main(&parts[k]);
    for (int k = 1; k <= started; k++)
        pthread_join(tids[k], NULL);
}

static uint64_t *transaction_hashes(const at_calc_input *in, const at_calc_digest_ids *ids,
                                    int threads)
{
    const at_calc_transactions *x = &in->transactions;
    uint64_t *base = malloc((x->count > 0 ? x->count : 1) * sizeof *base);
    uint64_t *full = malloc((x->count > 0 ? x->count : 1) * sizeof *full);
    uint64_t *products = malloc((in->product_count + 1) * sizeof *products);
    if (!base || !full || !products) {
        free(base);
        free(full);
        free(products);
        return NULL;
    }
    for (size_t i = 0; i < in->product_count; i++)
        products[i] = fold(text_hash(in->products[i].id), text_hash(in->products[i].family));
    tx_part proto = {.in = in, .tids = ids ? ids->transactions : NULL, .products = products,
                     .out = base};
    tx_pass(proto, x->count, threads);
    proto.originals = true;
    proto.base = base;
    proto.out = full;
    tx_pass(proto, x->count, threads);
    free(base);
    free(products);
    return full;
}

/* What the payees' digests share: the grouped rows and the hashes of transactions and
 * people. */
typedef struct digest_job {
    const at_calc_input *in;
    const at_calc_credits *credits;
    const int64_t *person_ids;
    const int32_t *people;
    section sec[SEC_COUNT];
    const uint64_t *tx, *who;
    at_calc_digest *out;
} digest_job;

static void digest_payee(const digest_job *j, size_t i)
{
    const at_calc_input *in = j->in;
    const at_calc_credits *c = j->credits;
    int32_t p = j->people ? j->people[i] : (int32_t)i;
    const at_calc_person *P = &in->people[p];
    size_t tx_count = in->transactions.count;
    sink s;
    sink_init(&s, "attain payee digest");
    sink_u64(&s, AT_CALC_DIGEST_FORMAT);
    sink_text(&s, P->id);
    sink_u64(&s, id_or_none(j->person_ids, (size_t)p));
    sink_u64(&s, (uint64_t)(int64_t)P->hire);
    sink_u64(&s, (uint64_t)(int64_t)P->exit);
    sink_u64(&s, currency_hash(in, P->pay_currency));
    for (int k = 0; k < SEC_COUNT; k++)
        sink_rows(&s, (uint64_t)k + 10, j->sec[k].hash + j->sec[k].start[p],
                  j->sec[k].start[p + 1] - j->sec[k].start[p]);
    sink_u64(&s, in->draw_balance_before ? (uint64_t)in->draw_balance_before[p] : NONE);
    /* credits, in the table's order */
    size_t a = c->person_start[p], b = calc_person_end(c, p);
    sink_u64(&s, 20);
    sink_u64(&s, b - a);
    for (size_t k = a; k < b; k++) {
        /* the transactions' hashes are read in the credits' order, all over the table: ask
           for one a few credits ahead so that the cache misses overlap */
        if (k + 16 < b) {
            int32_t ahead = c->transaction[k + 16];
            if (ahead >= 0 && (size_t)ahead < tx_count)
                __builtin_prefetch(&j->tx[ahead]);
        }
        /* one 64-bit hash per credit, three mixes of its fields: within each mix's input a
           field is multiplied by an odd constant (a bijection), so a credit that differs in
           one field always hashes differently */
        int32_t t = c->transaction[k];
        int32_t f = c->from_person[k];
        uint64_t h = mix((t >= 0 && (size_t)t < tx_count ? j->tx[t] : NONE) +
                         ((uint64_t)c->kind[k] | (uint64_t)c->level[k] << 8 |
                          (uint64_t)c->role[k] << 16 | (uint64_t)(uint32_t)c->date[k] << 32) *
                             UINT64_C(0xff51afd7ed558ccd));
        h = mix(h ^ (f >= 0 && (size_t)f < in->person_count ? j->who[f] : NONE) ^
                (uint64_t)c->share[k] * UINT64_C(0xc4ceb9fe1a85ec53));
        h = mix(h + (uint64_t)c->amount[k] * UINT64_C(0x9e3779b97f4a7c15) +
                (uint64_t)c->margin[k] * UINT64_C(0xd6e8feb86659fd93));
        sink_u64(&s, h);
    }
    sink_end(&s, &j->out[i]);
}

typedef struct digest_part {
    const digest_job *job;
    size_t from, to;
} digest_part;

static void *digest_part_main(void *arg)
{
    const digest_part *part = arg;
    for (size_t i = part->from; i < part->to; i++)
        digest_payee(part->job, i);
    return NULL;
}

at_code at_calc_payee_digests(const at_calc_input *in, const at_calc_credits *credits,
                              const at_calc_digest_ids *ids, const int32_t *people,
                              size_t count, int threads, at_calc_digest *out, at_error *err)
{
    if (!in || !credits || (!credits->person_start && in->person_count))
        return at_fail(err, AT_ERR_INVALID, NULL, "give the input and its credit table",
                       "payee digests need an input and a credit table");
    if (!people)
        count = in->person_count;
    for (size_t i = 0; i < count; i++) {
        int32_t p = people ? people[i] : (int32_t)i;
        if (p < 0 || (size_t)p >= in->person_count)
            return at_fail(err, AT_ERR_INVALID, "people", "give indexes into input->people",
                           "payee index %d is not a person of the input", (int)p);
    }
    if (sodium_init() < 0)
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "libsodium did not start");
    digest_job job = {.in = in, .credits = credits, .people = people, .out = out};
    job.person_ids = ids ? ids->people : NULL;
    uint64_t *tx = NULL, *who = NULL;
    at_code rc = build_sections(in, ids, job.sec, err);
    if (rc == AT_OK) {
        tx = transaction_hashes(in, ids, threads);
        who = malloc((in->person_count > 0 ? in->person_count : 1) * sizeof *who);
        if (!tx || !who)
            rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory hashing payees");
    }
    for (size_t p = 0; rc == AT_OK && p < in->person_count; p++)
        who[p] = fold(fold(5, text_hash(in->people[p].id)), id_or_none(job.person_ids, p));
    job.tx = tx;
    job.who = who;
    if (rc == AT_OK) {
        /* payees are independent: parts of about equal credits on threads */
        if (threads < 1)
            threads = 1;
        if (threads > 64)
            threads = 64;
        size_t total = 0;
        for (size_t i = 0; i < count; i++) {
            int32_t p = people ? people[i] : (int32_t)i;
            total += calc_person_end(credits, p) - credits->person_start[p] + 1;
        }
        digest_part parts[64];
        pthread_t tids[64];
        int n = 0;
        size_t from = 0, acc = 0;
        for (size_t i = 0; i < count; i++) {
            int32_t p = people ? people[i] : (int32_t)i;
            acc += calc_person_end(credits, p) - credits->person_start[p] + 1;
            if (n < threads - 1 && acc * (size_t)threads >= total * (size_t)(n + 1)) {
                parts[n++] = (digest_part){&job, from, i + 1};
                from = i + 1;
            }
        }
        parts[n++] = (digest_part){&job, from, count};
        int started = 0;
        for (int k = 1; k < n; k++) {
            if (pthread_create(&tids[k], NULL, digest_part_main, &parts[k]) != 0)
                break;
            started = k;
        }
        digest_part_main(&parts[0]);
        for (int k = started + 1; k < n; k++) /* not started: here */
            digest_part_main(&parts[k]);
        for (int k = 1; k <= started; k++)
            pthread_join(tids[k], NULL);
    }
    for (int k = 0; k < SEC_COUNT; k++)
        section_free(&job.sec[k]);
    free(tx);
    free(who);
    return rc;
}

void at_calc_digest_hex(const at_calc_digest *d, char hex[2 * AT_CALC_DIGEST_SIZE + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < AT_CALC_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[d->bytes[i] >> 4];
        hex[2 * i + 1] = digits[d->bytes[i] & 15];
    }
    hex[2 * AT_CALC_DIGEST_SIZE] = '\0';
}
