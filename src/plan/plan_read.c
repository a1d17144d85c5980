/* plan_read.c - reading a plan document into an at_plan (plan.h): the top level (name,
 * effective dates, currency, rounding, frequency, proration, clawback, draw), the metrics and
 * the measures; components are read by plan_components.c, formulas compiled by
 * plan_formulas.c. Every problem is reported (not just the first) with file:line:column. */
#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/currency.h"
#include "plan/plan_impl.h"

/* Largest plan document read (a plan is a few kilobytes). */
#define PLAN_FILE_MAX (16u << 20)

static const char *const top_keys[] = {
    "plan",     "description", "effective", "currency",   "fx_date", "rounding", "frequency",
    "proration", "clawback",   "metrics",   "measures",   "components", "draw",  NULL,
};
static const char *const effective_keys[] = {"from", "to", NULL};
static const char *const clawback_keys[] = {"within_days", "share", NULL};
static const char *const draw_keys[] = {"amount", "recoverable", "months", NULL};
static const char *const metric_keys[] = {"name", "unit", NULL};
static const char *const measure_keys[] = {
    "id",      "name",     "basis", "sum", "window", "credit", "rollup_levels",
    "territory_roles", "product_families", "products", "from", "to", "quota", NULL,
};

static void sha256_hex(const char *text, size_t length, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, length, (const uint8_t *)text);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

/* ---- top level ---------------------------------------------------------------------------- */

/* effective: {from, to}, each optional; to on or after from. */
static void read_span(at_plan_reader *R, const at_yaml_node *n, const char *what, at_day *from,
                      at_day *to)
{
    *from = AT_DAY_MIN;
    *to = AT_DAY_MAX;
    if (!at_plan_want_map(R, n, what, "write {from: 2026-01-01, to: 2026-12-31}"))
        return;
    at_plan_check_keys(R, n, effective_keys, what, "a span of days");
    const at_yaml_node *f = at_plan_get(n, "from"), *t = at_plan_get(n, "to");
    bool okf = f && at_plan_read_day(R, f, "from", from);
    bool okt = t && at_plan_read_day(R, t, "to", to);
    if (okf && okt && *to < *from) {
        char a[AT_DATE_TEXT_MAX], b[AT_DATE_TEXT_MAX];
        at_day_format(*from, a, sizeof a);
        at_day_format(*to, b, sizeof b);
        at_plan_problem(R, t, AT_ERR_INVALID, "make `to` the same day as `from` or later",
                        "%s: `to` %s is before `from` %s", what, b, a);
    }
}

static void read_clawback(at_plan_reader *R, const at_yaml_node *n, at_plan_clawback *c)
{
    c->pos = at_plan_pos_of(R, n);
    if (!at_plan_want_map(R, n, "clawback", "write {within_days: 90, share: 100%}"))
        return;
    at_plan_check_keys(R, n, clawback_keys, "clawback", "clawback");
    const at_yaml_node *w = at_plan_get(n, "within_days"), *s = at_plan_get(n, "share");
    int64_t days;
    if (w && at_plan_read_int(R, w, "clawback within_days", 0, 36500, &days))
        c->within_days = (int)days;
    at_rate share;
    if (s && at_plan_read_rate(R, s, "clawback share", true, &share)) {
        if (share < 0)
            at_plan_problem(R, s, AT_ERR_INVALID, "write a share from 0% to 100%",
                            "clawback share is negative");
        else
            c->share = share;
    }
}

static void read_draw(at_plan_reader *R, const at_yaml_node *n, at_plan_draw *d)
{
    d->pos = at_plan_pos_of(R, n);
    if (!at_plan_want_map(R, n, "draw", "write {amount: 1500, recoverable: true, months: 6}"))
        return;
    d->present = true;
    at_plan_check_keys(R, n, draw_keys, "draw", "a draw");
    const at_yaml_node *a = at_plan_get(n, "amount"), *r = at_plan_get(n, "recoverable"),
                       *m = at_plan_get(n, "months");
    if (!a)
        at_plan_problem(R, n, AT_ERR_INVALID, "add `amount: 1500` (the monthly guarantee)",
                        "the draw has no amount");
    else if (at_plan_read_money(R, a, "draw amount", &d->amount) && d->amount <= 0)
        at_plan_problem(R, a, AT_ERR_INVALID, "write the monthly amount the draw guarantees",
                        "draw amount must be more than 0");
    if (!r)
        at_plan_problem(R, n, AT_ERR_INVALID,
                        "add `recoverable: true` (an advance recovered from later earnings) or "
                        "`recoverable: false` (a guarantee that is forgiven)",
                        "the draw does not say whether it is recoverable");
    else
        at_plan_read_bool(R, r, "draw recoverable", &d->recoverable);
    int64_t months;
    if (m && at_plan_read_int(R, m, "draw months", 0, 1200, &months))
        d->months = (int)months;
}

static void read_metrics(at_plan_reader *R, const at_yaml_node *n)
{
    if (!at_plan_want_list(R, n, "metrics", "write a list: - {name: avg_margin, unit: number}"))
        return;
    R->metrics = at_arena_calloc(R->arena, n->count ? n->count : 1, sizeof *R->metrics);
    if (!R->metrics) {
        at_plan_nomem(R);
        return;
    }
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        if (!at_plan_want_map(R, it, "a metric", "write {name: avg_margin, unit: number}"))
            continue;
        at_plan_check_keys(R, it, metric_keys, "a metric", "a metric");
        at_plan_metric m = {.unit = AT_UNIT_NUMBER, .pos = at_plan_pos_of(R, it)};
        const at_yaml_node *name = at_plan_get(it, "name"), *unit = at_plan_get(it, "unit");
        bool ok = false;
        if (!name)
            at_plan_problem(R, it, AT_ERR_INVALID, "add `name: avg_margin` (as metrics.csv names it)",
                            "the metric has no name");
        else
            ok = at_plan_read_ident(R, name, "metric name", &m.name);
        int u;
        if (!unit)
            at_plan_problem(R, it, AT_ERR_INVALID, "add `unit: money`, `unit: number` or `unit: count`",
                            "the metric has no unit");
        else if (at_plan_read_enum(R, unit, "metric unit", at_plan_unit_names, &u))
            m.unit = (at_unit)u;
        if (!ok)
            continue;
        bool dup = false;
        for (size_t j = 0; j < R->metric_count && !dup; j++)
            dup = strcmp(R->metrics[j].name, m.name) == 0;
        if (dup) {
            at_plan_problem(R, name, AT_ERR_CONFLICT, "declare each metric once",
                            "metric '%s' is declared twice", m.name);
            continue;
        }
        R->metrics[R->metric_count++] = m;
    }
}

/* ---- measures ----------------------------------------------------------------------------- */

/* A list of words from names as bits; false (reported) when one is wrong or repeated. */
static bool read_word_bits(at_plan_reader *R, const at_yaml_node *n, const char *what,
                           const char *const *names, uint32_t *bits)
{
    *bits = 0;
    char hint[160];
    snprintf(hint, sizeof hint, "write a list, e.g. [%s, %s]", names[0], names[1]);
    if (!at_plan_want_list(R, n, what, hint))
        return false;
    bool ok = true;
    for (size_t i = 0; i < n->count; i++) {
        int k;
        if (!at_plan_read_enum(R, n->items[i], what, names, &k)) {
            ok = false;
            continue;
        }
        if (*bits & (1u << k)) {
            at_plan_problem(R, n->items[i], AT_ERR_CONFLICT, "list each kind once",
                            "'%s' is listed twice in %s", names[k], what);
            ok = false;
        }
        *bits |= 1u << k;
    }
    if (n->count == 0) {
        at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s is empty", what);
        return false;
    }
    return ok;
}

static void read_measure(at_plan_reader *R, const at_yaml_node *n, size_t index)
{
    at_plan_measure *m = &R->measures[index];
    *m = (at_plan_measure){.basis = AT_BASIS_BOOKING,
                           .sum = AT_SUM_AMOUNT,
                           .window = AT_WINDOW_MONTH,
                           .credit_kinds = (1u << AT_CREDIT_OWNER) | (1u << AT_CREDIT_SPLIT),
                           .from = AT_DAY_MIN,
                           .to = AT_DAY_MAX,
                           .pos = at_plan_pos_of(R, n)};
    char what[96];
    snprintf(what, sizeof what, "measure %zu", index + 1);
    if (!at_plan_want_map(R, n, what, "write a measure as `- id: bookings` with its keys below"))
        return;
    const at_yaml_node *v;
    if ((v = at_plan_get(n, "id")) != NULL && at_plan_read_ident(R, v, "measure id", &m->id))
        snprintf(what, sizeof what, "measure '%s'", m->id);
    else if (!v)
        at_plan_problem(R, n, AT_ERR_INVALID,
                        "add `id: bookings`: components and formulas name a measure by its id",
                        "%s has no id", what);
    at_plan_check_keys(R, n, measure_keys, what, "a measure");
    if ((v = at_plan_get(n, "name")) != NULL)
        at_plan_read_text(R, v, "measure name", 200, &m->name);
    if (!m->name)
        m->name = m->id;
    int k;
    if ((v = at_plan_get(n, "basis")) != NULL &&
        at_plan_read_enum(R, v, "measure basis", at_plan_basis_names, &k))
        m->basis = (at_plan_basis)k;
    if ((v = at_plan_get(n, "window")) != NULL &&
        at_plan_read_enum(R, v, "measure window", at_plan_window_names, &k))
        m->window = (at_plan_window)k;
    if ((v = at_plan_get(n, "credit")) != NULL) {
        uint32_t bits;
        if (read_word_bits(R, v, "measure credit", at_plan_credit_names, &bits))
            m->credit_kinds = bits;
    }
    const at_yaml_node *levels = at_plan_get(n, "rollup_levels");
    if (levels) {
        int64_t l;
        if (at_plan_read_int(R, levels, "rollup_levels", 0, 100, &l))
            m->rollup_levels = (int)l;
        if (!(m->credit_kinds & (1u << AT_CREDIT_ROLLUP)))
            at_plan_problem(R, levels, AT_ERR_INVALID,
                            "add rollup to `credit:`, or remove rollup_levels",
                            "rollup_levels is given but %s does not count rollup credits", what);
    }
    const at_yaml_node *roles = at_plan_get(n, "territory_roles");
    if (roles) {
        uint32_t bits;
        if (read_word_bits(R, roles, "territory_roles", at_plan_territory_role_names, &bits))
            m->territory_roles = bits;
        if (!(m->credit_kinds & (1u << AT_CREDIT_TERRITORY)))
            at_plan_problem(R, roles, AT_ERR_INVALID,
                            "add territory to `credit:`, or remove territory_roles",
                            "territory_roles is given but %s does not count territory credits",
                            what);
    }
    if ((v = at_plan_get(n, "product_families")) != NULL)
        at_plan_read_text_list(R, v, "product_families", &m->product_families,
                               &m->product_family_count);
    if ((v = at_plan_get(n, "products")) != NULL)
        at_plan_read_text_list(R, v, "products", &m->products, &m->product_count);
    const at_yaml_node *f = at_plan_get(n, "from"), *t = at_plan_get(n, "to");
    bool okf = f && at_plan_read_day(R, f, "measure from", &m->from);
    bool okt = t && at_plan_read_day(R, t, "measure to", &m->to);
    if (okf && okt && m->to < m->from)
        at_plan_problem(R, t, AT_ERR_INVALID, "make `to` the same day as `from` or later",
                        "%s: `to` is before `from`", what);
    m->quota = m->id;
    if ((v = at_plan_get(n, "quota")) != NULL) {
        const char *q;
        if (at_plan_read_text(R, v, "measure quota", 128, &q))
            m->quota = strcmp(q, "none") == 0 ? NULL : q;
    }
    /* sum last: a formula is compiled with the measure's id known */
    if ((v = at_plan_get(n, "sum")) != NULL && v->type == AT_YAML_SCALAR && !at_yaml_is_null(v)) {
        bool word = false;
        for (int i = 0; at_plan_sum_names[i]; i++) {
            if (strcmp(at_plan_sum_names[i], v->text) == 0) {
                m->sum = (at_plan_sum)i;
                word = true;
            }
        }
        if (!word) {
            m->sum = AT_SUM_FORMULA;
            m->sum_formula = at_plan_compile(R, v, AT_FORMULA_USE_MEASURE_SUM, (int)index, -1);
        }
    } else if (v) {
        int dummy;
        at_plan_read_enum(R, v, "measure sum", at_plan_sum_names, &dummy);
    }
}

static void read_measures(at_plan_reader *R, const at_yaml_node *n)
{
    if (!at_plan_want_list(R, n, "measures", "write a list: - id: bookings ..."))
        return;
    R->measures = at_arena_calloc(R->arena, n->count ? n->count : 1, sizeof *R->measures);
    if (!R->measures) {
        at_plan_nomem(R);
        return;
    }
    /* ids first, so that a sum formula's errors can name measures declared after it */
    R->measure_count = n->count;
    for (size_t i = 0; i < n->count && !R->nomem; i++)
        read_measure(R, n->items[i], i);
    for (size_t i = 0; i < n->count; i++) {
        const at_plan_measure *m = &R->measures[i];
        if (!m->id)
            continue;
        const at_yaml_node *idn = at_plan_get(n->items[i], "id");
        if (at_plan_reserved_name(m->id)) {
            at_plan_problem(R, idn, AT_ERR_INVALID,
                            "choose another id: formulas give this word a meaning of its own",
                            "measure id '%s' is a reserved word", m->id);
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (R->measures[j].id && strcmp(R->measures[j].id, m->id) == 0) {
                at_plan_problem(R, idn, AT_ERR_CONFLICT, "give each measure an id of its own",
                                "measure id '%s' is used twice (first at line %d)", m->id,
                                R->measures[j].pos.line);
                break;
            }
        }
    }
}

/* ---- the document ------------------------------------------------------------------------- */

static void read_top(at_plan_reader *R, const at_yaml_node *root)
{
    at_plan *p = R->plan;
    if (!at_plan_want_map(R, root, "a plan document", "start with `plan: NAME` (see docs/plans.md)"))
        return;
    at_plan_check_keys(R, root, top_keys, "the plan", "a plan");
    const at_yaml_node *v;
    if ((v = at_plan_get(root, "plan")) != NULL) {
        if (at_plan_read_text(R, v, "plan name", 128, &p->name))
            p->pos = at_plan_pos_of(R, v);
    } else {
        at_plan_problem(R, root, AT_ERR_INVALID,
                        "add `plan: NAME` (the name plan_assignments.csv uses)",
                        "the plan has no name");
    }
    if ((v = at_plan_get(root, "description")) != NULL)
        at_plan_read_text(R, v, "description", 4000, &p->description);
    if ((v = at_plan_get(root, "effective")) != NULL)
        read_span(R, v, "effective", &p->effective_from, &p->effective_to);
    if ((v = at_plan_get(root, "currency")) != NULL) {
        const char *c;
        if (at_plan_read_text(R, v, "currency", 8, &c)) {
            const at_currency *cur;
            at_error e;
            if (at_currency_lookup(at_str_from(c), &cur, &e) != AT_OK) {
                at_error_prefix_message(&e, "currency", ": ");
                at_plan_problem_error(R, v, &e);
            } else {
                p->currency = c;
            }
        }
    }
    int k;
    if ((v = at_plan_get(root, "fx_date")) != NULL &&
        at_plan_read_enum(R, v, "fx_date", at_plan_fx_date_names, &k))
        p->fx_date = (at_plan_fx_date)k;
    if ((v = at_plan_get(root, "rounding")) != NULL) {
        static const char *const modes[] = {"half-even", "half-up", "half-down", "down",
                                            "up",        "floor",   "ceiling",   NULL};
        if (at_plan_read_enum(R, v, "rounding", modes, &k))
            p->rounding = (at_rounding)k;
    }
    if ((v = at_plan_get(root, "frequency")) != NULL &&
        at_plan_read_enum(R, v, "frequency", at_plan_frequency_names, &k))
        p->frequency = (at_plan_frequency)k;
    if ((v = at_plan_get(root, "proration")) != NULL &&
        at_plan_read_enum(R, v, "proration", at_plan_proration_names, &k))
        p->proration = (at_plan_proration)k;
    if ((v = at_plan_get(root, "clawback")) != NULL)
        read_clawback(R, v, &p->clawback);
    if ((v = at_plan_get(root, "metrics")) != NULL)
        read_metrics(R, v);
    if ((v = at_plan_get(root, "measures")) != NULL)
        read_measures(R, v);
    if (R->nomem)
        return;
    /* components need the effective dates (spiffs), metrics and measures */
    p->metrics = R->metrics;
    p->metric_count = R->metric_count;
    p->measures = R->measures;
    p->measure_count = R->measure_count;
    if ((v = at_plan_get(root, "components")) != NULL)
        at_plan_read_components(R, v);
    else
        at_plan_problem(R, root, AT_ERR_INVALID,
                        "add `components:` with what the plan pays (see docs/plans.md)",
                        "the plan has no components");
    p->components = R->components;
    p->component_count = R->component_count;
    if ((v = at_plan_get(root, "draw")) != NULL)
        read_draw(R, v, &p->draw);
}

/* "file:12:5" -> 12, 5 (0, 0 when where has no place). */
static void place_of(const at_error *e, long *line, long *column)
{
    *line = *column = 0;
    const char *w = e->where;
    const char *c2 = strrchr(w, ':');
    if (!c2 || c2 == w)
        return;
    const char *c1 = c2 - 1;
    while (c1 > w && *c1 != ':')
        c1--;
    if (*c1 != ':')
        return;
    char *end;
    long l = strtol(c1 + 1, &end, 10);
    if (end != c2)
        return;
    long c = strtol(c2 + 1, &end, 10);
    if (*end)
        return;
    *line = l;
    *column = c;
}

/* Puts the problems this reader added in document order (stable: same place keeps order). */
static void sort_problems(at_error_list *list, size_t start)
{
    for (size_t i = start + 1; i < list->count; i++) {
        at_error e = list->items[i];
        long l, c;
        place_of(&e, &l, &c);
        size_t j = i;
        while (j > start) {
            long pl, pc;
            place_of(&list->items[j - 1], &pl, &pc);
            if (pl < l || (pl == l && pc <= c))
                break;
            list->items[j] = list->items[j - 1];
            j--;
        }
        list->items[j] = e;
    }
}

at_code at_plan_read(const char *text, size_t length, const char *file, at_arena *arena,
                     at_plan **out, at_error_list *problems, at_error *err)
{
    *out = NULL;
    at_error_list local;
    at_error_list_init(&local, 0);
    at_plan_reader R = {.file = file ? file : "plan", .arena = arena,
                        .problems = problems ? problems : &local};
    at_code code = AT_OK;
    size_t first_problem = R.problems->count;
    R.file_copy = at_arena_strdup(arena, R.file);
    at_plan *p = at_arena_calloc(arena, 1, sizeof *p);
    char *source = at_arena_alloc(arena, length + 1);
    if (!R.file_copy || !p || !source) {
        code = at_fail(err, AT_ERR_NOMEM, R.file, NULL, "out of memory reading the plan");
        goto done;
    }
    memcpy(source, text, length);
    source[length] = '\0';
    *p = (at_plan){.effective_from = AT_DAY_MIN,
                   .effective_to = AT_DAY_MAX,
                   .rounding = AT_ROUND_HALF_EVEN,
                   .clawback = {.within_days = -1, .share = AT_RATE_SCALE},
                   .source = source,
                   .source_length = length};
    sha256_hex(text, length, p->sha256);
    R.plan = p;

    at_yaml_node *root = NULL;
    at_error e;
    code = at_plan_yaml_parse(text, length, R.file, arena, &root, &e);
    if (code == AT_ERR_NOMEM) {
        if (err)
            *err = e;
        goto done;
    }
    if (code != AT_OK)
        at_plan_problem_error(&R, NULL, &e);
    else
        read_top(&R, root);
    code = AT_OK;
    if (R.nomem) {
        code = at_fail(err, AT_ERR_NOMEM, R.file, NULL, "out of memory reading the plan");
        goto done;
    }
    p->slots = R.slot_count ? at_arena_alloc(arena, R.slot_count * sizeof *p->slots) : NULL;
    if (R.slot_count) {
        if (!p->slots) {
            code = at_fail(err, AT_ERR_NOMEM, R.file, NULL, "out of memory reading the plan");
            goto done;
        }
        memcpy((at_plan_slot *)p->slots, R.slots, R.slot_count * sizeof *p->slots);
    }
    p->slot_count = R.slot_count;
    if (R.problem_count) {
        sort_problems(R.problems, first_problem);
        if (R.problems->count > first_problem)
            R.first = R.problems->items[first_problem];
        if (err) {
            *err = R.first;
            if (R.problem_count > 1) {
                char more[64];
                snprintf(more, sizeof more, " (and %zu more problem%s)", R.problem_count - 1,
                         R.problem_count == 2 ? "" : "s");
                size_t len = strlen(err->message);
                snprintf(err->message + len, sizeof err->message - len, "%s", more);
            }
        }
        code = AT_ERR_INVALID;
        goto done;
    }
    *out = p;
done:
    at_error_list_free(&local);
    return code;
}

at_code at_plan_read_file(const char *path, at_arena *arena, at_plan **out,
                          at_error_list *problems, at_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return at_fail_errno(err, AT_ERR_IO, path, "open the plan");
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return at_fail(err, AT_ERR_NOMEM, path, NULL, "out of memory reading the plan");
    }
    for (;;) {
        if (len == cap) {
            if (cap >= PLAN_FILE_MAX) {
                free(buf);
                fclose(f);
                return at_fail(err, AT_ERR_INVALID, path,
                               "a plan is a few kilobytes: is this the right file?",
                               "the file is larger than %u MiB", PLAN_FILE_MAX >> 20);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                fclose(f);
                return at_fail(err, AT_ERR_NOMEM, path, NULL, "out of memory reading the plan");
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return at_fail_errno(err, AT_ERR_IO, path, "read the plan");
    }
    at_code code = at_plan_read(buf, len, path, arena, out, problems, err);
    free(buf);
    return code;
}

int at_plan_find_measure(const at_plan *plan, const char *id)
{
    for (size_t i = 0; plan && id && i < plan->measure_count; i++)
        if (plan->measures[i].id && strcmp(plan->measures[i].id, id) == 0)
            return (int)i;
    return -1;
}

int at_plan_find_component(const at_plan *plan, const char *id)
{
    for (size_t i = 0; plan && id && i < plan->component_count; i++)
        if (plan->components[i].id && strcmp(plan->components[i].id, id) == 0)
            return (int)i;
    return -1;
}
