-- attain-v1.sql - a database as schema version 1 of attain made it, with a few rows: the
-- starting point of the migration test (tests/unit/test_store_migrate.c). attain-v1.db is made
-- from this file and checked in beside it:
--   rm -f tests/data/attain-v1.db && sqlite3 tests/data/attain-v1.db < tests/data/attain-v1.sql
-- The tables are what `attain db schema` printed at version 1 (the entity tables from
-- src/model/entities.c, then schema_version, audit and imports). Never edit this file to follow
-- a later schema: that is what the migrations are for.
BEGIN;
CREATE TABLE "settings" (
  "id" INTEGER PRIMARY KEY,
  "key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "import_id" INTEGER,
  UNIQUE ("key")
) STRICT;
CREATE TABLE "exchange_rates" (
  "id" INTEGER PRIMARY KEY,
  "from_currency" TEXT NOT NULL,
  "to_currency" TEXT NOT NULL,
  "effective_date" INTEGER NOT NULL,
  "rate" INTEGER NOT NULL CHECK ("rate" >= 1),
  "import_id" INTEGER,
  UNIQUE ("from_currency", "to_currency", "effective_date")
) STRICT;
CREATE TABLE "teams" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "function" TEXT NOT NULL CHECK ("function" IN ('marketing', 'sdr', 'ae', 'csm', 'sales_management', 'sales_ops', 'finance', 'executive')),
  "parent_id" INTEGER REFERENCES "teams"("id"),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "teams_by_parent_id" ON "teams" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE TABLE "people" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "email" TEXT UNIQUE,
  "role" TEXT NOT NULL CHECK ("role" IN ('rep', 'sdr', 'marketing', 'csm', 'manager', 'director', 'vp', 'sales_ops', 'finance', 'executive', 'admin')),
  "team_id" INTEGER REFERENCES "teams"("id"),
  "title" TEXT,
  "hire_date" INTEGER,
  "exit_date" INTEGER,
  "pay_currency" TEXT NOT NULL,
  "country" TEXT,
  "location" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "people_by_team_id" ON "people" ("team_id") WHERE "team_id" IS NOT NULL;
CREATE TABLE "reporting_lines" (
  "id" INTEGER PRIMARY KEY,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "manager_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("person_id", "start_date")
) STRICT;
CREATE INDEX "reporting_lines_by_manager_id" ON "reporting_lines" ("manager_id");
CREATE TABLE "territories" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "parent_id" INTEGER REFERENCES "territories"("id"),
  "level" TEXT CHECK ("level" IN ('company', 'region', 'area', 'territory')),
  "geography" TEXT,
  "potential" INTEGER CHECK ("potential" >= 0),
  "currency" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "territories_by_parent_id" ON "territories" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE TABLE "territory_rules" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "field" TEXT NOT NULL CHECK ("field" IN ('country', 'region', 'state', 'industry', 'employees', 'revenue_band', 'account')),
  "operator" TEXT NOT NULL CHECK ("operator" IN ('eq', 'in', 'between', 'ge', 'le')),
  "value" TEXT NOT NULL,
  "priority" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("territory_id", "field", "operator", "value")
) STRICT;
CREATE TABLE "accounts" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "industry" TEXT,
  "employees" INTEGER CHECK ("employees" BETWEEN 0 AND 10000000),
  "revenue_band" TEXT CHECK ("revenue_band" IN ('under_1m', '1m_10m', '10m_50m', '50m_250m', '250m_1b', 'over_1b')),
  "annual_revenue" INTEGER CHECK ("annual_revenue" >= 0),
  "country" TEXT,
  "region" TEXT,
  "state" TEXT,
  "city" TEXT,
  "latitude" INTEGER CHECK ("latitude" BETWEEN -90000000 AND 90000000),
  "longitude" INTEGER CHECK ("longitude" BETWEEN -180000000 AND 180000000),
  "potential" INTEGER CHECK ("potential" >= 0),
  "currency" TEXT,
  "parent_id" INTEGER REFERENCES "accounts"("id"),
  "owner_id" INTEGER REFERENCES "people"("id"),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "accounts_by_parent_id" ON "accounts" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "accounts_by_owner_id" ON "accounts" ("owner_id") WHERE "owner_id" IS NOT NULL;
CREATE TABLE "territory_accounts" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "account_id" INTEGER NOT NULL REFERENCES "accounts"("id"),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("account_id", "start_date")
) STRICT;
CREATE INDEX "territory_accounts_by_territory_id" ON "territory_accounts" ("territory_id");
CREATE TABLE "territory_people" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "role" TEXT NOT NULL CHECK ("role" IN ('owner', 'overlay', 'manager')),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("territory_id", "person_id", "start_date")
) STRICT;
CREATE INDEX "territory_people_by_person_id" ON "territory_people" ("person_id");
CREATE TABLE "products" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "family" TEXT NOT NULL,
  "list_price" INTEGER NOT NULL CHECK ("list_price" >= 0),
  "currency" TEXT NOT NULL,
  "unit_cost" INTEGER CHECK ("unit_cost" >= 0),
  "active" INTEGER CHECK ("active" IN (0, 1)),
  "import_id" INTEGER
) STRICT;
CREATE TABLE "stages" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "position" INTEGER NOT NULL UNIQUE CHECK ("position" BETWEEN 1 AND 100),
  "probability" INTEGER CHECK ("probability" BETWEEN 0 AND 1000000000),
  "outcome" TEXT NOT NULL CHECK ("outcome" IN ('open', 'won', 'lost')),
  "import_id" INTEGER
) STRICT;
CREATE TABLE "leads" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "created_at" INTEGER NOT NULL,
  "source" TEXT NOT NULL CHECK ("source" IN ('inbound', 'outbound', 'event', 'partner', 'referral', 'web', 'other')),
  "owner_id" INTEGER REFERENCES "people"("id"),
  "status" TEXT NOT NULL CHECK ("status" IN ('new', 'working', 'qualified', 'converted', 'disqualified')),
  "account_id" INTEGER REFERENCES "accounts"("id"),
  "company" TEXT,
  "contact_name" TEXT,
  "contact_title" TEXT,
  "contact_seniority" TEXT CHECK ("contact_seniority" IN ('c_level', 'vp', 'director', 'manager', 'staff', 'unknown')),
  "converted_at" INTEGER,
  "opportunity_id" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "leads_by_owner_id" ON "leads" ("owner_id") WHERE "owner_id" IS NOT NULL;
CREATE INDEX "leads_by_account_id" ON "leads" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE TABLE "handoffs" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "lead_id" INTEGER NOT NULL REFERENCES "leads"("id"),
  "from_person_id" INTEGER REFERENCES "people"("id"),
  "to_person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "handed_off_at" INTEGER NOT NULL,
  "accepted_at" INTEGER,
  "status" TEXT NOT NULL CHECK ("status" IN ('pending', 'accepted', 'rejected')),
  "reason" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "handoffs_by_lead_id" ON "handoffs" ("lead_id");
CREATE INDEX "handoffs_by_from_person_id" ON "handoffs" ("from_person_id") WHERE "from_person_id" IS NOT NULL;
CREATE INDEX "handoffs_by_to_person_id" ON "handoffs" ("to_person_id");
CREATE TABLE "opportunities" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "account_id" INTEGER REFERENCES "accounts"("id"),
  "owner_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "lead_id" INTEGER REFERENCES "leads"("id"),
  "created_on" INTEGER,
  "expected_close" INTEGER,
  "closed_on" INTEGER,
  "stage_id" INTEGER NOT NULL REFERENCES "stages"("id"),
  "status" TEXT NOT NULL CHECK ("status" IN ('open', 'won', 'lost')),
  "amount" INTEGER CHECK ("amount" >= 0),
  "currency" TEXT,
  "forecast_category" TEXT NOT NULL CHECK ("forecast_category" IN ('pipeline', 'best_case', 'commit', 'closed', 'omitted')),
  "rep_commit_amount" INTEGER CHECK ("rep_commit_amount" >= 0),
  "close_reason" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "opportunities_by_account_id" ON "opportunities" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "opportunities_by_owner_id" ON "opportunities" ("owner_id");
CREATE INDEX "opportunities_by_lead_id" ON "opportunities" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "opportunities_by_closed_on" ON "opportunities" ("closed_on") WHERE "closed_on" IS NOT NULL;
CREATE INDEX "opportunities_by_stage_id" ON "opportunities" ("stage_id");
CREATE TABLE "opportunity_products" (
  "id" INTEGER PRIMARY KEY,
  "opportunity_id" INTEGER NOT NULL REFERENCES "opportunities"("id"),
  "product_id" INTEGER NOT NULL REFERENCES "products"("id"),
  "quantity" INTEGER NOT NULL CHECK ("quantity" >= 1),
  "unit_price" INTEGER CHECK ("unit_price" >= 0),
  "discount" INTEGER CHECK ("discount" BETWEEN 0 AND 1000000000),
  "import_id" INTEGER,
  UNIQUE ("opportunity_id", "product_id")
) STRICT;
CREATE INDEX "opportunity_products_by_product_id" ON "opportunity_products" ("product_id");
CREATE TABLE "stage_history" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "opportunity_id" INTEGER NOT NULL REFERENCES "opportunities"("id"),
  "changed_at" INTEGER NOT NULL,
  "from_stage_id" INTEGER REFERENCES "stages"("id"),
  "to_stage_id" INTEGER NOT NULL REFERENCES "stages"("id"),
  "amount" INTEGER CHECK ("amount" >= 0),
  "expected_close" INTEGER,
  "changed_by" INTEGER REFERENCES "people"("id"),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "stage_history_by_opportunity_id" ON "stage_history" ("opportunity_id");
CREATE INDEX "stage_history_by_changed_at" ON "stage_history" ("changed_at");
CREATE INDEX "stage_history_by_from_stage_id" ON "stage_history" ("from_stage_id") WHERE "from_stage_id" IS NOT NULL;
CREATE INDEX "stage_history_by_to_stage_id" ON "stage_history" ("to_stage_id");
CREATE INDEX "stage_history_by_changed_by" ON "stage_history" ("changed_by") WHERE "changed_by" IS NOT NULL;
CREATE TABLE "activities" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "type" TEXT NOT NULL CHECK ("type" IN ('call', 'email', 'meeting', 'conversation')),
  "occurred_at" INTEGER NOT NULL,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "lead_id" INTEGER REFERENCES "leads"("id"),
  "opportunity_id" INTEGER REFERENCES "opportunities"("id"),
  "account_id" INTEGER REFERENCES "accounts"("id"),
  "duration_minutes" INTEGER CHECK ("duration_minutes" BETWEEN 0 AND 1440),
  "meaningful" INTEGER NOT NULL CHECK ("meaningful" IN (0, 1)),
  "contact_seniority" TEXT CHECK ("contact_seniority" IN ('c_level', 'vp', 'director', 'manager', 'staff', 'unknown')),
  "outcome" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "activities_by_occurred_at" ON "activities" ("occurred_at");
CREATE INDEX "activities_by_person_id" ON "activities" ("person_id");
CREATE INDEX "activities_by_lead_id" ON "activities" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "activities_by_opportunity_id" ON "activities" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "activities_by_account_id" ON "activities" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE TABLE "scorecard_templates" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "applies_to" TEXT NOT NULL CHECK ("applies_to" IN ('lead', 'opportunity')),
  "active" INTEGER CHECK ("active" IN (0, 1)),
  "import_id" INTEGER
) STRICT;
CREATE TABLE "scorecard_points" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "template_id" INTEGER NOT NULL REFERENCES "scorecard_templates"("id"),
  "stage_id" INTEGER REFERENCES "stages"("id"),
  "position" INTEGER NOT NULL CHECK ("position" >= 1),
  "label" TEXT NOT NULL,
  "type" TEXT NOT NULL CHECK ("type" IN ('yes_no', 'choice', 'number', 'date', 'text')),
  "choices" TEXT,
  "required" INTEGER CHECK ("required" IN (0, 1)),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "scorecard_points_by_template_id" ON "scorecard_points" ("template_id");
CREATE INDEX "scorecard_points_by_stage_id" ON "scorecard_points" ("stage_id") WHERE "stage_id" IS NOT NULL;
CREATE TABLE "scorecard_responses" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "point_id" INTEGER NOT NULL REFERENCES "scorecard_points"("id"),
  "lead_id" INTEGER REFERENCES "leads"("id"),
  "opportunity_id" INTEGER REFERENCES "opportunities"("id"),
  "answered_at" INTEGER NOT NULL,
  "answered_by" INTEGER REFERENCES "people"("id"),
  "value" TEXT NOT NULL,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "scorecard_responses_by_point_id" ON "scorecard_responses" ("point_id");
CREATE INDEX "scorecard_responses_by_lead_id" ON "scorecard_responses" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "scorecard_responses_by_opportunity_id" ON "scorecard_responses" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "scorecard_responses_by_answered_by" ON "scorecard_responses" ("answered_by") WHERE "answered_by" IS NOT NULL;
CREATE TABLE "transactions" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "type" TEXT NOT NULL CHECK ("type" IN ('booking', 'invoice', 'payment', 'cancellation')),
  "date" INTEGER NOT NULL,
  "amount" INTEGER NOT NULL,
  "currency" TEXT NOT NULL,
  "margin" INTEGER,
  "quantity" INTEGER,
  "opportunity_id" INTEGER REFERENCES "opportunities"("id"),
  "account_id" INTEGER REFERENCES "accounts"("id"),
  "product_id" INTEGER REFERENCES "products"("id"),
  "owner_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "original_id" INTEGER REFERENCES "transactions"("id"),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "transactions_by_date" ON "transactions" ("date");
CREATE INDEX "transactions_by_opportunity_id" ON "transactions" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "transactions_by_account_id" ON "transactions" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "transactions_by_product_id" ON "transactions" ("product_id") WHERE "product_id" IS NOT NULL;
CREATE INDEX "transactions_by_owner_id" ON "transactions" ("owner_id");
CREATE INDEX "transactions_by_original_id" ON "transactions" ("original_id") WHERE "original_id" IS NOT NULL;
CREATE TABLE "transaction_people" (
  "id" INTEGER PRIMARY KEY,
  "transaction_id" INTEGER NOT NULL REFERENCES "transactions"("id"),
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "role" TEXT NOT NULL CHECK ("role" IN ('split', 'overlay', 'sdr', 'manager')),
  "share" INTEGER NOT NULL CHECK ("share" BETWEEN 0 AND 1000000000),
  "import_id" INTEGER,
  UNIQUE ("transaction_id", "person_id", "role")
) STRICT;
CREATE INDEX "transaction_people_by_person_id" ON "transaction_people" ("person_id");
CREATE TABLE "quotas" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "person_id" INTEGER REFERENCES "people"("id"),
  "territory_id" INTEGER REFERENCES "territories"("id"),
  "measure" TEXT NOT NULL,
  "period" TEXT NOT NULL,
  "amount" INTEGER NOT NULL CHECK ("amount" >= 0),
  "currency" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "quotas_by_person_id" ON "quotas" ("person_id") WHERE "person_id" IS NOT NULL;
CREATE INDEX "quotas_by_territory_id" ON "quotas" ("territory_id") WHERE "territory_id" IS NOT NULL;
CREATE TABLE "plan_assignments" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "plan" TEXT NOT NULL,
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "target_incentive" INTEGER CHECK ("target_incentive" >= 0),
  "currency" TEXT,
  "pay_mix" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "plan_assignments_by_person_id" ON "plan_assignments" ("person_id");
CREATE TABLE "employment_events" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "type" TEXT NOT NULL CHECK ("type" IN ('hire', 'transfer', 'promotion', 'leave_start', 'leave_end', 'exit')),
  "date" INTEGER NOT NULL,
  "reason" TEXT,
  "exit_kind" TEXT CHECK ("exit_kind" IN ('voluntary', 'involuntary')),
  "from_team_id" INTEGER REFERENCES "teams"("id"),
  "to_team_id" INTEGER REFERENCES "teams"("id"),
  "import_id" INTEGER
) STRICT;
CREATE INDEX "employment_events_by_person_id" ON "employment_events" ("person_id");
CREATE INDEX "employment_events_by_from_team_id" ON "employment_events" ("from_team_id") WHERE "from_team_id" IS NOT NULL;
CREATE INDEX "employment_events_by_to_team_id" ON "employment_events" ("to_team_id") WHERE "to_team_id" IS NOT NULL;
CREATE TABLE "survey_responses" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "survey" TEXT NOT NULL,
  "answered_on" INTEGER NOT NULL,
  "enps" INTEGER CHECK ("enps" BETWEEN 0 AND 10),
  "satisfaction" INTEGER CHECK ("satisfaction" BETWEEN 1 AND 5),
  "engagement" INTEGER CHECK ("engagement" BETWEEN 1 AND 5),
  "comment" TEXT,
  "import_id" INTEGER
) STRICT;
CREATE INDEX "survey_responses_by_person_id" ON "survey_responses" ("person_id");
-- the tables that are not entities (version 1)
CREATE TABLE schema_version (
  version INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL,
  description TEXT NOT NULL
) STRICT;
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  row_key TEXT NOT NULL DEFAULT '',
  before TEXT CHECK (before IS NULL OR json_valid(before)),
  after TEXT CHECK (after IS NULL OR json_valid(after)),
  reason TEXT,
  import_id INTEGER
) STRICT;
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  started INTEGER NOT NULL,
  finished INTEGER,
  actor TEXT NOT NULL,
  reason TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'committed', 'failed')),
  files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files))
) STRICT;
-- the rows: one import (id 1) by ana on 2026-01-01, and one transaction written by hand later
INSERT INTO schema_version (version, applied_at, description) VALUES (1, 1767225600, 'first schema');
INSERT INTO imports (id, started, finished, actor, reason, status, files) VALUES
  (1, 1767225660, 1767225662, 'ana', 'first load', 'committed',
   '[{"name":"teams.csv","size":58,"sha256":null},{"name":"people.csv","size":190,"sha256":"9f2c"}]');
INSERT INTO exchange_rates (id, from_currency, to_currency, effective_date, rate, import_id) VALUES
  (1, 'EUR', 'USD', 20454, 1084200000, 1);
INSERT INTO teams (id, ext_id, name, "function", parent_id, import_id) VALUES
  (1, 'T1', 'Enterprise', 'ae', NULL, 1);
INSERT INTO people (id, ext_id, name, email, role, team_id, title, hire_date, exit_date,
                    pay_currency, country, location, import_id) VALUES
  (1, 'P1', 'Ana Lima', 'ana@example.com', 'manager', 1, 'VP Sales', 20089, NULL, 'USD', 'US', 'Austin', 1),
  (2, 'P2', 'Bo Chen', NULL, 'rep', 1, NULL, NULL, NULL, 'EUR', 'DE', NULL, 1);
INSERT INTO accounts (id, ext_id, name, country, owner_id, import_id) VALUES
  (1, 'A1', 'Acme "Rockets" GmbH', 'DE', 2, 1);
INSERT INTO stages (id, ext_id, name, position, probability, outcome, import_id) VALUES
  (1, 'S1', 'Qualify', 1, 100000000, 'open', 1),
  (2, 'S9', 'Closed Won', 9, 1000000000, 'won', 1);
INSERT INTO opportunities (id, ext_id, name, account_id, owner_id, created_on, closed_on, stage_id,
                           status, amount, currency, forecast_category, import_id) VALUES
  (1, 'O1', 'Acme rockets', 1, 2, 20089, 20150, 2, 'won', 480000000, 'USD', 'closed', 1);
INSERT INTO transactions (id, ext_id, type, date, amount, currency, opportunity_id, account_id,
                          owner_id, original_id, import_id) VALUES
  (1, 'X1', 'booking', 20150, 480000000, 'USD', 1, 1, 2, NULL, 1),
  (2, 'X2', 'cancellation', 20160, -50000000, 'USD', NULL, 1, 2, 1, NULL);
INSERT INTO audit (id, at, actor, action, entity, row_key, before, after, reason, import_id) VALUES
  (1, 1767225600, 'attain', 'init', '', '', NULL, '{"from":0,"to":1}', NULL, NULL),
  (2, 1767225660, 'ana', 'import', 'exchange_rates', '', NULL, '{"inserted":1,"updated":0,"unchanged":0}', 'first load', 1),
  (3, 1767225660, 'ana', 'import', 'teams', '', NULL, '{"inserted":1,"updated":0,"unchanged":0}', 'first load', 1),
  (4, 1767225660, 'ana', 'import', 'people', '', NULL, '{"inserted":2,"updated":0,"unchanged":0}', 'first load', 1),
  (5, 1767225660, 'ana', 'import', 'accounts', '', NULL, '{"inserted":1,"updated":0,"unchanged":0}', 'first load', 1),
  (6, 1767225660, 'ana', 'import', 'stages', '', NULL, '{"inserted":2,"updated":0,"unchanged":0}', 'first load', 1),
  (7, 1767225660, 'ana', 'import', 'opportunities', '', NULL, '{"inserted":1,"updated":0,"unchanged":0}', 'first load', 1),
  (8, 1767225660, 'ana', 'import', 'transactions', '', NULL, '{"inserted":1,"updated":0,"unchanged":0}', 'first load', 1),
  (9, 1768435200, 'bo', 'insert', 'transactions', 'X2', NULL,
   '{"id":"X2","type":"cancellation","date":"2025-03-13","amount":"-5000.00","currency":"USD","margin":null,"quantity":null,"opportunity_id":null,"account_id":"A1","product_id":null,"owner_id":"P2","original_id":"X1"}',
   'refund', NULL);
COMMIT;
