/* fingerprint.c - the order-independent input fingerprint of a run (fingerprint.h). */
#include "pay/fingerprint.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

/* splitmix64's finaliser: a strong 64-bit mix */
static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

static uint64_t text_hash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);
    if (!s)
        return mix(h ^ 0xff);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return mix(h);
}

/* folds one value into a row's hash */
static uint64_t fold(uint64_t h, uint64_t v)
{
    return mix(h ^ mix(v + UINT64_C(0x632be59bd9b4e019)));
}

typedef struct table_digest {
    uint64_t count, sum, xor_, squares;
} table_digest;

static void add_row(table_digest *t, uint64_t h)
{
    t->count++;
    t->sum += h;
    t->xor_ ^= h;
    t->squares += h * h;
}

static void put_table(struct sha256_ctx *ctx, const char *name, const table_digest *t)
{
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%s %llu %016llx %016llx %016llx\n", name,
                     (unsigned long long)t->count, (unsigned long long)t->sum,
                     (unsigned long long)t->xor_, (unsigned long long)t->squares);
    sha256_update(ctx, (size_t)n, (const uint8_t *)buf);
}

static uint64_t person_hash(const at_calc_input *in, int32_t p)
{
    return p >= 0 && (size_t)p < in->person_count ? text_hash(in->people[p].id) : 0;
}

static uint64_t currency_hash(const at_calc_input *in, at_calc_currency c)
{
    return c >= 0 && (size_t)c < in->currency_count ? text_hash(in->currencies[c]) : 0;
}

at_code at_pay_fingerprint(const at_calc_input *in, char hex[65], at_error *err)
{
    (void)err;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    table_digest t;

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->person_count; i++) {
        const at_calc_person *p = &in->people[i];
        uint64_t h = text_hash(p->id);
        h = fold(h, text_hash(p->name));
        h = fold(h, (uint64_t)(int64_t)p->hire);
        h = fold(h, (uint64_t)(int64_t)p->exit);
        h = fold(h, currency_hash(in, p->pay_currency));
        add_row(&t, h);
    }
    put_table(&ctx, "people", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->reporting_line_count; i++) {
        const at_calc_reporting_line *r = &in->reporting_lines[i];
        uint64_t h = fold(person_hash(in, r->person), person_hash(in, r->manager));
        h = fold(fold(h, (uint64_t)(int64_t)r->start), (uint64_t)(int64_t)r->end);
        add_row(&t, h);
    }
    put_table(&ctx, "reporting_lines", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->leave_count; i++) {
        const at_calc_leave *l = &in->leaves[i];
        add_row(&t, fold(fold(person_hash(in, l->person), (uint64_t)(int64_t)l->start),
                         (uint64_t)(int64_t)l->end));
    }
    put_table(&ctx, "leaves", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->product_count; i++)
        add_row(&t, fold(text_hash(in->products[i].id), text_hash(in->products[i].family)));
    put_table(&ctx, "products", &t);

    const at_calc_transactions *x = &in->transactions;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < x->count; i++) {
        uint64_t h = text_hash(x->id[i]);
        h = fold(h, x->type[i]);
        h = fold(h, (uint64_t)(int64_t)x->date[i]);
        h = fold(h, (uint64_t)x->amount[i]);
        h = fold(h, currency_hash(in, x->currency[i]));
        h = fold(h, x->has_margin[i] ? (uint64_t)x->margin[i] : UINT64_C(0x5eed));
        h = fold(h, (uint64_t)x->quantity[i]);
        int32_t pr = x->product[i];
        h = fold(h, pr >= 0 ? text_hash(in->products[pr].id) : 0);
        h = fold(h, x->account[i] >= 0 ? 1 : 0);
        h = fold(h, person_hash(in, x->owner[i]));
        int32_t o = x->original[i];
        h = fold(h, o >= 0 ? text_hash(x->id[o]) : 0);
        add_row(&t, h);
    }
    put_table(&ctx, "transactions", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->tx_person_count; i++) {
        const at_calc_tx_person *r = &in->tx_people[i];
        uint64_t h = fold(text_hash(x->id[r->transaction]), person_hash(in, r->person));
        h = fold(fold(h, r->role), (uint64_t)r->share);
        add_row(&t, h);
    }
    put_table(&ctx, "transaction_people", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->territory_account_count; i++) {
        const at_calc_territory_account *r = &in->territory_accounts[i];
        add_row(&t, fold((uint64_t)(int64_t)r->start, (uint64_t)(int64_t)r->end));
    }
    put_table(&ctx, "territory_accounts", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->territory_person_count; i++) {
        const at_calc_territory_person *r = &in->territory_people[i];
        uint64_t h = fold(person_hash(in, r->person), r->role);
        add_row(&t, fold(fold(h, (uint64_t)(int64_t)r->start), (uint64_t)(int64_t)r->end));
    }
    put_table(&ctx, "territory_people", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->quota_count; i++) {
        const at_calc_quota *q = &in->quotas[i];
        uint64_t h = fold(person_hash(in, q->person), text_hash(q->measure));
        h = fold(fold(h, (uint64_t)q->kind), (uint64_t)q->fiscal_year);
        h = fold(fold(h, (uint64_t)q->number), (uint64_t)q->amount);
        add_row(&t, fold(h, currency_hash(in, q->currency)));
    }
    put_table(&ctx, "quotas", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->assignment_count; i++) {
        const at_calc_assignment *a = &in->assignments[i];
        uint64_t h = fold(text_hash(a->id), person_hash(in, a->person));
        h = fold(fold(h, text_hash(a->plan)), (uint64_t)(int64_t)a->start);
        h = fold(fold(h, (uint64_t)(int64_t)a->end), (uint64_t)a->target_incentive);
        add_row(&t, fold(h, currency_hash(in, a->currency)));
    }
    put_table(&ctx, "plan_assignments", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->metric_count; i++) {
        const at_calc_metric *m = &in->metrics[i];
        uint64_t h = fold(person_hash(in, m->person), text_hash(m->metric));
        h = fold(fold(h, (uint64_t)m->kind), (uint64_t)m->fiscal_year);
        add_row(&t, fold(fold(h, (uint64_t)m->number), (uint64_t)m->value));
    }
    put_table(&ctx, "metrics", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->activity_count; i++) {
        const at_calc_activity *a = &in->activities[i];
        uint64_t h = fold(person_hash(in, a->person), a->type);
        add_row(&t, fold(fold(h, a->meaningful), (uint64_t)(int64_t)a->day));
    }
    put_table(&ctx, "activities", &t);

    memset(&t, 0, sizeof t);
    if (in->fx)
        for (size_t i = 0; i < in->fx->count; i++) {
            const at_fx_row *r = &in->fx->rows[i];
            uint64_t h = fold(fold(r->from, r->to), (uint64_t)(int64_t)r->effective);
            add_row(&t, fold(h, (uint64_t)r->rate));
        }
    put_table(&ctx, "exchange_rates", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->locked_count; i++) {
        const at_calc_locked_line *l = &in->locked[i];
        uint64_t h = fold(person_hash(in, l->person), (uint64_t)l->month);
        add_row(&t, fold(fold(h, text_hash(l->key)), (uint64_t)l->amount));
    }
    put_table(&ctx, "closed_lines", &t);

    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->manual_count; i++) {
        const at_calc_manual_line *l = &in->manual[i];
        uint64_t h = fold(person_hash(in, l->person), (uint64_t)l->month);
        add_row(&t, fold(fold(h, text_hash(l->key)), (uint64_t)l->amount));
    }
    if (in->manual_count)
        put_table(&ctx, "manual_lines", &t);

    /* the calendar, the months computed and the plan versions (each by its own sha256) */
    char buf[256];
    const at_fiscal_calendar *cal = &in->calendar->calendar;
    const at_period *months = in->calendar->periods[AT_PERIOD_MONTH];
    int n = snprintf(buf, sizeof buf, "calendar %d %d %d %d %d months %s %s\n", cal->start_month,
                     (int)cal->named_by, (int)cal->pattern, cal->week_ends_on,
                     (int)cal->end_rule, months[in->first_month].label,
                     months[in->last_month].label);
    sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < in->plan_count; i++) {
        const at_plan *p = in->plans[i];
        add_row(&t, fold(fold(text_hash(p->name), (uint64_t)p->version), text_hash(p->sha256)));
    }
    put_table(&ctx, "plans", &t);

    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
    return AT_OK;
}
