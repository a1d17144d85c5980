/* plan_formulas.c - compiling a plan's formulas (measure sums, formula components, gates) and
 * the slot table they share: each name a formula uses (a measure, its quota or attainment, an
 * earlier component, a metric, the target incentive, days, a credit's amount) gets one slot
 * (plan.h "formula slots"); the engine fills the slots before it evaluates. */
#include <stdio.h>
#include <string.h>

#include "plan/plan_impl.h"

typedef struct resolve_ctx {
    at_plan_reader *R;
    at_plan_formula_use use;
    int measure;   /* the measure (sum formulas) or the component's measure; -1 when none */
    int component; /* the component, -1 for sum formulas */
} resolve_ctx;

static at_code slot_for(resolve_ctx *x, at_plan_slot_kind kind, int index, at_unit unit,
                        const char *name, int *slot, at_error *err)
{
    at_plan_reader *R = x->R;
    for (size_t i = 0; i < R->slot_count; i++) {
        if (R->slots[i].kind == kind && R->slots[i].index == index) {
            *slot = (int)i;
            return AT_OK;
        }
    }
    if (R->slot_count == AT_FORMULA_SLOTS_MAX)
        return at_fail(err, AT_ERR_OVERFLOW, NULL, "use fewer different names in the formulas",
                       "the plan's formulas name more than %d different values",
                       AT_FORMULA_SLOTS_MAX);
    char *copy = at_arena_strdup(R->arena, name);
    if (!copy)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory compiling a formula");
    R->slots[R->slot_count] = (at_plan_slot){.kind = kind, .index = index, .unit = unit,
                                             .name = copy};
    *slot = (int)R->slot_count++;
    return AT_OK;
}

static at_unit measure_unit(const at_plan_measure *m)
{
    return m->sum == AT_SUM_COUNT || m->sum == AT_SUM_QUANTITY ? AT_UNIT_COUNT : AT_UNIT_MONEY;
}

static int find_measure(const at_plan_reader *R, const char *id)
{
    for (size_t i = 0; i < R->measure_count; i++)
        if (R->measures[i].id && strcmp(R->measures[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int find_component(const at_plan_reader *R, const char *id)
{
    for (size_t i = 0; i < R->component_total; i++)
        if (R->component_ids[i] && strcmp(R->component_ids[i], id) == 0)
            return (int)i;
    return -1;
}

/* The names a component formula could mean, for hints: measures, then earlier components. */
static void known_names(const resolve_ctx *x, char *buf, size_t size)
{
    const at_plan_reader *R = x->R;
    size_t o = (size_t)snprintf(buf, size, "names: ");
    size_t start = o;
    for (size_t i = 0; i < R->measure_count && o < size; i++)
        if (R->measures[i].id)
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o > start ? ", " : "",
                                  R->measures[i].id);
    for (int i = 0; i < x->component && o < size; i++)
        if (R->component_ids[i])
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o > start ? ", " : "",
                                  R->component_ids[i]);
    if (o < size)
        snprintf(buf + o, size - o, "%s<measure>.quota, <measure>.attainment, metric.<name>, "
                                    "target_incentive, days_in_period, days_on_plan",
                 o > start ? ", " : "");
}

static at_code quota_of(resolve_ctx *x, int m, bool attainment, int *slot, at_unit *unit,
                        at_error *err)
{
    const at_plan_measure *ms = &x->R->measures[m];
    char name[160];
    snprintf(name, sizeof name, "%s.%s", ms->id, attainment ? "attainment" : "quota");
    if (!ms->quota) {
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "give measure '%s' a quota (remove `quota: none`)", ms->id);
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "%s: measure '%s' has no quota", name,
                       ms->id);
    }
    *unit = attainment ? AT_UNIT_NUMBER : measure_unit(ms);
    return slot_for(x, attainment ? AT_SLOT_ATTAINMENT : AT_SLOT_QUOTA, m, *unit, name, slot,
                    err);
}

static at_code resolve(void *ctx, at_str name, at_unit *unit, int *slot, at_error *err)
{
    resolve_ctx *x = ctx;
    at_plan_reader *R = x->R;
    char text[160];
    if (name.len >= sizeof text)
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, "shorten the name",
                       "the name is too long to be a measure, component or metric");
    at_str_copy(name, text, sizeof text);
    char *dot = strchr(text, '.');

    if (x->use == AT_FORMULA_USE_MEASURE_SUM) {
        static const char *const credit[] = {"amount", "margin", "quantity"};
        for (int i = 0; i < 3; i++) {
            if (strcmp(text, credit[i]) == 0) {
                *unit = i == 2 ? AT_UNIT_COUNT : AT_UNIT_MONEY;
                return slot_for(x, (at_plan_slot_kind)(AT_SLOT_CREDIT_AMOUNT + i), -1, *unit,
                                text, slot, err);
            }
        }
        return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                       "a measure's sum formula reads one credit: amount, margin, quantity",
                       "unknown name '%s' in a measure's sum", text);
    }
    if (!dot) {
        if (strcmp(text, "quota") == 0 || strcmp(text, "attainment") == 0) {
            if (x->measure < 0)
                return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                               "this component pays on no measure: name one, as "
                               "bookings.attainment",
                               "'%s' needs the component's measure, and it has none", text);
            return quota_of(x, x->measure, text[0] == 'a', slot, unit, err);
        }
        if (strcmp(text, "target_incentive") == 0) {
            *unit = AT_UNIT_MONEY;
            return slot_for(x, AT_SLOT_TARGET_INCENTIVE, -1, *unit, text, slot, err);
        }
        if (strcmp(text, "days_in_period") == 0 || strcmp(text, "days_on_plan") == 0) {
            *unit = AT_UNIT_COUNT;
            return slot_for(x, text[5] == 'i' ? AT_SLOT_DAYS_IN_PERIOD : AT_SLOT_DAYS_ON_PLAN,
                            -1, *unit, text, slot, err);
        }
        if (strcmp(text, "amount") == 0 || strcmp(text, "margin") == 0 ||
            strcmp(text, "quantity") == 0)
            return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                           "a credit's amount, margin and quantity are read by a measure's "
                           "`sum:`; here name the measure",
                           "'%s' is a credit's value, not known here", text);
        int m = find_measure(R, text);
        if (m >= 0) {
            *unit = measure_unit(&R->measures[m]);
            return slot_for(x, AT_SLOT_MEASURE, m, *unit, text, slot, err);
        }
        int c = find_component(R, text);
        if (c >= 0 && c < x->component) {
            *unit = AT_UNIT_MONEY;
            return slot_for(x, AT_SLOT_COMPONENT, c, *unit, text, slot, err);
        }
        if (c >= 0)
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "a formula may use only the components above it: move this "
                           "component below the one it uses",
                           c == x->component ? "component '%s' cannot use its own earnings"
                                             : "component '%s' comes later in the plan",
                           text);
        char hint[AT_ERROR_HINT_MAX];
        known_names(x, hint, sizeof hint);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, hint, "unknown name '%s'", text);
    }
    *dot = '\0';
    const char *tail = dot + 1;
    if (strcmp(text, "metric") == 0) {
        for (size_t i = 0; i < R->metric_count; i++) {
            if (strcmp(R->metrics[i].name, tail) == 0) {
                *unit = R->metrics[i].unit;
                *dot = '.';
                return slot_for(x, AT_SLOT_METRIC, (int)i, *unit, text, slot, err);
            }
        }
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "declare it under `metrics:` as {name: %s, unit: number}",
                 tail);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, hint, "metric '%s' is not declared", tail);
    }
    int m = find_measure(R, text);
    if (m < 0) {
        char hint[AT_ERROR_HINT_MAX];
        known_names(x, hint, sizeof hint);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, hint, "unknown measure '%s' in '%s.%s'",
                       text, text, tail);
    }
    if (strcmp(tail, "quota") == 0 || strcmp(tail, "attainment") == 0)
        return quota_of(x, m, tail[0] == 'a', slot, unit, err);
    char hint[3 * sizeof text + 64];
    snprintf(hint, sizeof hint, "write %s.quota or %s.attainment (or %s for its value)", text,
             text, text);
    return at_fail(err, AT_ERR_NOT_FOUND, NULL, hint, "measure '%s' has no '%s'", text, tail);
}

at_formula *at_plan_compile(at_plan_reader *R, const at_yaml_node *n, at_plan_formula_use use,
                            int measure, int component)
{
    const char *what = use == AT_FORMULA_USE_GATE        ? "gate"
                       : use == AT_FORMULA_USE_COMPONENT ? "formula"
                                                         : "sum";
    if (n->len > AT_FORMULA_TEXT_MAX) {
        at_plan_problem(R, n, AT_ERR_INVALID, "split the work over several components",
                        "the %s is %zu characters long; at most %d", what, n->len,
                        AT_FORMULA_TEXT_MAX);
        return NULL;
    }
    if (strlen(n->text) != n->len) {
        at_plan_problem(R, n, AT_ERR_INVALID, "remove the NUL character", "the %s holds a NUL",
                        what);
        return NULL;
    }
    /* where the formula's first character is: after the quote, or on the line below | or > */
    at_formula_origin origin = {R->file, n->line, n->column};
    if (n->style == AT_YAML_QUOTED)
        origin.column++;
    else if (n->style == AT_YAML_BLOCK)
        origin.line++;
    resolve_ctx x = {.R = R, .use = use, .measure = measure, .component = component};
    at_unit want = use == AT_FORMULA_USE_GATE ? AT_UNIT_BOOL : AT_UNIT_MONEY;
    at_formula *f = NULL;
    at_error e;
    at_error_clear(&e);
    at_code code =
        at_formula_compile(n->text, n->len, origin, resolve, &x, want, R->arena, &f, &e);
    if (code == AT_ERR_NOMEM) {
        at_plan_nomem(R);
        return NULL;
    }
    if (code != AT_OK) {
        if (!e.message[0])
            snprintf(e.message, sizeof e.message, "the %s does not compile", what);
        at_error_prefix_message(&e, what, ": ");
        at_plan_problem_error(R, n, &e);
        return NULL;
    }
    return f;
}
