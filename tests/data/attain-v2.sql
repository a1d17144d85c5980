-- attain-v2.sql - a database as schema version 2 of attain made it: `attain import --db FILE
-- --actor ana --reason "first load" tests/data/import/small` by the attain of commit c010aea,
-- then `sqlite3 FILE .dump`. The starting point of the version-3 migration test
-- (tests/unit/test_pay_store_migrate.c). attain-v2.db is made from this file and checked in
-- beside it:
--   rm -f tests/data/attain-v2.db && sqlite3 tests/data/attain-v2.db < tests/data/attain-v2.sql
-- Never edit this file to follow a later schema: that is what the migrations are for.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (
  version INTEGER PRIMARY KEY,
  applied_at INTEGER NOT NULL,
  description TEXT NOT NULL
) STRICT;
INSERT INTO schema_version VALUES(1,1795445157,'first schema');
INSERT INTO schema_version VALUES(2,1795445157,'import counts per entity in import_counts; audit indexes');
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
INSERT INTO audit VALUES(1,1795445157,'attain','init','','',NULL,'{"from":0,"to":2}',NULL,NULL);
INSERT INTO audit VALUES(2,1795445157,'ana','import','settings','',NULL,'{"inserted":3,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(3,1795445157,'ana','import','exchange_rates','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(4,1795445157,'ana','import','teams','',NULL,'{"inserted":3,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(5,1795445157,'ana','import','people','',NULL,'{"inserted":3,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(6,1795445157,'ana','import','reporting_lines','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(7,1795445157,'ana','import','territories','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(8,1795445157,'ana','import','accounts','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(9,1795445157,'ana','import','products','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(10,1795445157,'ana','import','stages','',NULL,'{"inserted":4,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(11,1795445157,'ana','import','opportunities','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(12,1795445157,'ana','import','activities','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(13,1795445157,'ana','import','transactions','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
INSERT INTO audit VALUES(14,1795445157,'ana','import','quotas','',NULL,'{"inserted":2,"updated":0,"unchanged":0}','first load',1);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  started INTEGER NOT NULL,
  finished INTEGER,
  actor TEXT NOT NULL,
  reason TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'committed', 'failed')),
  files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files))
) STRICT;
INSERT INTO imports VALUES(1,1795445157,1795445157,'ana','first load','committed','[{"name":"/work/main/tests/data/import/small/settings.csv","size":91,"sha256":null},{"name":"/work/main/tests/data/import/small/exchange_rates.csv","size":96,"sha256":null},{"name":"/work/main/tests/data/import/small/teams.csv","size":118,"sha256":null},{"name":"/work/main/tests/data/import/small/people.csv","size":322,"sha256":null},{"name":"/work/main/tests/data/import/small/reporting_lines.csv","size":81,"sha256":null},{"name":"/work/main/tests/data/import/small/territories.csv","size":154,"sha256":null},{"name":"/work/main/tests/data/import/small/accounts.csv","size":344,"sha256":null},{"name":"/work/main/tests/data/import/small/products.csv","size":136,"sha256":null},{"name":"/work/main/tests/data/import/small/stages.csv","size":130,"sha256":null},{"name":"/work/main/tests/data/import/small/opportunities.csv","size":349,"sha256":null},{"name":"/work/main/tests/data/import/small/activities.csv","size":249,"sha256":null},{"name":"/work/main/tests/data/import/small/transactions.csv","size":225,"sha256":null},{"name":"/work/main/tests/data/import/small/quotas.csv","size":127,"sha256":null}]');
CREATE TABLE IF NOT EXISTS "settings" (
  "id" INTEGER PRIMARY KEY,
  "key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "import_id" INTEGER,
  UNIQUE ("key")
) STRICT;
INSERT INTO settings VALUES(1,'company_name','Northwind Tools, Inc.',1);
INSERT INTO settings VALUES(2,'base_currency','USD',1);
INSERT INTO settings VALUES(3,'fiscal_year_start_month','2',1);
CREATE TABLE IF NOT EXISTS "exchange_rates" (
  "id" INTEGER PRIMARY KEY,
  "from_currency" TEXT NOT NULL,
  "to_currency" TEXT NOT NULL,
  "effective_date" INTEGER NOT NULL,
  "rate" INTEGER NOT NULL CHECK ("rate" >= 1),
  "import_id" INTEGER,
  UNIQUE ("from_currency", "to_currency", "effective_date")
) STRICT;
INSERT INTO exchange_rates VALUES(1,'EUR','USD',20454,1084200000,1);
INSERT INTO exchange_rates VALUES(2,'GBP','USD',20454,1270000000,1);
CREATE TABLE IF NOT EXISTS "teams" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "function" TEXT NOT NULL CHECK ("function" IN ('marketing', 'sdr', 'ae', 'csm', 'sales_management', 'sales_ops', 'finance', 'executive')),
  "parent_id" INTEGER REFERENCES "teams"("id"),
  "import_id" INTEGER
) STRICT;
INSERT INTO teams VALUES(1,'T-SALES','Sales','sales_management',NULL,1);
INSERT INTO teams VALUES(2,'T-SDR','Development','sdr',1,1);
INSERT INTO teams VALUES(3,'T-WEST','West sales','ae',1,1);
CREATE TABLE IF NOT EXISTS "people" (
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
INSERT INTO people VALUES(1,'P-1','Ana Lima','ana.lima@example.com','vp',1,'VP Sales',18267,NULL,'USD','US','Austin, TX',1);
INSERT INTO people VALUES(2,'P-2','Björn Åberg','bjorn@example.com','rep',3,'Account Executive',19417,NULL,'EUR','DE','Berlin',1);
INSERT INTO people VALUES(3,'P-3','Chidi Okafor',NULL,'sdr',2,'SDR',19919,20422,'USD','US',NULL,1);
CREATE TABLE IF NOT EXISTS "reporting_lines" (
  "id" INTEGER PRIMARY KEY,
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "manager_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("person_id", "start_date")
) STRICT;
INSERT INTO reporting_lines VALUES(1,2,1,-719162,NULL,1);
INSERT INTO reporting_lines VALUES(2,3,1,19919,20422,1);
CREATE TABLE IF NOT EXISTS "territories" (
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
INSERT INTO territories VALUES(1,'TER-US','United States',NULL,'region','US',250000000000,'USD',1);
INSERT INTO territories VALUES(2,'TER-US-W','US West',1,'territory','US-West',12500005000,'USD',1);
CREATE TABLE IF NOT EXISTS "territory_rules" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "field" TEXT NOT NULL CHECK ("field" IN ('country', 'region', 'state', 'industry', 'employees', 'revenue_band', 'account')),
  "operator" TEXT NOT NULL CHECK ("operator" IN ('eq', 'in', 'between', 'ge', 'le')),
  "value" TEXT NOT NULL,
  "priority" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("territory_id", "field", "operator", "value")
) STRICT;
CREATE TABLE IF NOT EXISTS "accounts" (
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
INSERT INTO accounts VALUES(1,'A-1','Acme','manufacturing',5400,'250m_1b',5100000002500,'US','West','CA','Los Angeles',34050000,-118250000,9000000000,'USD',NULL,2,1);
INSERT INTO accounts VALUES(2,'A-2','Acme West','manufacturing',120,'10m_50m',120000000000,'US','West','CA','San José',37335480,-121893028,NULL,'USD',1,2,1);
CREATE TABLE IF NOT EXISTS "territory_accounts" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "account_id" INTEGER NOT NULL REFERENCES "accounts"("id"),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("account_id", "start_date")
) STRICT;
CREATE TABLE IF NOT EXISTS "territory_people" (
  "id" INTEGER PRIMARY KEY,
  "territory_id" INTEGER NOT NULL REFERENCES "territories"("id"),
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "role" TEXT NOT NULL CHECK ("role" IN ('owner', 'overlay', 'manager')),
  "start_date" INTEGER NOT NULL,
  "end_date" INTEGER,
  "import_id" INTEGER,
  UNIQUE ("territory_id", "person_id", "start_date")
) STRICT;
CREATE TABLE IF NOT EXISTS "products" (
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
INSERT INTO products VALUES(1,'PR-1','Widget Pro','Widgets',12005000,'USD',3000000,1,1);
INSERT INTO products VALUES(2,'PR-2','Widget Basic','Widgets',999900,'USD',NULL,0,1);
CREATE TABLE IF NOT EXISTS "stages" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "position" INTEGER NOT NULL UNIQUE CHECK ("position" BETWEEN 1 AND 100),
  "probability" INTEGER CHECK ("probability" BETWEEN 0 AND 1000000000),
  "outcome" TEXT NOT NULL CHECK ("outcome" IN ('open', 'won', 'lost')),
  "import_id" INTEGER
) STRICT;
INSERT INTO stages VALUES(1,'S1','Qualify',1,100000000,'open',1);
INSERT INTO stages VALUES(2,'S2','Propose',2,500000000,'open',1);
INSERT INTO stages VALUES(3,'WON','Closed Won',3,1000000000,'won',1);
INSERT INTO stages VALUES(4,'LOST','Closed Lost',4,0,'lost',1);
CREATE TABLE IF NOT EXISTS "leads" (
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
CREATE TABLE IF NOT EXISTS "handoffs" (
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
CREATE TABLE IF NOT EXISTS "opportunities" (
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
INSERT INTO opportunities VALUES(1,'O-1','Acme expansion',1,2,NULL,20332,20484,20473,3,'won',240100000,'USD','closed',240000000,'Price, then fit',1);
INSERT INTO opportunities VALUES(2,'O-2','Acme "West" pilot',2,2,NULL,20423,20543,NULL,2,'open',19999000,'USD','commit',NULL,NULL,1);
CREATE TABLE IF NOT EXISTS "opportunity_products" (
  "id" INTEGER PRIMARY KEY,
  "opportunity_id" INTEGER NOT NULL REFERENCES "opportunities"("id"),
  "product_id" INTEGER NOT NULL REFERENCES "products"("id"),
  "quantity" INTEGER NOT NULL CHECK ("quantity" >= 1),
  "unit_price" INTEGER CHECK ("unit_price" >= 0),
  "discount" INTEGER CHECK ("discount" BETWEEN 0 AND 1000000000),
  "import_id" INTEGER,
  UNIQUE ("opportunity_id", "product_id")
) STRICT;
CREATE TABLE IF NOT EXISTS "stage_history" (
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
CREATE TABLE IF NOT EXISTS "activities" (
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
INSERT INTO activities VALUES(1,'AC-1','call',1767645000,2,NULL,1,1,25,1,'vp','Agreed next steps',1);
INSERT INTO activities VALUES(2,'AC-2','email',1767690000,3,NULL,NULL,2,NULL,0,'unknown',NULL,1);
CREATE TABLE IF NOT EXISTS "scorecard_templates" (
  "id" INTEGER PRIMARY KEY,
  "ext_id" TEXT NOT NULL UNIQUE,
  "name" TEXT NOT NULL,
  "applies_to" TEXT NOT NULL CHECK ("applies_to" IN ('lead', 'opportunity')),
  "active" INTEGER CHECK ("active" IN (0, 1)),
  "import_id" INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS "scorecard_points" (
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
CREATE TABLE IF NOT EXISTS "scorecard_responses" (
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
CREATE TABLE IF NOT EXISTS "transactions" (
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
INSERT INTO transactions VALUES(1,'X-1','booking',20473,240100000,'USD',180007500,20,1,1,1,2,NULL,1);
INSERT INTO transactions VALUES(2,'X-2','cancellation',20494,-100000,'USD',NULL,NULL,1,1,1,2,1,1);
CREATE TABLE IF NOT EXISTS "transaction_people" (
  "id" INTEGER PRIMARY KEY,
  "transaction_id" INTEGER NOT NULL REFERENCES "transactions"("id"),
  "person_id" INTEGER NOT NULL REFERENCES "people"("id"),
  "role" TEXT NOT NULL CHECK ("role" IN ('split', 'overlay', 'sdr', 'manager')),
  "share" INTEGER NOT NULL CHECK ("share" BETWEEN 0 AND 1000000000),
  "import_id" INTEGER,
  UNIQUE ("transaction_id", "person_id", "role")
) STRICT;
CREATE TABLE IF NOT EXISTS "quotas" (
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
INSERT INTO quotas VALUES(1,'Q-1',2,NULL,'bookings','2026-Q1',2500000000,'USD',1);
INSERT INTO quotas VALUES(2,'Q-2',NULL,2,'new_logos','2026',120000,NULL,1);
CREATE TABLE IF NOT EXISTS "plan_assignments" (
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
CREATE TABLE IF NOT EXISTS "employment_events" (
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
CREATE TABLE IF NOT EXISTS "survey_responses" (
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
CREATE TABLE import_counts (
  import_id INTEGER NOT NULL REFERENCES imports(id),
  entity TEXT NOT NULL,
  inserted INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (import_id, entity)
) STRICT;
INSERT INTO import_counts VALUES(1,'settings',3,0,0);
INSERT INTO import_counts VALUES(1,'exchange_rates',2,0,0);
INSERT INTO import_counts VALUES(1,'teams',3,0,0);
INSERT INTO import_counts VALUES(1,'people',3,0,0);
INSERT INTO import_counts VALUES(1,'reporting_lines',2,0,0);
INSERT INTO import_counts VALUES(1,'territories',2,0,0);
INSERT INTO import_counts VALUES(1,'accounts',2,0,0);
INSERT INTO import_counts VALUES(1,'products',2,0,0);
INSERT INTO import_counts VALUES(1,'stages',4,0,0);
INSERT INTO import_counts VALUES(1,'opportunities',2,0,0);
INSERT INTO import_counts VALUES(1,'activities',2,0,0);
INSERT INTO import_counts VALUES(1,'transactions',2,0,0);
INSERT INTO import_counts VALUES(1,'quotas',2,0,0);
CREATE INDEX "teams_by_parent_id" ON "teams" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "people_by_team_id" ON "people" ("team_id") WHERE "team_id" IS NOT NULL;
CREATE INDEX "reporting_lines_by_manager_id" ON "reporting_lines" ("manager_id");
CREATE INDEX "territories_by_parent_id" ON "territories" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "accounts_by_parent_id" ON "accounts" ("parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "accounts_by_owner_id" ON "accounts" ("owner_id") WHERE "owner_id" IS NOT NULL;
CREATE INDEX "territory_accounts_by_territory_id" ON "territory_accounts" ("territory_id");
CREATE INDEX "territory_people_by_person_id" ON "territory_people" ("person_id");
CREATE INDEX "leads_by_owner_id" ON "leads" ("owner_id") WHERE "owner_id" IS NOT NULL;
CREATE INDEX "leads_by_account_id" ON "leads" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "handoffs_by_lead_id" ON "handoffs" ("lead_id");
CREATE INDEX "handoffs_by_from_person_id" ON "handoffs" ("from_person_id") WHERE "from_person_id" IS NOT NULL;
CREATE INDEX "handoffs_by_to_person_id" ON "handoffs" ("to_person_id");
CREATE INDEX "opportunities_by_account_id" ON "opportunities" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "opportunities_by_owner_id" ON "opportunities" ("owner_id");
CREATE INDEX "opportunities_by_lead_id" ON "opportunities" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "opportunities_by_closed_on" ON "opportunities" ("closed_on") WHERE "closed_on" IS NOT NULL;
CREATE INDEX "opportunities_by_stage_id" ON "opportunities" ("stage_id");
CREATE INDEX "opportunity_products_by_product_id" ON "opportunity_products" ("product_id");
CREATE INDEX "stage_history_by_opportunity_id" ON "stage_history" ("opportunity_id");
CREATE INDEX "stage_history_by_changed_at" ON "stage_history" ("changed_at");
CREATE INDEX "stage_history_by_from_stage_id" ON "stage_history" ("from_stage_id") WHERE "from_stage_id" IS NOT NULL;
CREATE INDEX "stage_history_by_to_stage_id" ON "stage_history" ("to_stage_id");
CREATE INDEX "stage_history_by_changed_by" ON "stage_history" ("changed_by") WHERE "changed_by" IS NOT NULL;
CREATE INDEX "activities_by_occurred_at" ON "activities" ("occurred_at");
CREATE INDEX "activities_by_person_id" ON "activities" ("person_id");
CREATE INDEX "activities_by_lead_id" ON "activities" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "activities_by_opportunity_id" ON "activities" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "activities_by_account_id" ON "activities" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "scorecard_points_by_template_id" ON "scorecard_points" ("template_id");
CREATE INDEX "scorecard_points_by_stage_id" ON "scorecard_points" ("stage_id") WHERE "stage_id" IS NOT NULL;
CREATE INDEX "scorecard_responses_by_point_id" ON "scorecard_responses" ("point_id");
CREATE INDEX "scorecard_responses_by_lead_id" ON "scorecard_responses" ("lead_id") WHERE "lead_id" IS NOT NULL;
CREATE INDEX "scorecard_responses_by_opportunity_id" ON "scorecard_responses" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "scorecard_responses_by_answered_by" ON "scorecard_responses" ("answered_by") WHERE "answered_by" IS NOT NULL;
CREATE INDEX "transactions_by_date" ON "transactions" ("date");
CREATE INDEX "transactions_by_opportunity_id" ON "transactions" ("opportunity_id") WHERE "opportunity_id" IS NOT NULL;
CREATE INDEX "transactions_by_account_id" ON "transactions" ("account_id") WHERE "account_id" IS NOT NULL;
CREATE INDEX "transactions_by_product_id" ON "transactions" ("product_id") WHERE "product_id" IS NOT NULL;
CREATE INDEX "transactions_by_owner_id" ON "transactions" ("owner_id");
CREATE INDEX "transactions_by_original_id" ON "transactions" ("original_id") WHERE "original_id" IS NOT NULL;
CREATE INDEX "transaction_people_by_person_id" ON "transaction_people" ("person_id");
CREATE INDEX "quotas_by_person_id" ON "quotas" ("person_id") WHERE "person_id" IS NOT NULL;
CREATE INDEX "quotas_by_territory_id" ON "quotas" ("territory_id") WHERE "territory_id" IS NOT NULL;
CREATE INDEX "plan_assignments_by_person_id" ON "plan_assignments" ("person_id");
CREATE INDEX "employment_events_by_person_id" ON "employment_events" ("person_id");
CREATE INDEX "employment_events_by_from_team_id" ON "employment_events" ("from_team_id") WHERE "from_team_id" IS NOT NULL;
CREATE INDEX "employment_events_by_to_team_id" ON "employment_events" ("to_team_id") WHERE "to_team_id" IS NOT NULL;
CREATE INDEX "survey_responses_by_person_id" ON "survey_responses" ("person_id");
CREATE INDEX audit_by_entity_key ON audit (entity, row_key);
CREATE INDEX audit_by_at ON audit (at);
CREATE INDEX audit_by_actor ON audit (actor);
CREATE INDEX audit_by_import ON audit (import_id);
COMMIT;
