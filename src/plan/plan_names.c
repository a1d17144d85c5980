/* plan_names.c - the words of a plan document (basis, sum, window, credit kinds, component
 * kinds, ...) in the order of plan.h's enums, shared by the reader and the canonical writer,
 * and the names formulas reserve. */
#include <string.h>

#include "plan/plan_impl.h"

const char *const at_plan_basis_names[] = {"booking", "invoice", "payment", NULL};
const char *const at_plan_sum_names[] = {"amount", "margin", "count", "quantity", NULL};
const char *const at_plan_window_names[] = {"month", "quarter_to_date", "half_to_date",
                                            "year_to_date", NULL};
const char *const at_plan_metric_window_names[] = {"month", "quarter", "half", "year", NULL};
const char *const at_plan_credit_names[] = {"owner",   "split",  "overlay",   "sdr",
                                            "manager", "rollup", "territory", NULL};
const char *const at_plan_territory_role_names[] = {"owner", "overlay", "manager", NULL};
const char *const at_plan_component_names[] = {"rate",  "per_unit", "tiers",   "bonus",
                                               "metric", "spiff",   "formula", NULL};
const char *const at_plan_method_names[] = {"marginal", "retroactive", NULL};
const char *const at_plan_tier_basis_names[] = {"amount", "attainment", NULL};
const char *const at_plan_scope_names[] = {"period", "transaction", NULL};
const char *const at_plan_edges_names[] = {"lower_inclusive", "upper_inclusive", NULL};
const char *const at_plan_frequency_names[] = {"monthly", "quarterly", "annually", NULL};
const char *const at_plan_proration_names[] = {"days", "none", NULL};
const char *const at_plan_fx_date_names[] = {"transaction", "period_end", NULL};
const char *const at_plan_unit_names[] = {"money", "number", "count", NULL};
const char *const at_plan_activity_names[] = {"call", "email", "meeting", "conversation", NULL};

const char *at_credit_kind_name(at_credit_kind kind)
{
    if ((unsigned)kind >= AT_CREDIT_KIND_COUNT)
        return "unknown";
    return at_plan_credit_names[kind];
}

const char *at_component_kind_name(at_component_kind kind)
{
    if ((unsigned)kind > AT_COMPONENT_FORMULA)
        return "unknown";
    return at_plan_component_names[kind];
}

static const char *const reserved[] = {
    "quota",  "attainment", "metric", "target_incentive", "days_in_period", "days_on_plan",
    "amount", "margin",     "quantity", "min",          "max",            "if",
    "abs",    "round",      "and",    "or",               "not",            "true",
    "false",  "none",       NULL,
};

bool at_plan_reserved_name(const char *name)
{
    for (size_t i = 0; reserved[i]; i++)
        if (strcmp(reserved[i], name) == 0)
            return true;
    return false;
}
