/* test_plan_errors.c - every problem the plan reader reports: the place (file:line:column,
 * counted by hand from the document), what the message says and how the hint says to fix
 * it, and that nothing else is reported (the count of problems), plus a document with many
 * problems (all reported, in document order) and the list's limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

typedef struct error_case {
    const char *doc;
    const char *where;   /* exact; or a prefix when it ends with ':' */
    const char *message; /* a part of the message */
    const char *hint;    /* a part of the hint, or NULL */
    size_t total;        /* problems reported in all (0: not checked) */
} error_case;

/* one valid line of components, for documents whose problem is elsewhere */
#define F "components: [{id: c, kind: formula, formula: \"100\"}]\n"
/* plan and one measure: lines 1-3; components start on line 4, items on line 5 */
#define PM "plan: P\nmeasures:\n  - id: bookings\ncomponents:\n"
#define PMQ "plan: P\nmeasures:\n  - {id: bookings, quota: none}\ncomponents:\n"
#define TIERS "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n    tiers:\n"
#define RATE "  - id: c\n    kind: rate\n    measure: bookings\n    rate: 5%\n"

static const error_case cases[] = {
    /* ---- the document ---- */
    {"plan: P\nmeasurs: []\n" F, "p.yaml:2:1", "unknown key 'measurs' in the plan",
     "did you mean 'measures'?", 1},
    {F, "p.yaml:1:1", "the plan has no name", "plan: NAME", 1},
    {"plan: P\n", "p.yaml:1:1", "the plan has no components", "add `components:`", 1},
    {"plan: P\ncomponents: []\n", "p.yaml:2:13", "the plan has no components", NULL, 1},
    {"plan: P\ncomponents: {id: c}\n", "p.yaml:2:13", "components must be a list", NULL, 1},
    {"plan: P\nplan: Q\n" F, "p.yaml:2:1", "'plan' is given twice in the plan (first at line 1)",
     "give each key once", 1},
    {"plan: [a]\n" F, "p.yaml:1:7", "plan name must be a single value, not a list", NULL, 1},
    {"plan: P\ndescription: ~\n" F, "p.yaml:2:14", "description has no value", NULL, 1},
    {"- a\n", "p.yaml:1:1", "a plan document must be a mapping (key: value), not a list", NULL, 1},
    {"plan: P\neffective: {from: 2026-02-01, to: 2026-01-01}\n" F, "p.yaml:2:35",
     "`to` 2026-01-01 is before `from` 2026-02-01", "make `to` the same day as `from` or later",
     1},
    {"plan: P\neffective: {from: 2026-02-30}\n" F, "p.yaml:2:19", "2026-02-30", NULL, 1},
    {"plan: P\neffective: {start: 2026-01-01}\n" F, "p.yaml:2:13",
     "unknown key 'start' in effective", "from, to", 1},
    {"plan: P\ncurrency: usd\n" F, "p.yaml:2:11", "currency", "USD", 1},
    {"plan: P\nrounding: half_even\n" F, "p.yaml:2:11", "rounding 'half_even'",
     "did you mean 'half-even'?", 1},
    {"plan: P\nfrequency: weekly\n" F, "p.yaml:2:12", "frequency 'weekly' is not one of",
     "monthly, quarterly, annually", 1},
    {"plan: P\nfx_date: booking\n" F, "p.yaml:2:10", "fx_date 'booking'", "transaction, period_end",
     1},
    {"plan: P\nproration: months\n" F, "p.yaml:2:12", "proration 'months'", "days, none", 1},
    {"plan: P\nclawback: {share: 150%}\n" F, "p.yaml:2:19",
     "clawback share '150%' is more than 100%", "at most 100%", 1},
    {"plan: P\nclawback: {within_days: -5}\n" F, "p.yaml:2:25",
     "clawback within_days -5 is out of range", "from 0 to 36500", 1},
    {"plan: P\nclawback: {within_days: 9.5}\n" F, "p.yaml:2:25",
     "clawback within_days '9.5' is not a whole number", NULL, 1},
    {"plan: P\nclawback: {within: 90}\n" F, "p.yaml:2:12", "unknown key 'within' in clawback",
     "within_days, share", 1},
    {"plan: P\nclawback: 90\n" F, "p.yaml:2:11",
     "clawback must be a mapping (key: value), not a single value", NULL, 1},
    /* ---- YAML ---- */
    {"plan: P\ncomponents:\n\t- id: a\n", "p.yaml:3:1", "YAML syntax", "tabs", 1},
    {"plan: &n P\ndescription: *n\n" F, "p.yaml:2:14", "aliases (*n) are not allowed", NULL, 1},
    {"plan: P\n---\nplan: Q\n", "p.yaml:2:1", "this is a second one", NULL, 1},
    {"", "p.yaml:1:1", "holds no plan", "plan: NAME", 1},
    {"# only a comment\n", "p.yaml:1:1", "holds no plan", NULL, 1},
    {"plan: \xff\n", "p.yaml:1:7", "not readable text", "UTF-8", 1},
    /* ---- metrics ---- */
    {"plan: P\nmetrics:\n  - {name: m}\n" F, "p.yaml:3:5", "the metric has no unit", "unit: money",
     1},
    {"plan: P\nmetrics:\n  - {name: m, unit: money}\n  - {name: m, unit: count}\n" F,
     "p.yaml:4:12", "metric 'm' is declared twice", NULL, 1},
    {"plan: P\nmetrics:\n  - {name: m, unit: percent}\n" F, "p.yaml:3:21",
     "metric unit 'percent'", "money, number, count", 1},
    /* ---- measures ---- */
    {"plan: P\nmeasures:\n  - id: Bookings\n" F, "p.yaml:3:9",
     "measure id 'Bookings' is not an identifier", "lower-case letters", 1},
    {"plan: P\nmeasures:\n  - name: B\n" F, "p.yaml:3:5", "measure 1 has no id", "id: bookings", 1},
    {"plan: P\nmeasures:\n  - id: b\n  - id: b\n" F, "p.yaml:4:9",
     "measure id 'b' is used twice (first at line 3)", NULL, 1},
    {"plan: P\nmeasures:\n  - id: quota\n" F, "p.yaml:3:9", "measure id 'quota' is a reserved word",
     NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    basiss: booking\n" F, "p.yaml:4:5",
     "unknown key 'basiss' in measure 'b'", "did you mean 'basis'?", 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: owner\n" F, "p.yaml:4:13",
     "measure credit must be a list, not a single value", "[owner, split]", 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: [owner, splits]\n" F, "p.yaml:4:21",
     "measure credit 'splits'", "did you mean 'split'?", 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: [owner, owner]\n" F, "p.yaml:4:21",
     "'owner' is listed twice in measure credit", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: []\n" F, "p.yaml:4:13", "measure credit is empty",
     NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    rollup_levels: 1\n" F, "p.yaml:4:20",
     "rollup_levels is given but measure 'b' does not count rollup credits", "add rollup", 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: [rollup]\n    rollup_levels: many\n" F,
     "p.yaml:5:20", "rollup_levels 'many' is not a whole number", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    territory_roles: [owner]\n" F, "p.yaml:4:22",
     "territory_roles is given but measure 'b' does not count territory credits",
     "add territory", 1},
    {"plan: P\nmeasures:\n  - id: b\n    credit: [territory]\n    territory_roles: [boss]\n" F,
     "p.yaml:5:23", "territory_roles 'boss'", "owner, overlay, manager", 1},
    {"plan: P\nmeasures:\n  - id: b\n    from: 2026-02-01\n    to: 2026-01-31\n" F, "p.yaml:5:9",
     "measure 'b': `to` is before `from`", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    window: week\n" F, "p.yaml:4:13", "measure window 'week'",
     "month, quarter_to_date, half_to_date, year_to_date", 1},
    {"plan: P\nmeasures:\n  - id: b\n    basis: order\n" F, "p.yaml:4:12", "measure basis 'order'",
     "booking, invoice, payment", 1},
    {"plan: P\nmeasures:\n  - id: b\n    products: PRD-A\n" F, "p.yaml:4:15",
     "products must be a list", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    product_families: [A, A]\n" F, "p.yaml:4:27",
     "'A' is listed twice in product_families", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    quota: ~\n" F, "p.yaml:4:12", "measure quota has no value",
     NULL, 1},
    {"plan: P\nmeasures: {id: b}\n" F, "p.yaml:2:11", "measures must be a list", NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    sum: amout\n" F, "p.yaml:4:10", "amout",
     "amount, margin, quantity", 1},
    {"plan: P\nmeasures:\n  - id: b\n    sum: \"amount * margin\"\n" F, "p.yaml:4:", "money",
     NULL, 1},
    {"plan: P\nmeasures:\n  - id: b\n    sum: \"amount + commission\"\n" F, "p.yaml:4:20",
     "commission", "amount, margin, quantity", 1},
    /* ---- components ---- */
    {PM "  - id: c\n    kind: rate\n    measure: bookngs\n    rate: 5%\n", "p.yaml:7:14",
     "component 'c' pays on measure 'bookngs', which is not defined",
     "name one of the measures: bookings", 1},
    {"plan: P\ncomponents:\n  - id: c\n    kind: rate\n    measure: b\n    rate: 5%\n",
     "p.yaml:5:14", "measure 'b', which is not defined", "define it under `measures:`", 1},
    {PM "  - id: c\n    measure: bookings\n", "p.yaml:5:5", "component 'c' has no kind",
     "rate, per_unit, tiers, bonus, metric, spiff, formula", 1},
    {PM "  - id: c\n    kind: commission\n", "p.yaml:6:11", "component kind 'commission'",
     "rate, per_unit, tiers", 1},
    {PM RATE "    weight: 10%\n", "p.yaml:9:5", "unknown key 'weight' in component 'c'",
     "keys of a rate component: id, name, kind, gate, cap, clawback, measure, rate, products", 1},
    {PM "  - kind: rate\n    measure: bookings\n    rate: 5%\n", "p.yaml:5:5",
     "component 1 has no id", "id: commission", 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n    rate: 5\n", "p.yaml:8:11",
     "rate '5' is more than 100%", "write 5% (or 0.05)", 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n", "p.yaml:5:5",
     "component 'c' has no rate", NULL, 1},
    {PM "  - id: c\n    kind: rate\n    rate: 5%\n", "p.yaml:5:5",
     "component 'c' names no measure to pay on", "measure: ID` with one of: bookings", 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n    rate: -5%\n", "p.yaml:8:11",
     "rate is negative", NULL, 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n    rate: \"5 %\"\n", "p.yaml:8:11",
     "rate '5 %' is not a rate", "without spaces", 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n    rate: 5.5.5%\n", "p.yaml:8:11",
     "rate: ", "one '.'", 1},
    {PM RATE "    cap: {per_period: \"1,500.00\"}\n", "p.yaml:9:23",
     "cap per_period '1,500.00' is not an amount", "without thousands separators", 1},
    {PM RATE "    cap: {per_deal: $500}\n", "p.yaml:9:21", "cap per_deal '$500' is not an amount",
     "without a currency", 1},
    {PM RATE "    cap: {}\n", "p.yaml:9:10", "component 'c': cap is empty", NULL, 1},
    {PM RATE "    cap: {per_day: 5}\n", "p.yaml:9:11", "unknown key 'per_day' in cap",
     "per_deal, per_period, per_year", 1},
    {PM RATE "    cap: {per_period: -5}\n", "p.yaml:9:23", "cap per_period is negative", NULL, 1},
    {PM RATE "    clawback: maybe\n", "p.yaml:9:15", "clawback must be true or false, not 'maybe'",
     NULL, 1},
    {PM RATE "    gate: bookings\n", "p.yaml:9:", "gate", NULL, 1},
    {PM RATE "  - id: c\n    kind: rate\n    measure: bookings\n    rate: 1%\n", "p.yaml:9:9",
     "component id 'c' is used twice (first at line 5)", NULL, 1},
    {PM "  - id: bookings\n    kind: rate\n    measure: bookings\n    rate: 5%\n", "p.yaml:5:9",
     "component id 'bookings' is also a measure's id (line 3)", NULL, 1},
    {PM "  - id: attainment\n    kind: rate\n    measure: bookings\n    rate: 5%\n", "p.yaml:5:9",
     "component id 'attainment' is a reserved word", NULL, 1},
    /* ---- rate products ---- */
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n    products: [{product: A}]\n",
     "p.yaml:8:16", "the product entry has no rate", NULL, 1},
    {PM "  - id: c\n    kind: rate\n    measure: bookings\n"
        "    products: [{product: A, rate: 5%, amount: 3}]\n",
     "p.yaml:8:39", "unknown key 'amount' in a product entry",
     "keys of a rate product: product, family, rate", 1},
    /* ---- tiers ---- */
    {PM TIERS "      - {from: 0, to: 100, rate: 1%}\n      - {from: 120, rate: 2%}\n",
     "p.yaml:11:9", "tier 2 starts at 120.00 but tier 1 ends at 100.00: the tiers leave a gap",
     "make tier 2 start where tier 1 ends (100.00)", 1},
    {PM TIERS "      - {from: 0, to: 100, rate: 1%}\n      - {from: 80, rate: 2%}\n",
     "p.yaml:11:9", "tier 2 starts at 80.00 but tier 1 ends at 100.00: the tiers overlap", NULL,
     1},
    {PM TIERS "      - {from: 10, rate: 1%}\n", "p.yaml:10:9",
     "the first tier starts at 10.00; a tier table starts at 0", "{from: 0, to: 10.00, rate: 0%}",
     1},
    {PM TIERS "      - {from: 0, rate: 1%}\n      - {from: 100, rate: 2%}\n", "p.yaml:10:9",
     "tier 1 has no `to`, but tier 2 follows it", NULL, 1},
    {PM TIERS "      - {from: 0, to: 0, rate: 1%}\n", "p.yaml:10:23",
     "tier 1 ends at 0.00, which is not after its start 0.00", NULL, 1},
    {PM TIERS "      - {from: 0, to: 1e3, rate: 1%}\n      - {from: 1000, rate: 2%}\n",
     "p.yaml:10:23", "tier to '1e3' is not an amount", "1000, not 1e3", 1},
    {PM TIERS "      - {from: 0, to: 100%, rate: 1%}\n      - {from: 100, rate: 2%}\n",
     "p.yaml:10:23", "tier to '100%' is not an amount", "this is an amount, not a rate", 1},
    {PM TIERS "      - {from: 0}\n", "p.yaml:10:9", "tier 1 has no rate", NULL, 1},
    {PM TIERS "      - {from: 0, rte: 1%}\n", "p.yaml:10:19", "unknown key 'rte' in a tier",
     "did you mean 'rate'?", 2},
    {PM TIERS "      - {to: 100, rate: 1%}\n      - {from: 100, rate: 2%}\n", "p.yaml:10:9",
     "tier 1 has no `from`", NULL, 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    tiers: [{from: 0, rate: 1%}]\n",
     "p.yaml:5:5", "component 't' has no method", "method: marginal", 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    method: graduated\n"
        "    tiers: [{from: 0, rate: 1%}]\n",
     "p.yaml:8:13", "method 'graduated'", "marginal, retroactive", 1},
    {PMQ "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n"
         "    on: attainment\n    tiers: [{from: 0, rate: 1%}]\n",
     "p.yaml:9:9", "component 't' has tiers on attainment, but measure 'bookings' has no quota",
     "remove `quota: none`", 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n"
        "    on: attainment\n    scope: transaction\n    tiers: [{from: 0, rate: 1%}]\n",
     "p.yaml:10:12", "tiers on attainment cannot restart for each transaction", NULL, 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n    tiers: []\n",
     "p.yaml:9:12", "component 't': the tier table is empty", NULL, 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n", "p.yaml:5:5",
     "component 't' has no tiers", NULL, 1},
    {PM "  - id: t\n    kind: tiers\n    measure: bookings\n    method: marginal\n"
        "    tiers: [{from: 0, rate: 1%}]\n    cap: {per_deal: 100}\n",
     "p.yaml:10:21", "component 't' does not pay per deal", "use per_period", 1},
    /* ---- bonus ---- */
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n", "p.yaml:5:5",
     "component 'b' has no weight", "weight: 40%", 2},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n", "p.yaml:5:5",
     "component 'b' has no curve", "curve: [[0%, 0%], [100%, 100%]]", 2},
    {PMQ "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 10%\n"
         "    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:7:14", "component 'b' pays on attainment, but measure 'bookings' has no quota", NULL,
     1},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 10%\n"
        "    curve: [[0%, 0%], [100%, 100%], [100%, 150%]]\n",
     "p.yaml:9:38", "curve point 3 is not above point 2", "increasing x", 1},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 10%\n"
        "    curve: [[0%, 0%], 100%]\n",
     "p.yaml:9:23", "curve point 2 must be a pair [x, payout]", NULL, 1},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 10%\n"
        "    curve: [[0%, -10%], [100%, 100%]]\n",
     "p.yaml:9:18", "curve point 1 has a negative payout", NULL, 1},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 120%\n"
        "    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:8:13", "weight '120%' is more than 100%", NULL, 1},
    {PM "  - id: b1\n    kind: bonus\n    measure: bookings\n    weight: 60%\n"
        "    curve: [[0%, 0%], [100%, 100%]]\n"
        "  - id: b2\n    kind: bonus\n    measure: bookings\n    weight: 50%\n"
        "    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:13:13", "the weights of the bonus and metric components add up to 110%",
     "100% or less", 1},
    {PM "  - id: b\n    kind: bonus\n    measure: bookings\n    weight: 10%\n"
        "    curve: [[100%, 100%]]\n    extrapolate: true\n",
     "p.yaml:10:18", "extrapolate needs at least two curve points", NULL, 1},
    /* ---- metric ---- */
    {"plan: P\ncomponents:\n  - id: k\n    kind: metric\n    metric: nps\n    weight: 10%\n"
     "    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:5:13", "metric 'nps' is not declared", "metrics:", 1},
    {"plan: P\nmetrics: [{name: nps, unit: number}]\nmeasures: [{id: bookings}]\n"
     "components:\n  - id: k\n    kind: metric\n    metric: nps\n    measure: bookings\n"
     "    weight: 10%\n    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:8:5", "unknown key 'measure' in component 'k'", "keys of a metric component", 1},
    {"plan: P\nmetrics: [{name: pipe, unit: money}]\ncomponents:\n  - id: k\n    kind: metric\n"
     "    metric: pipe\n    weight: 10%\n    curve: [[50%, 0%], [100000, 100%]]\n",
     "p.yaml:8:14", "curve point '50%' is a percentage, but the metric is money", NULL, 1},
    {"plan: P\nmetrics: [{name: nps, unit: number}]\ncomponents:\n  - id: k\n    kind: metric\n"
     "    metric: nps\n    metric_window: quarter_to_date\n    weight: 10%\n"
     "    curve: [[0%, 0%], [100%, 100%]]\n",
     "p.yaml:7:20", "metric_window 'quarter_to_date'", "month, quarter, half, year", 1},
    /* ---- spiff ---- */
    {PM "  - id: s\n    kind: spiff\n    activity: meeting\n    per_activity: 50\n"
        "    products: [{product: A, amount: 5}]\n",
     "p.yaml:9:15", "component 's': `products` does not apply here", "activity spiff", 1},
    {PM "  - id: s\n    kind: spiff\n    measure: bookings\n", "p.yaml:5:5",
     "component 's' pays nothing", NULL, 1},
    {"plan: P\neffective: {from: 2026-01-01, to: 2026-12-31}\nmeasures:\n  - id: bookings\n"
     "components:\n  - id: s\n    kind: spiff\n    measure: bookings\n    from: 2027-01-01\n"
     "    to: 2027-01-31\n    products: [{product: A, amount: 5}]\n",
     "p.yaml:9:11", "runs outside the plan's effective dates (2026-01-01 to 2026-12-31)", NULL, 1},
    {PM "  - id: s\n    kind: spiff\n    activity: meeting\n", "p.yaml:5:5",
     "component 's' has no per_activity amount", "per_activity: 50", 1},
    {PM "  - id: s\n    kind: spiff\n    measure: bookings\n    amount: 5\n    per_activity: 5\n",
     "p.yaml:9:19", "component 's': `per_activity` does not apply here", "activity: meeting",
     1},
    {PM "  - id: s\n    kind: spiff\n    activity: lunch\n    per_activity: 5\n", "p.yaml:7:15",
     "activity 'lunch'", "call, email, meeting, conversation", 1},
    {PM "  - id: s\n    kind: spiff\n    measure: bookings\n    products: [{product: A}]\n",
     "p.yaml:8:16", "the spiff product entry has neither amount nor rate", NULL, 1},
    {PM "  - id: s\n    kind: spiff\n    measure: bookings\n    from: 2026-03-31\n"
        "    to: 2026-03-01\n    amount: 5\n",
     "p.yaml:9:9", "component 's': `to` is before `from`", NULL, 1},
    /* ---- per_unit ---- */
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n", "p.yaml:5:5",
     "component 'u' has no amount", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n    products: [{product: A}]\n",
     "p.yaml:8:16", "the product entry has no amount", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n"
        "    products: [{product: A, family: F, amount: 5}]\n",
     "p.yaml:8:16", "a product entry names a product or a family, not both", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n    products: [{amount: 5}]\n",
     "p.yaml:8:16", "a product entry names no product and no family", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n"
        "    products: [{product: A, amount: 5}, {product: A, amount: 6}]\n",
     "p.yaml:8:41", "product 'A' is listed twice", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n    products:\n"
        "      - product: A\n        amount: 5\n        quantity_tiers:\n"
        "          - {from: 10, amount: 4}\n          - {from: 5, amount: 3}\n",
     "p.yaml:13:20", "quantity tier 2 starts at 5 units, not above tier 1's 10", NULL, 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n    products:\n"
        "      - product: A\n        amount: 5\n        quantity_tiers:\n"
        "          - {from: 0, amount: 4}\n",
     "p.yaml:12:20", "quantity tier from 0 is out of range", "from 1 to 1000000000", 1},
    {PM "  - id: u\n    kind: per_unit\n    measure: bookings\n    amount: -1\n", "p.yaml:8:13",
     "amount is negative", NULL, 1},
    /* ---- formulas ---- */
    {PM "  - id: f\n    kind: formula\n    formula: \"later * 0.5\"\n"
        "  - id: later\n    kind: rate\n    measure: bookings\n    rate: 1%\n",
     "p.yaml:7:15", "component 'later' comes later in the plan", "move this component", 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"f * 2\"\n", "p.yaml:7:15",
     "component 'f' cannot use its own earnings", NULL, 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"if(attainment > 1, 100, 0)\"\n",
     "p.yaml:7:18", "'attainment' needs the component's measure, and it has none",
     "bookings.attainment", 1},
    {PMQ "  - id: f\n    kind: formula\n    formula: \"bookings.quota\"\n", "p.yaml:7:15",
     "measure 'bookings' has no quota", "remove `quota: none`", 1},
    {PM "  - id: f\n    kind: formula\n", "p.yaml:5:5", "component 'f' has no formula", NULL, 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"bonus_pool * 2\"\n", "p.yaml:7:15",
     "unknown name 'bonus_pool'", "names: bookings", 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"amount * 2\"\n", "p.yaml:7:15",
     "'amount' is a credit's value", NULL, 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"metric.nps * 100\"\n", "p.yaml:7:15",
     "metric 'nps' is not declared", NULL, 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"bookings.value\"\n", "p.yaml:7:15",
     "measure 'bookings' has no 'value'", "bookings.quota", 1},
    {PM "  - id: f\n    kind: formula\n    formula: \"nobody.quota\"\n", "p.yaml:7:15",
     "unknown measure 'nobody'", NULL, 1},
    {PM "  - id: f\n    kind: formula\n    formula: |\n      bookings * bookings\n", "p.yaml:8:",
     "money", NULL, 1},
    /* ---- draw ---- */
    {"plan: P\n" F "draw: {amount: 1500}\n", "p.yaml:3:7",
     "the draw does not say whether it is recoverable", "recoverable: true", 1},
    {"plan: P\n" F "draw: {amount: 0, recoverable: true}\n", "p.yaml:3:16",
     "draw amount must be more than 0", NULL, 1},
    {"plan: P\n" F "draw: {recoverable: true}\n", "p.yaml:3:7", "the draw has no amount", NULL, 1},
    {"plan: P\n" F "draw: {amount: 1500, recoverable: true, months: -1}\n", "p.yaml:3:49",
     "draw months -1 is out of range", NULL, 1},
    {"plan: P\n" F "draw: {amount: 1500, recoverable: sometimes}\n", "p.yaml:3:35",
     "draw recoverable must be true or false, not 'sometimes'", NULL, 1},
};

static bool place_matches(const char *where, const char *want)
{
    size_t n = strlen(want);
    if (n && want[n - 1] == ':')
        return strncmp(where, want, n) == 0;
    return strcmp(where, want) == 0;
}

static void each_error(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        at_arena arena;
        at_arena_init(&arena, 0);
        at_error_list problems;
        at_error_list_init(&problems, 0);
        at_plan *plan = NULL;
        at_error err;
        at_code code =
            at_plan_read(c->doc, strlen(c->doc), "p.yaml", &arena, &plan, &problems, &err);
        bool found = false;
        for (size_t k = 0; k < problems.count && !found; k++) {
            const at_error *e = &problems.items[k];
            found = place_matches(e->where, c->where) && strstr(e->message, c->message) &&
                    (!c->hint || strstr(e->hint, c->hint));
        }
        bool ok = code == AT_ERR_INVALID && plan == NULL && found &&
                  (c->total == 0 || problems.total == c->total);
        if (!ok) {
            failures++;
            fprintf(stderr, "case %zu (want %s: %s / %s, %zu problems): got code %d, %zu problems\n",
                    i, c->where, c->message, c->hint ? c->hint : "-", c->total, (int)code,
                    problems.total);
            char buf[1200];
            for (size_t k = 0; k < problems.count; k++) {
                at_error_format(&problems.items[k], buf, sizeof buf);
                fprintf(stderr, "    %s", buf);
            }
        }
        at_error_list_free(&problems);
        at_arena_free(&arena);
    }
    assert_int_equal(failures, 0);
}

/* Every problem is reported, in document order, whatever order they were found in. */
static void every_problem_in_order(void **state)
{
    (void)state;
    const char *doc = "plan: P\n"                              /* 1 */
                      "frequency: weekly\n"                    /* 2 */
                      "measures:\n"                            /* 3 */
                      "  - id: b\n"                            /* 4 */
                      "    window: week\n"                     /* 5 */
                      "components:\n"                          /* 6 */
                      "  - id: c\n"                            /* 7 */
                      "    kind: rate\n"                       /* 8 */
                      "    measure: x\n"                       /* 9 */
                      "    rate: 5\n"                          /* 10 */
                      "draw: {amount: -1, recoverable: true}\n" /* 11 */
                      "proration: daily\n";                    /* 12 */
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_plan *plan = NULL;
    at_error err;
    assert_int_equal(at_plan_read(doc, strlen(doc), "p.yaml", &arena, &plan, &problems, &err),
                     AT_ERR_INVALID);
    const char *want[] = {"p.yaml:2:12",  "p.yaml:5:13", "p.yaml:9:14",
                          "p.yaml:10:11", "p.yaml:11:16", "p.yaml:12:12"};
    assert_int_equal(problems.total, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(problems.items[i].where, want[i]);
    /* err is the first, and counts the others */
    assert_string_equal(err.where, "p.yaml:2:12");
    assert_non_null(strstr(err.message, "(and 5 more problems)"));
    at_error_list_free(&problems);
    at_arena_free(&arena);
}

/* More problems than the list keeps: the first 100 kept, all counted. */
static void many_problems(void **state)
{
    (void)state;
    char doc[8192];
    size_t o = (size_t)snprintf(doc, sizeof doc, "plan: P\n");
    for (int i = 0; i < 120; i++)
        o += (size_t)snprintf(doc + o, sizeof doc - o, "k%d: 1\n", i);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_plan *plan = NULL;
    at_error err;
    assert_int_equal(at_plan_read(doc, o, "p.yaml", &arena, &plan, &problems, &err),
                     AT_ERR_INVALID);
    assert_int_equal(problems.total, 121); /* 120 unknown keys and no components */
    assert_int_equal(problems.count, 100);
    /* the list keeps the first 100 found (the unknown keys, lines 2..101); the missing
       components, found last, is counted but not kept */
    assert_string_equal(problems.items[0].where, "p.yaml:2:1");
    assert_string_equal(problems.items[99].where, "p.yaml:101:1");
    at_error_list_free(&problems);
    at_arena_free(&arena);
}

/* Deep nesting and long texts are refused, not crashed on. */
static void limits(void **state)
{
    (void)state;
    char doc[512];
    size_t o = (size_t)snprintf(doc, sizeof doc, "plan: ");
    for (int i = 0; i < 100; i++)
        doc[o++] = '[';
    doc[o] = '\0';
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_plan *plan = NULL;
    at_error err;
    assert_int_equal(at_plan_read(doc, o, "p.yaml", &arena, &plan, &problems, &err),
                     AT_ERR_INVALID);
    assert_int_equal(problems.total, 1);
    assert_string_equal(problems.items[0].where, "p.yaml:1:70");
    assert_non_null(strstr(problems.items[0].message, "nested more than 64 deep"));
    at_error_list_free(&problems);
    at_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_error),
        cmocka_unit_test(every_problem_in_order),
        cmocka_unit_test(many_problems),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
