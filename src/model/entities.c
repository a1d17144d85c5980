/* entities.c - the descriptors of every entity attain imports and stores, in import order:
 * the CSV shapes of docs/import.md (which is generated from these tables: after a change here,
 * run the test test_import_doc and copy the file it names to docs/import.md). Each field has
 * its type, whether it is required, its reference or allowed values, bounds (in the stored
 * unit), an example and what it means; each entity its key (for upsert) and its row rule
 * (rules.c) with the rules in words. Fields sit at the index fields.h gives them. */
#include <stdint.h>

#include "core/money.h"
#include "model/entity.h"
#include "model/fields.h"
#include "model/rules.h"

/* ---- settings.csv ------------------------------------------------------------------------- */

static const char *const settings_key[] = {"key", NULL};
static const char *const settings_rule_text[] = {
    "key is one of: company_name, base_currency, fiscal_year_start_month, fiscal_year_named_by, "
    "fiscal_calendar, fiscal_week_ends_on, fiscal_year_end_rule.",
    "value is checked for its key: base_currency is an ISO 4217 code; fiscal_year_start_month is "
    "1..12 or a month name; fiscal_year_named_by is start or end; fiscal_calendar is months, "
    "4-4-5, 4-5-4 or 5-4-4; fiscal_week_ends_on is a weekday (mon..sun); fiscal_year_end_rule is "
    "last or nearest.",
    NULL,
};
static const at_field settings_fields[AT_SETTINGS_FIELD_COUNT] = {
    [AT_SETTINGS_KEY] = {
        .name = "key", .type = AT_FIELD_TEXT, .required = true, .max = 64,
        .example = "base_currency",
        .description = "The setting's name."},
    [AT_SETTINGS_VALUE] = {
        .name = "value", .type = AT_FIELD_TEXT, .required = true, .example = "USD",
        .description = "The setting's value, in the form its key asks for (see the rules)."},
};
const at_entity at_entity_settings = {
    .name = "settings",
    .file = "settings.csv",
    .summary = "Company-wide settings: name, base currency, fiscal calendar.",
    .fields = settings_fields,
    .field_count = AT_SETTINGS_FIELD_COUNT,
    .key = settings_key,
    .rule = at_rule_settings,
    .rule_text = settings_rule_text,
};

/* ---- exchange_rates.csv ------------------------------------------------------------------- */

static const char *const exchange_rates_key[] = {
    "from_currency", "to_currency", "effective_date", NULL};
static const char *const exchange_rates_rule_text[] = {
    "from_currency and to_currency differ.",
    NULL,
};
static const at_field exchange_rates_fields[AT_EXCHANGE_RATES_FIELD_COUNT] = {
    [AT_EXCHANGE_RATES_FROM_CURRENCY] = {
        .name = "from_currency", .type = AT_FIELD_CURRENCY, .required = true, .example = "EUR",
        .description = "The currency converted from."},
    [AT_EXCHANGE_RATES_TO_CURRENCY] = {
        .name = "to_currency", .type = AT_FIELD_CURRENCY, .required = true, .example = "USD",
        .description = "The currency converted to."},
    [AT_EXCHANGE_RATES_EFFECTIVE_DATE] = {
        .name = "effective_date", .type = AT_FIELD_DAY, .required = true, .example = "2026-01-01",
        .description = "The first day the rate applies; it holds until the next rate of the same "
                       "pair."},
    [AT_EXCHANGE_RATES_RATE] = {
        .name = "rate", .type = AT_FIELD_RATE, .required = true, .min = 1, .max = INT64_MAX,
        .example = "1.0842",
        .description = "Units of to_currency for 1 from_currency; greater than 0."},
};
const at_entity at_entity_exchange_rates = {
    .name = "exchange_rates",
    .file = "exchange_rates.csv",
    .summary = "Exchange rates between currencies, effective from a day.",
    .fields = exchange_rates_fields,
    .field_count = AT_EXCHANGE_RATES_FIELD_COUNT,
    .key = exchange_rates_key,
    .rule = at_rule_exchange_rates,
    .rule_text = exchange_rates_rule_text,
};

/* ---- teams.csv ---------------------------------------------------------------------------- */

static const char *const teams_function_values[] = {
    "marketing", "sdr", "ae", "csm", "sales_management", "sales_ops", "finance", "executive",
    NULL};
static const char *const teams_key[] = {"id", NULL};
static const char *const teams_rule_text[] = {
    "parent_id is not the team itself.",
    "Parents form no cycle (checked across rows).",
    NULL,
};
static const at_field teams_fields[AT_TEAMS_FIELD_COUNT] = {
    [AT_TEAMS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "T-AE-WEST",
        .description = "The team's id in the source system."},
    [AT_TEAMS_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "AE West",
        .description = "The team's name."},
    [AT_TEAMS_FUNCTION] = {
        .name = "function", .type = AT_FIELD_ENUM, .required = true,
        .values = teams_function_values, .example = "ae",
        .description = "What the team does."},
    [AT_TEAMS_PARENT_ID] = {
        .name = "parent_id", .type = AT_FIELD_REF, .ref_entity = "teams", .example = "T-SALES",
        .description = "The team this team belongs to; empty for a top-level team."},
};
const at_entity at_entity_teams = {
    .name = "teams",
    .file = "teams.csv",
    .summary = "Teams of the go-to-market organisation, nested by parent.",
    .fields = teams_fields,
    .field_count = AT_TEAMS_FIELD_COUNT,
    .key = teams_key,
    .rule = at_rule_teams,
    .rule_text = teams_rule_text,
};

/* ---- people.csv --------------------------------------------------------------------------- */

static const char *const people_role_values[] = {
    "rep", "sdr", "marketing", "csm", "manager", "director", "vp", "sales_ops", "finance",
    "executive", "admin", NULL};
static const char *const people_key[] = {"id", NULL};
static const char *const people_rule_text[] = {
    "exit_date is on or after hire_date.",
    "country, when given, is two upper-case letters (ISO 3166 alpha-2).",
    "email is unique among people (checked across rows, ignoring case).",
    NULL,
};
static const at_field people_fields[AT_PEOPLE_FIELD_COUNT] = {
    [AT_PEOPLE_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "P-1001",
        .description = "The person's id in the source system (HR or CRM)."},
    [AT_PEOPLE_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "Ana Lima",
        .description = "The person's full name."},
    [AT_PEOPLE_EMAIL] = {
        .name = "email", .type = AT_FIELD_EMAIL, .unique = true, .example = "ana.lima@example.com",
        .description = "Work email; unique when given (some exports have none)."},
    [AT_PEOPLE_ROLE] = {
        .name = "role", .type = AT_FIELD_ENUM, .required = true, .values = people_role_values,
        .example = "rep",
        .description = "The person's role in selling."},
    [AT_PEOPLE_TEAM_ID] = {
        .name = "team_id", .type = AT_FIELD_REF, .ref_entity = "teams", .example = "T-AE-WEST",
        .description = "The person's team."},
    [AT_PEOPLE_TITLE] = {
        .name = "title", .type = AT_FIELD_TEXT, .example = "Account Executive",
        .description = "Job title as HR writes it."},
    [AT_PEOPLE_HIRE_DATE] = {
        .name = "hire_date", .type = AT_FIELD_DAY, .example = "2023-04-03",
        .description = "First day of employment; empty: employed since before the data starts."},
    [AT_PEOPLE_EXIT_DATE] = {
        .name = "exit_date", .type = AT_FIELD_DAY, .example = "2025-12-31",
        .description = "Last day of employment; empty while employed; on or after hire_date."},
    [AT_PEOPLE_PAY_CURRENCY] = {
        .name = "pay_currency", .type = AT_FIELD_CURRENCY, .required = true, .example = "USD",
        .description = "The currency the person is paid in."},
    [AT_PEOPLE_COUNTRY] = {
        .name = "country", .type = AT_FIELD_TEXT, .max = 2, .example = "US",
        .description = "Country of work, ISO 3166 alpha-2."},
    [AT_PEOPLE_LOCATION] = {
        .name = "location", .type = AT_FIELD_TEXT, .example = "Austin",
        .description = "Office or city."},
};
const at_entity at_entity_people = {
    .name = "people",
    .file = "people.csv",
    .summary = "Everyone who sells, supports selling or is paid on it.",
    .fields = people_fields,
    .field_count = AT_PEOPLE_FIELD_COUNT,
    .key = people_key,
    .rule = at_rule_people,
    .rule_text = people_rule_text,
};

/* ---- reporting_lines.csv ------------------------------------------------------------------ */

static const char *const reporting_lines_key[] = {"person_id", "start_date", NULL};
static const char *const reporting_lines_rule_text[] = {
    "manager_id is not person_id.",
    "end_date is on or after start_date.",
    "A person's lines do not overlap in time (checked across rows).",
    "The lines form no cycle on any day (checked across rows).",
    NULL,
};
static const at_field reporting_lines_fields[AT_REPORTING_LINES_FIELD_COUNT] = {
    [AT_REPORTING_LINES_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person who reports."},
    [AT_REPORTING_LINES_MANAGER_ID] = {
        .name = "manager_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-0100",
        .description = "The person reported to."},
    [AT_REPORTING_LINES_START_DATE] = {
        .name = "start_date", .type = AT_FIELD_DAY, .default_value = "0001-01-01",
        .example = "2024-01-01",
        .description = "First day of the line; empty: since the beginning (stored as 0001-01-01, "
                       "exported empty)."},
    [AT_REPORTING_LINES_END_DATE] = {
        .name = "end_date", .type = AT_FIELD_DAY, .example = "2024-12-31",
        .description = "Last day of the line; empty: still in force."},
};
const at_entity at_entity_reporting_lines = {
    .name = "reporting_lines",
    .file = "reporting_lines.csv",
    .summary = "Who reports to whom, from when to when (the effective-dated hierarchy).",
    .fields = reporting_lines_fields,
    .field_count = AT_REPORTING_LINES_FIELD_COUNT,
    .key = reporting_lines_key,
    .rule = at_rule_reporting_lines,
    .rule_text = reporting_lines_rule_text,
};

/* ---- territories.csv ---------------------------------------------------------------------- */

static const char *const territories_level_values[] = {
    "company", "region", "area", "territory", NULL};
static const char *const territories_key[] = {"id", NULL};
static const char *const territories_rule_text[] = {
    "parent_id is not the territory itself.",
    "currency is required when potential is given.",
    "Parents form no cycle (checked across rows).",
    NULL,
};
static const at_field territories_fields[AT_TERRITORIES_FIELD_COUNT] = {
    [AT_TERRITORIES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "TER-US-W",
        .description = "The territory's id."},
    [AT_TERRITORIES_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "US West",
        .description = "The territory's name."},
    [AT_TERRITORIES_PARENT_ID] = {
        .name = "parent_id", .type = AT_FIELD_REF, .ref_entity = "territories", .example = "TER-US",
        .description = "The territory this one is part of."},
    [AT_TERRITORIES_LEVEL] = {
        .name = "level", .type = AT_FIELD_ENUM, .values = territories_level_values,
        .example = "region",
        .description = "The territory's level in the hierarchy."},
    [AT_TERRITORIES_GEOGRAPHY] = {
        .name = "geography", .type = AT_FIELD_TEXT, .example = "US-West",
        .description = "A free description of the area covered."},
    [AT_TERRITORIES_POTENTIAL] = {
        .name = "potential", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "25000000.00",
        .description = "Total addressable market; 0 or more."},
    [AT_TERRITORIES_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .example = "USD",
        .description = "The currency of potential; required when potential is given."},
};
const at_entity at_entity_territories = {
    .name = "territories",
    .file = "territories.csv",
    .summary = "Sales territories, nested by parent (company, region, area, territory).",
    .fields = territories_fields,
    .field_count = AT_TERRITORIES_FIELD_COUNT,
    .key = territories_key,
    .rule = at_rule_territories,
    .rule_text = territories_rule_text,
};

/* ---- territory_rules.csv ------------------------------------------------------------------ */

static const char *const territory_rules_field_values[] = {
    "country", "region", "state", "industry", "employees", "revenue_band", "account", NULL};
static const char *const territory_rules_operator_values[] = {
    "eq", "in", "between", "ge", "le", NULL};
static const char *const territory_rules_key[] = {
    "territory_id", "field", "operator", "value", NULL};
static const char *const territory_rules_rule_text[] = {
    "For operator in: value lists one or more values separated by |.",
    "For operator between: value is lo|hi with lo <= hi.",
    "For eq, ge and le: value is a single value.",
    "ge, le and between apply to employees and revenue_band only.",
    "For employees the values are whole numbers; for revenue_band they are revenue bands "
    "(under_1m ... over_1b).",
    NULL,
};
static const at_field territory_rules_fields[AT_TERRITORY_RULES_FIELD_COUNT] = {
    [AT_TERRITORY_RULES_TERRITORY_ID] = {
        .name = "territory_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "territories", .example = "TER-US-W",
        .description = "The territory the rule assigns to."},
    [AT_TERRITORY_RULES_FIELD] = {
        .name = "field", .type = AT_FIELD_ENUM, .required = true,
        .values = territory_rules_field_values, .example = "state",
        .description = "The account field the rule tests."},
    [AT_TERRITORY_RULES_OPERATOR] = {
        .name = "operator", .type = AT_FIELD_ENUM, .required = true,
        .values = territory_rules_operator_values, .example = "in",
        .description = "How the field is compared."},
    [AT_TERRITORY_RULES_VALUE] = {
        .name = "value", .type = AT_FIELD_TEXT, .required = true, .example = "CA|OR|WA",
        .description = "The value compared with; for in several separated by |, for between "
                       "lo|hi."},
    [AT_TERRITORY_RULES_PRIORITY] = {
        .name = "priority", .type = AT_FIELD_INT, .default_value = "100", .example = "100",
        .description = "Lower wins when several rules match; default 100."},
};
const at_entity at_entity_territory_rules = {
    .name = "territory_rules",
    .file = "territory_rules.csv",
    .summary = "Rules that assign accounts to territories.",
    .fields = territory_rules_fields,
    .field_count = AT_TERRITORY_RULES_FIELD_COUNT,
    .key = territory_rules_key,
    .rule = at_rule_territory_rules,
    .rule_text = territory_rules_rule_text,
};

/* ---- accounts.csv ------------------------------------------------------------------------- */

static const char *const accounts_revenue_band_values[] = {
    "under_1m", "1m_10m", "10m_50m", "50m_250m", "250m_1b", "over_1b", NULL};
static const char *const accounts_key[] = {"id", NULL};
static const char *const accounts_rule_text[] = {
    "currency is required when potential or annual_revenue is given.",
    "latitude and longitude are given together or not at all.",
    "country, when given, is two upper-case letters (ISO 3166 alpha-2).",
    "parent_id is not the account itself.",
    "Parents form no cycle (checked across rows).",
    NULL,
};
static const at_field accounts_fields[AT_ACCOUNTS_FIELD_COUNT] = {
    [AT_ACCOUNTS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "A-50012",
        .description = "The account's id in the CRM."},
    [AT_ACCOUNTS_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "Acme Corp",
        .description = "The company's name."},
    [AT_ACCOUNTS_INDUSTRY] = {
        .name = "industry", .type = AT_FIELD_TEXT, .example = "Manufacturing",
        .description = "The company's industry."},
    [AT_ACCOUNTS_EMPLOYEES] = {
        .name = "employees", .type = AT_FIELD_INT, .min = 0, .max = 10000000, .example = "1200",
        .description = "Number of employees."},
    [AT_ACCOUNTS_REVENUE_BAND] = {
        .name = "revenue_band", .type = AT_FIELD_ENUM, .values = accounts_revenue_band_values,
        .example = "250m_1b",
        .description = "Annual revenue band."},
    [AT_ACCOUNTS_ANNUAL_REVENUE] = {
        .name = "annual_revenue", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "420000000.00",
        .description = "Annual revenue; 0 or more."},
    [AT_ACCOUNTS_COUNTRY] = {
        .name = "country", .type = AT_FIELD_TEXT, .max = 2, .example = "US",
        .description = "Country, ISO 3166 alpha-2."},
    [AT_ACCOUNTS_REGION] = {
        .name = "region", .type = AT_FIELD_TEXT, .example = "West",
        .description = "Region within the country."},
    [AT_ACCOUNTS_STATE] = {
        .name = "state", .type = AT_FIELD_TEXT, .example = "CA",
        .description = "State or province."},
    [AT_ACCOUNTS_CITY] = {
        .name = "city", .type = AT_FIELD_TEXT, .example = "San Jose",
        .description = "City."},
    [AT_ACCOUNTS_LATITUDE] = {
        .name = "latitude", .type = AT_FIELD_COORD, .min = -90000000, .max = 90000000,
        .example = "37.338207",
        .description = "Latitude in decimal degrees, -90..90, up to 6 decimals."},
    [AT_ACCOUNTS_LONGITUDE] = {
        .name = "longitude", .type = AT_FIELD_COORD, .min = -180000000, .max = 180000000,
        .example = "-121.886330",
        .description = "Longitude in decimal degrees, -180..180, up to 6 decimals."},
    [AT_ACCOUNTS_POTENTIAL] = {
        .name = "potential", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "1500000.00",
        .description = "What the account could buy from us; 0 or more."},
    [AT_ACCOUNTS_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .example = "USD",
        .description = "The currency of potential and annual_revenue; required when either is "
                       "given."},
    [AT_ACCOUNTS_PARENT_ID] = {
        .name = "parent_id", .type = AT_FIELD_REF, .ref_entity = "accounts", .example = "A-50000",
        .description = "The parent company's account."},
    [AT_ACCOUNTS_OWNER_ID] = {
        .name = "owner_id", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-1001",
        .description = "The account owner."},
};
const at_entity at_entity_accounts = {
    .name = "accounts",
    .file = "accounts.csv",
    .summary = "Customer and prospect companies.",
    .fields = accounts_fields,
    .field_count = AT_ACCOUNTS_FIELD_COUNT,
    .key = accounts_key,
    .rule = at_rule_accounts,
    .rule_text = accounts_rule_text,
};

/* ---- territory_accounts.csv --------------------------------------------------------------- */

static const char *const territory_accounts_key[] = {"account_id", "start_date", NULL};
static const char *const territory_accounts_rule_text[] = {
    "end_date is on or after start_date.",
    "An account's assignments do not overlap in time (checked across rows).",
    NULL,
};
static const at_field territory_accounts_fields[AT_TERRITORY_ACCOUNTS_FIELD_COUNT] = {
    [AT_TERRITORY_ACCOUNTS_TERRITORY_ID] = {
        .name = "territory_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "territories", .example = "TER-US-W",
        .description = "The territory."},
    [AT_TERRITORY_ACCOUNTS_ACCOUNT_ID] = {
        .name = "account_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "accounts",
        .example = "A-50012",
        .description = "The account."},
    [AT_TERRITORY_ACCOUNTS_START_DATE] = {
        .name = "start_date", .type = AT_FIELD_DAY, .default_value = "0001-01-01",
        .example = "2025-01-01",
        .description = "First day of the assignment; empty: since the beginning (stored as "
                       "0001-01-01, exported empty)."},
    [AT_TERRITORY_ACCOUNTS_END_DATE] = {
        .name = "end_date", .type = AT_FIELD_DAY, .example = "2025-12-31",
        .description = "Last day of the assignment; empty: still in force."},
};
const at_entity at_entity_territory_accounts = {
    .name = "territory_accounts",
    .file = "territory_accounts.csv",
    .summary = "Which territory an account belongs to, from when to when.",
    .fields = territory_accounts_fields,
    .field_count = AT_TERRITORY_ACCOUNTS_FIELD_COUNT,
    .key = territory_accounts_key,
    .rule = at_rule_territory_accounts,
    .rule_text = territory_accounts_rule_text,
};

/* ---- territory_people.csv ----------------------------------------------------------------- */

static const char *const territory_people_role_values[] = {
    "owner", "overlay", "manager", NULL};
static const char *const territory_people_key[] = {
    "territory_id", "person_id", "start_date", NULL};
static const char *const territory_people_rule_text[] = {
    "end_date is on or after start_date.",
    NULL,
};
static const at_field territory_people_fields[AT_TERRITORY_PEOPLE_FIELD_COUNT] = {
    [AT_TERRITORY_PEOPLE_TERRITORY_ID] = {
        .name = "territory_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "territories", .example = "TER-US-W",
        .description = "The territory."},
    [AT_TERRITORY_PEOPLE_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person."},
    [AT_TERRITORY_PEOPLE_ROLE] = {
        .name = "role", .type = AT_FIELD_ENUM, .required = true,
        .values = territory_people_role_values, .example = "owner",
        .description = "The person's role in the territory."},
    [AT_TERRITORY_PEOPLE_START_DATE] = {
        .name = "start_date", .type = AT_FIELD_DAY, .required = true, .example = "2025-01-01",
        .description = "First day of the coverage."},
    [AT_TERRITORY_PEOPLE_END_DATE] = {
        .name = "end_date", .type = AT_FIELD_DAY, .example = "2025-12-31",
        .description = "Last day of the coverage; empty: still in force."},
};
const at_entity at_entity_territory_people = {
    .name = "territory_people",
    .file = "territory_people.csv",
    .summary = "Who covers a territory, in which role, from when to when.",
    .fields = territory_people_fields,
    .field_count = AT_TERRITORY_PEOPLE_FIELD_COUNT,
    .key = territory_people_key,
    .rule = at_rule_territory_people,
    .rule_text = territory_people_rule_text,
};

/* ---- products.csv ------------------------------------------------------------------------- */

static const char *const products_key[] = {"id", NULL};
static const at_field products_fields[AT_PRODUCTS_FIELD_COUNT] = {
    [AT_PRODUCTS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "PRD-GTX-PRO",
        .description = "The product's id (SKU)."},
    [AT_PRODUCTS_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "GTX Pro",
        .description = "The product's name."},
    [AT_PRODUCTS_FAMILY] = {
        .name = "family", .type = AT_FIELD_TEXT, .required = true, .example = "GTX",
        .description = "The product family or line."},
    [AT_PRODUCTS_LIST_PRICE] = {
        .name = "list_price", .type = AT_FIELD_MONEY, .required = true, .min = 0, .max = INT64_MAX,
        .example = "4821.00",
        .description = "List price per unit; 0 or more."},
    [AT_PRODUCTS_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .required = true, .example = "USD",
        .description = "The currency of list_price and unit_cost."},
    [AT_PRODUCTS_UNIT_COST] = {
        .name = "unit_cost", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "2100.00",
        .description = "Cost per unit; 0 or more (it may exceed list_price)."},
    [AT_PRODUCTS_ACTIVE] = {
        .name = "active", .type = AT_FIELD_BOOL, .default_value = "true", .example = "true",
        .description = "Whether the product is sold today; default true."},
};
const at_entity at_entity_products = {
    .name = "products",
    .file = "products.csv",
    .summary = "What is sold.",
    .fields = products_fields,
    .field_count = AT_PRODUCTS_FIELD_COUNT,
    .key = products_key,
    .rule = NULL,
    .rule_text = NULL,
};

/* ---- stages.csv --------------------------------------------------------------------------- */

static const char *const stages_outcome_values[] = {
    "open", "won", "lost", NULL};
static const char *const stages_key[] = {"id", NULL};
static const char *const stages_rule_text[] = {
    "position is unique among stages (checked across rows).",
    NULL,
};
static const at_field stages_fields[AT_STAGES_FIELD_COUNT] = {
    [AT_STAGES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "S3-PROPOSAL",
        .description = "The stage's id."},
    [AT_STAGES_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "Proposal",
        .description = "The stage's name."},
    [AT_STAGES_POSITION] = {
        .name = "position", .type = AT_FIELD_INT, .required = true, .min = 1, .max = 100,
        .unique = true, .example = "3",
        .description = "Order of the stage in the pipeline, 1..100; unique."},
    [AT_STAGES_PROBABILITY] = {
        .name = "probability", .type = AT_FIELD_RATE, .min = 0, .max = AT_RATE_SCALE,
        .example = "0.40",
        .description = "The default chance of winning from this stage, 0..1 (or 0%..100%)."},
    [AT_STAGES_OUTCOME] = {
        .name = "outcome", .type = AT_FIELD_ENUM, .required = true,
        .values = stages_outcome_values, .example = "open",
        .description = "Whether an opportunity in this stage is open, won or lost."},
};
const at_entity at_entity_stages = {
    .name = "stages",
    .file = "stages.csv",
    .summary = "The opportunity stages, in order.",
    .fields = stages_fields,
    .field_count = AT_STAGES_FIELD_COUNT,
    .key = stages_key,
    .rule = NULL,
    .rule_text = stages_rule_text,
};

/* ---- leads.csv ---------------------------------------------------------------------------- */

static const char *const leads_source_values[] = {
    "inbound", "outbound", "event", "partner", "referral", "web", "other", NULL};
static const char *const leads_status_values[] = {
    "new", "working", "qualified", "converted", "disqualified", NULL};
static const char *const leads_contact_seniority_values[] = {
    "c_level", "vp", "director", "manager", "staff", "unknown", NULL};
static const char *const leads_key[] = {"id", NULL};
static const char *const leads_rule_text[] = {
    "converted_at is required when status is converted.",
    "converted_at is at or after created_at.",
    "opportunity_id, when given, names an opportunity (checked after opportunities are imported).",
    NULL,
};
static const at_field leads_fields[AT_LEADS_FIELD_COUNT] = {
    [AT_LEADS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "L-900123",
        .description = "The lead's id in the CRM or marketing system."},
    [AT_LEADS_CREATED_AT] = {
        .name = "created_at", .type = AT_FIELD_TIME, .required = true,
        .example = "2025-03-04T15:20:00Z",
        .description = "When the lead was created."},
    [AT_LEADS_SOURCE] = {
        .name = "source", .type = AT_FIELD_ENUM, .required = true, .values = leads_source_values,
        .example = "inbound",
        .description = "Where the lead came from."},
    [AT_LEADS_OWNER_ID] = {
        .name = "owner_id", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-2001",
        .description = "Who works the lead."},
    [AT_LEADS_STATUS] = {
        .name = "status", .type = AT_FIELD_ENUM, .required = true, .values = leads_status_values,
        .example = "qualified",
        .description = "Where the lead stands."},
    [AT_LEADS_ACCOUNT_ID] = {
        .name = "account_id", .type = AT_FIELD_REF, .ref_entity = "accounts", .example = "A-50012",
        .description = "The account the lead belongs to, when known."},
    [AT_LEADS_COMPANY] = {
        .name = "company", .type = AT_FIELD_TEXT, .example = "Acme Corp",
        .description = "The company as the lead gave it."},
    [AT_LEADS_CONTACT_NAME] = {
        .name = "contact_name", .type = AT_FIELD_TEXT, .example = "Jo Park",
        .description = "The contact's name."},
    [AT_LEADS_CONTACT_TITLE] = {
        .name = "contact_title", .type = AT_FIELD_TEXT, .example = "VP Operations",
        .description = "The contact's job title."},
    [AT_LEADS_CONTACT_SENIORITY] = {
        .name = "contact_seniority", .type = AT_FIELD_ENUM,
        .values = leads_contact_seniority_values, .example = "vp",
        .description = "The contact's seniority."},
    [AT_LEADS_CONVERTED_AT] = {
        .name = "converted_at", .type = AT_FIELD_TIME, .example = "2025-03-20T10:00:00Z",
        .description = "When the lead became an opportunity; required when status is converted."},
    [AT_LEADS_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_TEXT, .max = 128, .example = "O-70001",
        .description = "The id of the opportunity the lead became."},
};
const at_entity at_entity_leads = {
    .name = "leads",
    .file = "leads.csv",
    .summary = "Leads: people or companies showing interest, before an opportunity.",
    .fields = leads_fields,
    .field_count = AT_LEADS_FIELD_COUNT,
    .key = leads_key,
    .rule = at_rule_leads,
    .rule_text = leads_rule_text,
};

/* ---- handoffs.csv ------------------------------------------------------------------------- */

static const char *const handoffs_status_values[] = {
    "pending", "accepted", "rejected", NULL};
static const char *const handoffs_key[] = {"id", NULL};
static const char *const handoffs_rule_text[] = {
    "accepted_at is at or after handed_off_at.",
    "A pending handoff has no accepted_at.",
    NULL,
};
static const at_field handoffs_fields[AT_HANDOFFS_FIELD_COUNT] = {
    [AT_HANDOFFS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "H-3001",
        .description = "The handoff's id."},
    [AT_HANDOFFS_LEAD_ID] = {
        .name = "lead_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "leads",
        .example = "L-900123",
        .description = "The lead handed off."},
    [AT_HANDOFFS_FROM_PERSON_ID] = {
        .name = "from_person_id", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-2001",
        .description = "Who handed it off; empty when the system routed it."},
    [AT_HANDOFFS_TO_PERSON_ID] = {
        .name = "to_person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "Who receives it."},
    [AT_HANDOFFS_HANDED_OFF_AT] = {
        .name = "handed_off_at", .type = AT_FIELD_TIME, .required = true,
        .example = "2025-03-10T09:00:00Z",
        .description = "When it was handed off."},
    [AT_HANDOFFS_ACCEPTED_AT] = {
        .name = "accepted_at", .type = AT_FIELD_TIME, .example = "2025-03-10T13:30:00Z",
        .description = "When the receiver accepted it."},
    [AT_HANDOFFS_STATUS] = {
        .name = "status", .type = AT_FIELD_ENUM, .required = true,
        .values = handoffs_status_values, .example = "accepted",
        .description = "Where the handoff stands."},
    [AT_HANDOFFS_REASON] = {
        .name = "reason", .type = AT_FIELD_TEXT, .example = "Not enough budget",
        .description = "Why it was rejected, or a note."},
};
const at_entity at_entity_handoffs = {
    .name = "handoffs",
    .file = "handoffs.csv",
    .summary = "A lead passed from one person or team to another.",
    .fields = handoffs_fields,
    .field_count = AT_HANDOFFS_FIELD_COUNT,
    .key = handoffs_key,
    .rule = at_rule_handoffs,
    .rule_text = handoffs_rule_text,
};

/* ---- opportunities.csv -------------------------------------------------------------------- */

static const char *const opportunities_status_values[] = {
    "open", "won", "lost", NULL};
static const char *const opportunities_forecast_category_values[] = {
    "pipeline", "best_case", "commit", "closed", "omitted", NULL};
static const char *const opportunities_key[] = {"id", NULL};
static const char *const opportunities_rule_text[] = {
    "closed_on is required when status is won or lost, and empty when status is open.",
    "closed_on is on or after created_on.",
    "currency is required when amount or rep_commit_amount is given.",
    "status agrees with the outcome of the stage (checked across rows).",
    NULL,
};
static const at_field opportunities_fields[AT_OPPORTUNITIES_FIELD_COUNT] = {
    [AT_OPPORTUNITIES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "O-70001",
        .description = "The opportunity's id in the CRM."},
    [AT_OPPORTUNITIES_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "Acme Corp - GTX Pro",
        .description = "The opportunity's name."},
    [AT_OPPORTUNITIES_ACCOUNT_ID] = {
        .name = "account_id", .type = AT_FIELD_REF, .ref_entity = "accounts", .example = "A-50012",
        .description = "The account."},
    [AT_OPPORTUNITIES_OWNER_ID] = {
        .name = "owner_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The opportunity owner."},
    [AT_OPPORTUNITIES_LEAD_ID] = {
        .name = "lead_id", .type = AT_FIELD_REF, .ref_entity = "leads", .example = "L-900123",
        .description = "The lead it came from."},
    [AT_OPPORTUNITIES_CREATED_ON] = {
        .name = "created_on", .type = AT_FIELD_DAY, .example = "2025-03-20",
        .description = "When it was created; empty when the source does not know."},
    [AT_OPPORTUNITIES_EXPECTED_CLOSE] = {
        .name = "expected_close", .type = AT_FIELD_DAY, .example = "2025-06-30",
        .description = "When it is expected to close."},
    [AT_OPPORTUNITIES_CLOSED_ON] = {
        .name = "closed_on", .type = AT_FIELD_DAY, .example = "2025-06-12",
        .description = "When it was won or lost."},
    [AT_OPPORTUNITIES_STAGE_ID] = {
        .name = "stage_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "stages",
        .example = "S3-PROPOSAL",
        .description = "The current stage."},
    [AT_OPPORTUNITIES_STATUS] = {
        .name = "status", .type = AT_FIELD_ENUM, .required = true,
        .values = opportunities_status_values, .example = "open",
        .description = "Open, won or lost; agrees with the stage's outcome."},
    [AT_OPPORTUNITIES_AMOUNT] = {
        .name = "amount", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX, .example = "48210.00",
        .description = "The deal's value; 0 or more; empty when not yet estimated."},
    [AT_OPPORTUNITIES_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .example = "USD",
        .description = "The currency of amount and rep_commit_amount; required with either."},
    [AT_OPPORTUNITIES_FORECAST_CATEGORY] = {
        .name = "forecast_category", .type = AT_FIELD_ENUM, .required = true,
        .values = opportunities_forecast_category_values, .example = "commit",
        .description = "The forecast category."},
    [AT_OPPORTUNITIES_REP_COMMIT_AMOUNT] = {
        .name = "rep_commit_amount", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "45000.00",
        .description = "The rep's own commit for this deal; 0 or more."},
    [AT_OPPORTUNITIES_CLOSE_REASON] = {
        .name = "close_reason", .type = AT_FIELD_TEXT, .example = "Price",
        .description = "Why it was won or lost."},
};
const at_entity at_entity_opportunities = {
    .name = "opportunities",
    .file = "opportunities.csv",
    .summary = "Deals in the pipeline, open or closed.",
    .fields = opportunities_fields,
    .field_count = AT_OPPORTUNITIES_FIELD_COUNT,
    .key = opportunities_key,
    .rule = at_rule_opportunities,
    .rule_text = opportunities_rule_text,
};

/* ---- opportunity_products.csv ------------------------------------------------------------- */

static const char *const opportunity_products_key[] = {"opportunity_id", "product_id", NULL};
static const at_field opportunity_products_fields[AT_OPPORTUNITY_PRODUCTS_FIELD_COUNT] = {
    [AT_OPPORTUNITY_PRODUCTS_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "opportunities", .example = "O-70001",
        .description = "The opportunity."},
    [AT_OPPORTUNITY_PRODUCTS_PRODUCT_ID] = {
        .name = "product_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "products",
        .example = "PRD-GTX-PRO",
        .description = "The product."},
    [AT_OPPORTUNITY_PRODUCTS_QUANTITY] = {
        .name = "quantity", .type = AT_FIELD_INT, .required = true, .min = 1, .max = INT64_MAX,
        .example = "10",
        .description = "Units; 1 or more."},
    [AT_OPPORTUNITY_PRODUCTS_UNIT_PRICE] = {
        .name = "unit_price", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "4500.00",
        .description = "Price per unit; 0 or more; empty: the product's list price."},
    [AT_OPPORTUNITY_PRODUCTS_DISCOUNT] = {
        .name = "discount", .type = AT_FIELD_RATE, .min = 0, .max = AT_RATE_SCALE,
        .example = "0.10",
        .description = "Discount off the price, 0..1 (or 0%..100%)."},
};
const at_entity at_entity_opportunity_products = {
    .name = "opportunity_products",
    .file = "opportunity_products.csv",
    .summary = "The products on an opportunity.",
    .fields = opportunity_products_fields,
    .field_count = AT_OPPORTUNITY_PRODUCTS_FIELD_COUNT,
    .key = opportunity_products_key,
    .rule = NULL,
    .rule_text = NULL,
};

/* ---- stage_history.csv -------------------------------------------------------------------- */

static const char *const stage_history_key[] = {"id", NULL};
static const at_field stage_history_fields[AT_STAGE_HISTORY_FIELD_COUNT] = {
    [AT_STAGE_HISTORY_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "SH-1",
        .description = "The change's id."},
    [AT_STAGE_HISTORY_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "opportunities", .example = "O-70001",
        .description = "The opportunity."},
    [AT_STAGE_HISTORY_CHANGED_AT] = {
        .name = "changed_at", .type = AT_FIELD_TIME, .required = true,
        .example = "2025-04-02T16:00:00Z",
        .description = "When the stage changed."},
    [AT_STAGE_HISTORY_FROM_STAGE_ID] = {
        .name = "from_stage_id", .type = AT_FIELD_REF, .ref_entity = "stages",
        .example = "S2-DISCOVERY",
        .description = "The stage before; empty for the first."},
    [AT_STAGE_HISTORY_TO_STAGE_ID] = {
        .name = "to_stage_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "stages",
        .example = "S3-PROPOSAL",
        .description = "The stage after."},
    [AT_STAGE_HISTORY_AMOUNT] = {
        .name = "amount", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX, .example = "48210.00",
        .description = "The amount at the change; 0 or more."},
    [AT_STAGE_HISTORY_EXPECTED_CLOSE] = {
        .name = "expected_close", .type = AT_FIELD_DAY, .example = "2025-06-30",
        .description = "The expected close day at the change."},
    [AT_STAGE_HISTORY_CHANGED_BY] = {
        .name = "changed_by", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-1001",
        .description = "Who changed it."},
};
const at_entity at_entity_stage_history = {
    .name = "stage_history",
    .file = "stage_history.csv",
    .summary = "Every stage change of an opportunity, dated.",
    .fields = stage_history_fields,
    .field_count = AT_STAGE_HISTORY_FIELD_COUNT,
    .key = stage_history_key,
    .rule = NULL,
    .rule_text = NULL,
};

/* ---- activities.csv ----------------------------------------------------------------------- */

static const char *const activities_type_values[] = {
    "call", "email", "meeting", "conversation", NULL};
static const char *const activities_contact_seniority_values[] = {
    "c_level", "vp", "director", "manager", "staff", "unknown", NULL};
static const char *const activities_key[] = {"id", NULL};
static const at_field activities_fields[AT_ACTIVITIES_FIELD_COUNT] = {
    [AT_ACTIVITIES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "ACT-55001",
        .description = "The activity's id."},
    [AT_ACTIVITIES_TYPE] = {
        .name = "type", .type = AT_FIELD_ENUM, .required = true, .values = activities_type_values,
        .example = "call",
        .description = "The kind of activity."},
    [AT_ACTIVITIES_OCCURRED_AT] = {
        .name = "occurred_at", .type = AT_FIELD_TIME, .required = true,
        .example = "2025-04-02T14:00:00Z",
        .description = "When it happened."},
    [AT_ACTIVITIES_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-2001",
        .description = "Who did it."},
    [AT_ACTIVITIES_LEAD_ID] = {
        .name = "lead_id", .type = AT_FIELD_REF, .ref_entity = "leads", .example = "L-900123",
        .description = "The lead it was about."},
    [AT_ACTIVITIES_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_REF, .ref_entity = "opportunities",
        .example = "O-70001",
        .description = "The opportunity it was about."},
    [AT_ACTIVITIES_ACCOUNT_ID] = {
        .name = "account_id", .type = AT_FIELD_REF, .ref_entity = "accounts", .example = "A-50012",
        .description = "The account it was with."},
    [AT_ACTIVITIES_DURATION_MINUTES] = {
        .name = "duration_minutes", .type = AT_FIELD_INT, .min = 0, .max = 1440, .example = "25",
        .description = "Length in minutes, 0..1440."},
    [AT_ACTIVITIES_MEANINGFUL] = {
        .name = "meaningful", .type = AT_FIELD_BOOL, .required = true, .example = "true",
        .description = "A meaningful conversation: a real two-way exchange."},
    [AT_ACTIVITIES_CONTACT_SENIORITY] = {
        .name = "contact_seniority", .type = AT_FIELD_ENUM,
        .values = activities_contact_seniority_values, .example = "director",
        .description = "The seniority of the person met."},
    [AT_ACTIVITIES_OUTCOME] = {
        .name = "outcome", .type = AT_FIELD_TEXT, .example = "Demo booked",
        .description = "What came of it."},
};
const at_entity at_entity_activities = {
    .name = "activities",
    .file = "activities.csv",
    .summary = "Calls, emails, meetings and conversations.",
    .fields = activities_fields,
    .field_count = AT_ACTIVITIES_FIELD_COUNT,
    .key = activities_key,
    .rule = NULL,
    .rule_text = NULL,
};

/* ---- scorecard_templates.csv -------------------------------------------------------------- */

static const char *const scorecard_templates_applies_to_values[] = {
    "lead", "opportunity", NULL};
static const char *const scorecard_templates_key[] = {"id", NULL};
static const at_field scorecard_templates_fields[AT_SCORECARD_TEMPLATES_FIELD_COUNT] = {
    [AT_SCORECARD_TEMPLATES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "SC-MEDDIC",
        .description = "The template's id."},
    [AT_SCORECARD_TEMPLATES_NAME] = {
        .name = "name", .type = AT_FIELD_TEXT, .required = true, .example = "MEDDIC",
        .description = "The template's name."},
    [AT_SCORECARD_TEMPLATES_APPLIES_TO] = {
        .name = "applies_to", .type = AT_FIELD_ENUM, .required = true,
        .values = scorecard_templates_applies_to_values, .example = "opportunity",
        .description = "What it scores."},
    [AT_SCORECARD_TEMPLATES_ACTIVE] = {
        .name = "active", .type = AT_FIELD_BOOL, .default_value = "true", .example = "true",
        .description = "Whether it is in use; default true."},
};
const at_entity at_entity_scorecard_templates = {
    .name = "scorecard_templates",
    .file = "scorecard_templates.csv",
    .summary = "Scorecards: the questions asked about leads or opportunities.",
    .fields = scorecard_templates_fields,
    .field_count = AT_SCORECARD_TEMPLATES_FIELD_COUNT,
    .key = scorecard_templates_key,
    .rule = NULL,
    .rule_text = NULL,
};

/* ---- scorecard_points.csv ----------------------------------------------------------------- */

static const char *const scorecard_points_type_values[] = {
    "yes_no", "choice", "number", "date", "text", NULL};
static const char *const scorecard_points_key[] = {"id", NULL};
static const char *const scorecard_points_rule_text[] = {
    "choices is required for type choice and empty for the other types.",
    "choices lists distinct, non-empty values separated by |.",
    NULL,
};
static const at_field scorecard_points_fields[AT_SCORECARD_POINTS_FIELD_COUNT] = {
    [AT_SCORECARD_POINTS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "SCP-M1",
        .description = "The point's id."},
    [AT_SCORECARD_POINTS_TEMPLATE_ID] = {
        .name = "template_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "scorecard_templates", .example = "SC-MEDDIC",
        .description = "The template."},
    [AT_SCORECARD_POINTS_STAGE_ID] = {
        .name = "stage_id", .type = AT_FIELD_REF, .ref_entity = "stages", .example = "S2-DISCOVERY",
        .description = "The stage it is asked in; empty: every stage."},
    [AT_SCORECARD_POINTS_POSITION] = {
        .name = "position", .type = AT_FIELD_INT, .required = true, .min = 1, .max = INT64_MAX,
        .example = "1",
        .description = "Order within the template, 1 or more."},
    [AT_SCORECARD_POINTS_LABEL] = {
        .name = "label", .type = AT_FIELD_TEXT, .required = true,
        .example = "Economic buyer identified",
        .description = "The question."},
    [AT_SCORECARD_POINTS_TYPE] = {
        .name = "type", .type = AT_FIELD_ENUM, .required = true,
        .values = scorecard_points_type_values, .example = "yes_no",
        .description = "The kind of answer."},
    [AT_SCORECARD_POINTS_CHOICES] = {
        .name = "choices", .type = AT_FIELD_TEXT, .example = "low|medium|high",
        .description = "For choice points: the allowed answers, separated by |."},
    [AT_SCORECARD_POINTS_REQUIRED] = {
        .name = "required", .type = AT_FIELD_BOOL, .default_value = "false", .example = "false",
        .description = "Whether an answer is required; default false."},
};
const at_entity at_entity_scorecard_points = {
    .name = "scorecard_points",
    .file = "scorecard_points.csv",
    .summary = "The data points (questions) of a scorecard template, per stage.",
    .fields = scorecard_points_fields,
    .field_count = AT_SCORECARD_POINTS_FIELD_COUNT,
    .key = scorecard_points_key,
    .rule = at_rule_scorecard_points,
    .rule_text = scorecard_points_rule_text,
};

/* ---- scorecard_responses.csv -------------------------------------------------------------- */

static const char *const scorecard_responses_key[] = {"id", NULL};
static const char *const scorecard_responses_rule_text[] = {
    "Exactly one of lead_id and opportunity_id is given.",
    "value fits the point's type (checked across rows): yes_no takes yes or no (also true/false, "
    "1/0), choice one of the choices, number a decimal number, date a day (YYYY-MM-DD), text any "
    "text.",
    "lead_id is given for a template that applies to leads, opportunity_id for one that applies "
    "to opportunities (checked across rows).",
    NULL,
};
static const at_field scorecard_responses_fields[AT_SCORECARD_RESPONSES_FIELD_COUNT] = {
    [AT_SCORECARD_RESPONSES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "SCR-1",
        .description = "The answer's id."},
    [AT_SCORECARD_RESPONSES_POINT_ID] = {
        .name = "point_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "scorecard_points", .example = "SCP-M1",
        .description = "The point answered."},
    [AT_SCORECARD_RESPONSES_LEAD_ID] = {
        .name = "lead_id", .type = AT_FIELD_REF, .ref_entity = "leads", .example = "L-900123",
        .description = "The lead, for lead scorecards."},
    [AT_SCORECARD_RESPONSES_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_REF, .ref_entity = "opportunities",
        .example = "O-70001",
        .description = "The opportunity, for opportunity scorecards."},
    [AT_SCORECARD_RESPONSES_ANSWERED_AT] = {
        .name = "answered_at", .type = AT_FIELD_TIME, .required = true,
        .example = "2025-04-03T09:00:00Z",
        .description = "When it was answered."},
    [AT_SCORECARD_RESPONSES_ANSWERED_BY] = {
        .name = "answered_by", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-1001",
        .description = "Who answered."},
    [AT_SCORECARD_RESPONSES_VALUE] = {
        .name = "value", .type = AT_FIELD_TEXT, .required = true, .example = "yes",
        .description = "The answer."},
};
const at_entity at_entity_scorecard_responses = {
    .name = "scorecard_responses",
    .file = "scorecard_responses.csv",
    .summary = "Answers to scorecard points.",
    .fields = scorecard_responses_fields,
    .field_count = AT_SCORECARD_RESPONSES_FIELD_COUNT,
    .key = scorecard_responses_key,
    .rule = at_rule_scorecard_responses,
    .rule_text = scorecard_responses_rule_text,
};

/* ---- transactions.csv --------------------------------------------------------------------- */

static const char *const transactions_type_values[] = {
    "booking", "invoice", "payment", "cancellation", NULL};
static const char *const transactions_key[] = {"id", NULL};
static const char *const transactions_rule_text[] = {
    "original_id is required for a cancellation and empty for the other types; it is not the "
    "transaction itself.",
    "A cancellation's amount is negative: it reverses (part of) the original's amount, e.g. "
    "-48210.00 for a booking of 48210.00.",
    "A cancellation has the original's currency, and no more than the original's amount (checked "
    "across rows).",
    NULL,
};
static const at_field transactions_fields[AT_TRANSACTIONS_FIELD_COUNT] = {
    [AT_TRANSACTIONS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "TX-2025-000123",
        .description = "The transaction's id in the source system."},
    [AT_TRANSACTIONS_TYPE] = {
        .name = "type", .type = AT_FIELD_ENUM, .required = true,
        .values = transactions_type_values, .example = "booking",
        .description = "The kind of transaction."},
    [AT_TRANSACTIONS_DATE] = {
        .name = "date", .type = AT_FIELD_DAY, .required = true, .example = "2025-06-12",
        .description = "The day it counts on."},
    [AT_TRANSACTIONS_AMOUNT] = {
        .name = "amount", .type = AT_FIELD_MONEY, .required = true, .example = "48210.00",
        .description = "Its value; negative for a cancellation."},
    [AT_TRANSACTIONS_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .required = true, .example = "USD",
        .description = "The currency of amount and margin."},
    [AT_TRANSACTIONS_MARGIN] = {
        .name = "margin", .type = AT_FIELD_MONEY, .example = "21000.00",
        .description = "Gross margin."},
    [AT_TRANSACTIONS_QUANTITY] = {
        .name = "quantity", .type = AT_FIELD_INT, .example = "10",
        .description = "Units."},
    [AT_TRANSACTIONS_OPPORTUNITY_ID] = {
        .name = "opportunity_id", .type = AT_FIELD_REF, .ref_entity = "opportunities",
        .example = "O-70001",
        .description = "The opportunity it came from."},
    [AT_TRANSACTIONS_ACCOUNT_ID] = {
        .name = "account_id", .type = AT_FIELD_REF, .ref_entity = "accounts", .example = "A-50012",
        .description = "The account."},
    [AT_TRANSACTIONS_PRODUCT_ID] = {
        .name = "product_id", .type = AT_FIELD_REF, .ref_entity = "products",
        .example = "PRD-GTX-PRO",
        .description = "The product."},
    [AT_TRANSACTIONS_OWNER_ID] = {
        .name = "owner_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person credited first (the deal owner)."},
    [AT_TRANSACTIONS_ORIGINAL_ID] = {
        .name = "original_id", .type = AT_FIELD_REF, .ref_entity = "transactions",
        .example = "TX-2025-000100",
        .description = "For a cancellation: the transaction it cancels."},
};
const at_entity at_entity_transactions = {
    .name = "transactions",
    .file = "transactions.csv",
    .summary = "What compensation is paid on: bookings, invoices, payments, cancellations.",
    .fields = transactions_fields,
    .field_count = AT_TRANSACTIONS_FIELD_COUNT,
    .key = transactions_key,
    .rule = at_rule_transactions,
    .rule_text = transactions_rule_text,
};

/* ---- transaction_people.csv --------------------------------------------------------------- */

static const char *const transaction_people_role_values[] = {
    "split", "overlay", "sdr", "manager", NULL};
static const char *const transaction_people_key[] = {"transaction_id", "person_id", "role", NULL};
static const char *const transaction_people_rule_text[] = {
    "The split shares of one transaction add up to at most 1; the owner keeps the rest (checked "
    "across rows).",
    NULL,
};
static const at_field transaction_people_fields[AT_TRANSACTION_PEOPLE_FIELD_COUNT] = {
    [AT_TRANSACTION_PEOPLE_TRANSACTION_ID] = {
        .name = "transaction_id", .type = AT_FIELD_REF, .required = true,
        .ref_entity = "transactions", .example = "TX-2025-000123",
        .description = "The transaction."},
    [AT_TRANSACTION_PEOPLE_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1002",
        .description = "The person named."},
    [AT_TRANSACTION_PEOPLE_ROLE] = {
        .name = "role", .type = AT_FIELD_ENUM, .required = true,
        .values = transaction_people_role_values, .example = "split",
        .description = "Why the person is named."},
    [AT_TRANSACTION_PEOPLE_SHARE] = {
        .name = "share", .type = AT_FIELD_RATE, .required = true, .min = 0, .max = AT_RATE_SCALE,
        .example = "0.5",
        .description = "The person's share, 0..1 (or 0%..100%)."},
};
const at_entity at_entity_transaction_people = {
    .name = "transaction_people",
    .file = "transaction_people.csv",
    .summary = "More people named on a transaction: splits, overlays, SDRs, managers.",
    .fields = transaction_people_fields,
    .field_count = AT_TRANSACTION_PEOPLE_FIELD_COUNT,
    .key = transaction_people_key,
    .rule = NULL,
    .rule_text = transaction_people_rule_text,
};

/* ---- quotas.csv --------------------------------------------------------------------------- */

static const char *const quotas_key[] = {"id", NULL};
static const char *const quotas_rule_text[] = {
    "Exactly one of person_id and territory_id is given.",
    "currency is required for the money measures bookings, margin and revenue.",
    "Without a currency the measure counts things (new_logos, meetings): amount is a whole "
    "number.",
    NULL,
};
static const at_field quotas_fields[AT_QUOTAS_FIELD_COUNT] = {
    [AT_QUOTAS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "Q-2026-P1001-BK-Q1",
        .description = "The quota's id."},
    [AT_QUOTAS_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .ref_entity = "people", .example = "P-1001",
        .description = "The person the quota is for."},
    [AT_QUOTAS_TERRITORY_ID] = {
        .name = "territory_id", .type = AT_FIELD_REF, .ref_entity = "territories",
        .example = "TER-US-W",
        .description = "The territory the quota is for."},
    [AT_QUOTAS_MEASURE] = {
        .name = "measure", .type = AT_FIELD_TEXT, .required = true, .max = 64,
        .example = "bookings",
        .description = "What is measured, e.g. bookings, margin, revenue, new_logos, meetings."},
    [AT_QUOTAS_PERIOD] = {
        .name = "period", .type = AT_FIELD_PERIOD, .required = true, .example = "2026-Q1",
        .description = "The fiscal period."},
    [AT_QUOTAS_AMOUNT] = {
        .name = "amount", .type = AT_FIELD_MONEY, .required = true, .min = 0, .max = INT64_MAX,
        .example = "250000.00",
        .description = "The target; 0 or more."},
    [AT_QUOTAS_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .example = "USD",
        .description = "The currency, for money measures."},
};
const at_entity at_entity_quotas = {
    .name = "quotas",
    .file = "quotas.csv",
    .summary = "Targets per person or territory, measure and period.",
    .fields = quotas_fields,
    .field_count = AT_QUOTAS_FIELD_COUNT,
    .key = quotas_key,
    .rule = at_rule_quotas,
    .rule_text = quotas_rule_text,
};

/* ---- metrics.csv -------------------------------------------------------------------------- */

static const char *const metrics_key[] = {"person_id", "metric", "period", NULL};
static const char *const metrics_rule_text[] = {
    "One value per person, metric and period.",
    "A plan reads a metric by its name (MBO/KPI components, formulas) and says in which unit "
    "(money, number or count) its values are written.",
    NULL,
};
static const at_field metrics_fields[AT_METRICS_FIELD_COUNT] = {
    [AT_METRICS_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person measured."},
    [AT_METRICS_METRIC] = {
        .name = "metric", .type = AT_FIELD_TEXT, .required = true, .max = 64,
        .example = "avg_margin",
        .description = "The metric's name, as plans name it (e.g. avg_margin, avg_deal_size, "
                       "scorecard_discipline)."},
    [AT_METRICS_PERIOD] = {
        .name = "period", .type = AT_FIELD_PERIOD, .required = true, .example = "2026-Q1",
        .description = "The fiscal period the value is for (month, quarter, half or year)."},
    [AT_METRICS_VALUE] = {
        .name = "value", .type = AT_FIELD_RATE, .required = true, .example = "0.35",
        .description = "The value, exact to 9 decimals: a share (35% or 0.35), a number or an "
                       "amount (48210.5)."},
};
const at_entity at_entity_metrics = {
    .name = "metrics",
    .file = "metrics.csv",
    .summary = "Metric values per person and period (MBO/KPI scores, averages), read by plans.",
    .fields = metrics_fields,
    .field_count = AT_METRICS_FIELD_COUNT,
    .key = metrics_key,
    .rule = NULL,
    .rule_text = metrics_rule_text,
};

/* ---- plan_assignments.csv ----------------------------------------------------------------- */

static const char *const plan_assignments_key[] = {"id", NULL};
static const char *const plan_assignments_rule_text[] = {
    "end_date is on or after start_date.",
    "currency is required when target_incentive is given.",
    "pay_mix, when given, is base/variable in whole percent adding up to 100, e.g. 60/40.",
    NULL,
};
static const at_field plan_assignments_fields[AT_PLAN_ASSIGNMENTS_FIELD_COUNT] = {
    [AT_PLAN_ASSIGNMENTS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "PA-1001-2026",
        .description = "The assignment's id."},
    [AT_PLAN_ASSIGNMENTS_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person."},
    [AT_PLAN_ASSIGNMENTS_PLAN] = {
        .name = "plan", .type = AT_FIELD_TEXT, .required = true, .max = 128,
        .example = "AE Plan 2026",
        .description = "The plan document's name."},
    [AT_PLAN_ASSIGNMENTS_START_DATE] = {
        .name = "start_date", .type = AT_FIELD_DAY, .required = true, .example = "2026-01-01",
        .description = "First day on the plan."},
    [AT_PLAN_ASSIGNMENTS_END_DATE] = {
        .name = "end_date", .type = AT_FIELD_DAY, .example = "2026-12-31",
        .description = "Last day on the plan; empty: still on it."},
    [AT_PLAN_ASSIGNMENTS_TARGET_INCENTIVE] = {
        .name = "target_incentive", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX,
        .example = "80000.00",
        .description = "Variable pay at 100% attainment for a year; 0 or more."},
    [AT_PLAN_ASSIGNMENTS_CURRENCY] = {
        .name = "currency", .type = AT_FIELD_CURRENCY, .example = "USD",
        .description = "The currency of target_incentive; required with it."},
    [AT_PLAN_ASSIGNMENTS_PAY_MIX] = {
        .name = "pay_mix", .type = AT_FIELD_TEXT, .example = "60/40",
        .description = "Base/variable split in percent."},
};
const at_entity at_entity_plan_assignments = {
    .name = "plan_assignments",
    .file = "plan_assignments.csv",
    .summary = "Which compensation plan a person is on, from when to when.",
    .fields = plan_assignments_fields,
    .field_count = AT_PLAN_ASSIGNMENTS_FIELD_COUNT,
    .key = plan_assignments_key,
    .rule = at_rule_plan_assignments,
    .rule_text = plan_assignments_rule_text,
};

/* ---- employment_events.csv ---------------------------------------------------------------- */

static const char *const employment_events_type_values[] = {
    "hire", "transfer", "promotion", "leave_start", "leave_end", "exit", NULL};
static const char *const employment_events_exit_kind_values[] = {
    "voluntary", "involuntary", NULL};
static const char *const employment_events_key[] = {"id", NULL};
static const char *const employment_events_rule_text[] = {
    "exit_kind is required for type exit and empty for the other types.",
    NULL,
};
static const at_field employment_events_fields[AT_EMPLOYMENT_EVENTS_FIELD_COUNT] = {
    [AT_EMPLOYMENT_EVENTS_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "EE-1",
        .description = "The event's id."},
    [AT_EMPLOYMENT_EVENTS_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person."},
    [AT_EMPLOYMENT_EVENTS_TYPE] = {
        .name = "type", .type = AT_FIELD_ENUM, .required = true,
        .values = employment_events_type_values, .example = "transfer",
        .description = "What happened."},
    [AT_EMPLOYMENT_EVENTS_DATE] = {
        .name = "date", .type = AT_FIELD_DAY, .required = true, .example = "2025-07-01",
        .description = "The day it took effect."},
    [AT_EMPLOYMENT_EVENTS_REASON] = {
        .name = "reason", .type = AT_FIELD_TEXT, .example = "Moved to enterprise",
        .description = "Why."},
    [AT_EMPLOYMENT_EVENTS_EXIT_KIND] = {
        .name = "exit_kind", .type = AT_FIELD_ENUM, .values = employment_events_exit_kind_values,
        .example = "voluntary",
        .description = "For exits: who chose it."},
    [AT_EMPLOYMENT_EVENTS_FROM_TEAM_ID] = {
        .name = "from_team_id", .type = AT_FIELD_REF, .ref_entity = "teams", .example = "T-AE-WEST",
        .description = "The team before."},
    [AT_EMPLOYMENT_EVENTS_TO_TEAM_ID] = {
        .name = "to_team_id", .type = AT_FIELD_REF, .ref_entity = "teams", .example = "T-AE-ENT",
        .description = "The team after."},
};
const at_entity at_entity_employment_events = {
    .name = "employment_events",
    .file = "employment_events.csv",
    .summary = "Hires, transfers, promotions, leaves and exits.",
    .fields = employment_events_fields,
    .field_count = AT_EMPLOYMENT_EVENTS_FIELD_COUNT,
    .key = employment_events_key,
    .rule = at_rule_employment_events,
    .rule_text = employment_events_rule_text,
};

/* ---- survey_responses.csv ----------------------------------------------------------------- */

static const char *const survey_responses_key[] = {"id", NULL};
static const char *const survey_responses_rule_text[] = {
    "At least one of enps, satisfaction and engagement is given.",
    NULL,
};
static const at_field survey_responses_fields[AT_SURVEY_RESPONSES_FIELD_COUNT] = {
    [AT_SURVEY_RESPONSES_ID] = {
        .name = "id", .type = AT_FIELD_ID, .required = true, .example = "SR-1",
        .description = "The response's id."},
    [AT_SURVEY_RESPONSES_PERSON_ID] = {
        .name = "person_id", .type = AT_FIELD_REF, .required = true, .ref_entity = "people",
        .example = "P-1001",
        .description = "The person who answered."},
    [AT_SURVEY_RESPONSES_SURVEY] = {
        .name = "survey", .type = AT_FIELD_TEXT, .required = true, .max = 64,
        .example = "2025-H2 pulse",
        .description = "The survey's name."},
    [AT_SURVEY_RESPONSES_ANSWERED_ON] = {
        .name = "answered_on", .type = AT_FIELD_DAY, .required = true, .example = "2025-09-15",
        .description = "When it was answered."},
    [AT_SURVEY_RESPONSES_ENPS] = {
        .name = "enps", .type = AT_FIELD_INT, .min = 0, .max = 10, .example = "9",
        .description = "How likely to recommend working here, 0..10."},
    [AT_SURVEY_RESPONSES_SATISFACTION] = {
        .name = "satisfaction", .type = AT_FIELD_INT, .min = 1, .max = 5, .example = "4",
        .description = "Satisfaction, 1..5."},
    [AT_SURVEY_RESPONSES_ENGAGEMENT] = {
        .name = "engagement", .type = AT_FIELD_INT, .min = 1, .max = 5, .example = "4",
        .description = "Engagement, 1..5."},
    [AT_SURVEY_RESPONSES_COMMENT] = {
        .name = "comment", .type = AT_FIELD_TEXT, .max = 2000, .example = "More enablement please",
        .description = "Free text, up to 2000 characters."},
};
const at_entity at_entity_survey_responses = {
    .name = "survey_responses",
    .file = "survey_responses.csv",
    .summary = "Employee survey answers: eNPS, satisfaction, engagement.",
    .fields = survey_responses_fields,
    .field_count = AT_SURVEY_RESPONSES_FIELD_COUNT,
    .key = survey_responses_key,
    .rule = at_rule_survey_responses,
    .rule_text = survey_responses_rule_text,
};

const at_entity *const at_entities[] = {
    &at_entity_settings,
    &at_entity_exchange_rates,
    &at_entity_teams,
    &at_entity_people,
    &at_entity_reporting_lines,
    &at_entity_territories,
    &at_entity_territory_rules,
    &at_entity_accounts,
    &at_entity_territory_accounts,
    &at_entity_territory_people,
    &at_entity_products,
    &at_entity_stages,
    &at_entity_leads,
    &at_entity_handoffs,
    &at_entity_opportunities,
    &at_entity_opportunity_products,
    &at_entity_stage_history,
    &at_entity_activities,
    &at_entity_scorecard_templates,
    &at_entity_scorecard_points,
    &at_entity_scorecard_responses,
    &at_entity_transactions,
    &at_entity_transaction_people,
    &at_entity_quotas,
    &at_entity_metrics,
    &at_entity_plan_assignments,
    &at_entity_employment_events,
    &at_entity_survey_responses,
};
const size_t at_entity_count = sizeof at_entities / sizeof at_entities[0];
