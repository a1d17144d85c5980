/* rules.h - the rules that involve several fields of one row (exit_date on or after hire_date,
 * exactly one of person_id and territory_id, choices only for choice points, ...): one function
 * per entity, reached through at_entity.rule. They read values by the indexes of
 * model/fields.h, need nothing but the row, and fill err with the column at fault as where
 * ("column exit_date"); the importer prefixes the file and line. Rules that need other rows or
 * the database live in model/checks.h. */
#ifndef ATTAIN_MODEL_RULES_H
#define ATTAIN_MODEL_RULES_H

#include "model/entity.h"

at_code at_rule_accounts(const at_row *row, at_error *err);
at_code at_rule_employment_events(const at_row *row, at_error *err);
at_code at_rule_exchange_rates(const at_row *row, at_error *err);
at_code at_rule_handoffs(const at_row *row, at_error *err);
at_code at_rule_leads(const at_row *row, at_error *err);
at_code at_rule_opportunities(const at_row *row, at_error *err);
at_code at_rule_people(const at_row *row, at_error *err);
at_code at_rule_plan_assignments(const at_row *row, at_error *err);
at_code at_rule_quotas(const at_row *row, at_error *err);
at_code at_rule_reporting_lines(const at_row *row, at_error *err);
at_code at_rule_scorecard_points(const at_row *row, at_error *err);
at_code at_rule_scorecard_responses(const at_row *row, at_error *err);
at_code at_rule_settings(const at_row *row, at_error *err);
at_code at_rule_survey_responses(const at_row *row, at_error *err);
at_code at_rule_teams(const at_row *row, at_error *err);
at_code at_rule_territories(const at_row *row, at_error *err);
at_code at_rule_territory_accounts(const at_row *row, at_error *err);
at_code at_rule_territory_people(const at_row *row, at_error *err);
at_code at_rule_territory_rules(const at_row *row, at_error *err);
at_code at_rule_transactions(const at_row *row, at_error *err);

#endif
