// flows.mjs - the pages in a real browser (Debian's chromium driven by playwright-core): logs in
// as each role and walks its main flows, asserting what a person sees, with a screenshot of
// every page under OUT/shots. Run by tests/e2e/web_browser.sh, which builds the company, the
// users and the server and passes them in the environment:
//   URL (the server), OUT (scratch directory), ATTAIN (the binary), DB, MONTH (the latest
//   calculated fiscal month), REP and MGR (the rep's and manager's person ids), REP_NAME,
//   PASSWORD; logins: rep, mgr, ops, fin, admin, exec.
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const env = process.env;
const URL = env.URL.replace(/\/$/, '');
const shots = join(env.OUT, 'shots');
mkdirSync(shots, { recursive: true });
let passed = 0;
let failed = 0;
let shotNo = 0;

function check(ok, what) {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAIL: ${what}`); }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  // playwright starts chromium with a fresh --user-data-dir of its own (a new temporary
  // directory, removed at the end); each role gets a new context (no cookies, no storage)
});

async function session(role) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => check(false, `${role}: no script error (${e.message})`));
  return { context, page };
}

async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(250); // charts draw on the next frame
  const file = join(shots, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

async function login(page, who) {
  await page.goto(URL + '/');
  await page.waitForSelector('#login');
  await page.fill('#login', who);
  await page.fill('#password', env.PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector('.topbar');
}

const text = (page, sel) => page.locator(sel).first().innerText();
const loaded = (page) => page.waitForSelector('.page > :not(.loading)');

// --- log-in ------------------------------------------------------------------------------
{
  const { context, page } = await session('login');
  await page.goto(URL + '/my');
  await page.waitForSelector('#login');
  check(page.url().endsWith('/login?next=%2Fmy'), 'a page without a session goes to the log-in page');
  await page.fill('#login', 'rep');
  await page.fill('#password', 'not the password');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.form-error:not([hidden])');
  check((await text(page, '.form-error')) === 'Wrong login or password.', 'a wrong password says so');
  await shot(page, 'login');
  await context.close();
}

// --- rep ---------------------------------------------------------------------------------
{
  const { context, page } = await session('rep');
  await login(page, 'rep');
  await loaded(page);
  check(page.url().endsWith('/my'), 'a rep starts on their pay');
  check((await text(page, '.user-name')) === env.REP_NAME, 'the frame names the rep');
  check((await text(page, '.user-role')).startsWith('Sales rep'), 'the frame shows the role');
  check(await page.locator('.chart canvas').count() >= 2, 'the rep sees the attainment and earnings charts');
  const kpis = await page.locator('.kpis').innerText();
  check(/Attainment/.test(kpis) && /%/.test(kpis), 'attainment to date is shown as a percentage');
  const symbol = new Intl.NumberFormat('en-US', { style: 'currency', currency: env.REP_CURRENCY }).format(1).replace(/[\d.,\s]/g, '');
  check(kpis.includes(symbol), `pay is in the rep's currency (${env.REP_CURRENCY}, ${symbol})`);
  check(/a month over the|Quota reached|short/.test(await text(page, '.pace')), 'the pace needed is said in words');
  check((await page.locator('.month-label').getAttribute('data-month')) === env.MONTH, 'the pay page opens on the latest month with results');
  await shot(page, 'rep-pay');

  await page.click('a.nav-link[href="/statement"]');
  await page.waitForSelector('table.lines');
  await shot(page, 'rep-statement');
  await page.click('table.lines tbody tr:first-child');
  await page.waitForSelector('#drill table.data tbody tr');
  const drill = await page.locator('#drill').innerText();
  check(/credits and the deals behind them/i.test(drill), 'a statement line drills down to its credits');
  check(/TX\d+/.test(drill), 'the credits name their deals (transactions)');
  check(page.url().includes('line='), 'the drill-down has its own address');
  await shot(page, 'rep-statement-drill');
  await page.fill('#dispute-comment', 'The Acme deal of 20 January is missing');
  await page.click('.dispute-form button[type=submit]');
  await page.waitForSelector('.dispute-panel .alert-success');
  check(/is raised/.test(await text(page, '.dispute-panel .alert-success')), 'the rep raises a dispute on a statement line');

  await page.goto(URL + '/estimate');
  await page.waitForSelector('#amount');
  await page.fill('#amount', '50000');
  await page.fill('#product', 'PLT-ENT');
  await page.fill('#date', env.MONTH_LAST_DAY);
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=estimate-result]');
  const est = await page.locator('[data-testid=estimate-result]').innerText();
  check(new RegExp(`would pay [\\d,.]+ ${env.REP_CURRENCY} more`).test(est), 'the estimator says what the deal pays');
  await shot(page, 'rep-estimate');

  await page.goto(URL + '/my/plan');
  await page.waitForSelector('.components');
  check(/Target incentive/.test(await page.locator('.kpis').innerText()), 'the plan page shows the target incentive');
  await page.click('#accept');
  await page.waitForSelector('.badge-good:has-text("accepted")');
  check(true, 'the rep accepts their plan and quotas');
  await page.selectOption('#cr-kind', 'quota');
  await page.fill('#cr-text', 'My quota grew 40% but my territory did not');
  await page.click('#cr-text >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('.dispute-list li:has-text("My quota grew 40%")');
  check(/open/.test(await text(page, '.dispute-list li:has-text("My quota grew 40%")')), 'the rep asks for a quota change');
  await shot(page, 'rep-plan');

  await page.goto(URL + '/payouts');
  await page.waitForSelector('.empty-state');
  check(/Not for your role/.test(await text(page, '.empty-state')), 'a rep cannot open finance pages');
  await page.goto(`${URL}/statement/${env.MGR}/${env.MONTH}`);
  await page.waitForSelector('.alert-error');
  check(/Not yours to see/.test(await text(page, '.alert-error')), 'a rep cannot see another person\'s statement');

  await page.click('.topbar button');
  await page.waitForSelector('#login');
  const after = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
  check(after === 401, 'log-out ends the session');
  await context.close();
}

// --- manager -----------------------------------------------------------------------------
{
  const { context, page } = await session('mgr');
  await login(page, 'mgr');
  await loaded(page);
  check(page.url().endsWith('/team'), 'a manager starts on their team');
  const rows = await page.locator('.page table.data tbody tr').count();
  check(rows >= 3, `the team table lists the team (${rows} people)`);
  check((await page.locator('.page table.data').innerText()).includes(env.REP_NAME), 'the rep is in the manager\'s team');
  await shot(page, 'manager-team');
  await page.click(`.page table.data a[href^="/people/${env.REP}"]`);
  await page.waitForSelector('.kpis');
  check((await text(page, '.page-header h1')) === env.REP_NAME, 'the manager drills into the rep');
  await shot(page, 'manager-rep');
  await page.click('a:has-text("Open the statement")');
  await page.waitForSelector('table.lines');
  check((await text(page, '.page-header h1')).includes(env.REP_NAME), 'the manager opens the rep\'s statement');
  await page.goto(URL + '/team');
  await page.waitForSelector('.alert-info');
  check(/1 quota or territory request waits/.test(await text(page, '.alert-info')), 'the team page says a request waits for the manager');
  await page.click('.alert-info a');
  await page.waitForSelector('.page table.data button:has-text("Approve")');
  await shot(page, 'manager-requests');
  const row = page.locator('.page table.data tbody tr:has-text("My quota grew 40%")');
  await row.locator('input').fill('Agreed: the territory stays as it was');
  await row.locator('button:has-text("Approve")').click();
  await page.waitForSelector('.alert-success');
  check(/approved: sales ops applies the change/.test(await text(page, '.alert-success')), 'the manager approves the rep\'s quota request');
  const granted = await page.evaluate(async () => (await (await fetch('/api/v1/change-requests?status=granted')).json()).items.map((r) => [r.text, r.resolved_by]));
  check(granted.some(([t, by]) => t.startsWith('My quota grew 40%') && by === 'api:mgr'), 'the request is granted by the manager');
  await context.close();
}

// --- sales ops ---------------------------------------------------------------------------
{
  const { context, page } = await session('ops');
  await login(page, 'ops');
  await loaded(page);
  check(page.url().endsWith('/runs'), 'sales ops starts on the runs');
  await page.fill('#period', env.MONTH);
  await page.fill('#reason', 'browser test');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.progress');
  await page.waitForSelector('[data-testid=job-report]', { timeout: 300000 });
  check(/is done/.test(await text(page, '.progress-text')), 'a run started in the browser finishes and says so');
  await shot(page, 'ops-run');
  // the same period again: the phase the run says it is in, and the time it should take by
  // the run just made
  await page.fill('#reason', 'browser test, again');
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=run-phases] .phase.now');
  const going = await text(page, '.progress-text');
  check(/Calculating .*: (load|credit|calculate|save) · \d+ s of about /.test(going) && !/estimated/.test(going), `a running calculation shows its phase (${going})`);
  check(await page.locator('[data-testid=run-phases] .phase').count() === 4, 'the four phases are listed: load, credit, calculate, save');
  await shot(page, 'ops-run-progress');
  await page.waitForSelector('[data-testid=job-report]', { timeout: 300000 });
  await page.click('[data-testid=job-report] a:has-text("Open the run")');
  await page.waitForSelector('.page .kpis');
  check(/Run #\d+/.test(await text(page, '.page-header h1')), 'a run opens with its counts and timings');
  await shot(page, 'ops-run-detail');
  await page.goto(URL + '/people');
  await page.waitForSelector('.page table.data');
  check(await page.locator('.page table.data tbody tr').count() > 10, 'sales ops lists the people');
  await shot(page, 'ops-people');

  await page.goto(URL + '/plans');
  await page.waitForSelector('.page table.data');
  // a plan document with a mistake: its problems as attain plan check prints them
  const badPlan = join(env.OUT, 'bad', 'AE 2026 bad.yaml');
  writeFileSync(badPlan, readFileSync(join(env.OUT, 'AE 2026 v2.yaml'), 'utf8').replace(/^    rate: 4%$/m, '    rate: four percent'));
  await page.setInputFiles('#plan-file', badPlan);
  await page.fill('#plan-reason', 'browser test');
  await page.click('#plan-file >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('[data-testid=plan-problems]');
  const planShown = (await text(page, '[data-testid=plan-problems]')).trim();
  const planCli = spawnSync(env.ATTAIN, ['plan', 'check', badPlan], { encoding: 'utf8', cwd: join(env.OUT, 'bad') });
  check(planCli.status !== 0 && /AE 2026 bad\.yaml:\d+:\d+: /.test(planShown) && (planCli.stdout + planCli.stderr).includes(planShown), 'plan problems are shown as attain plan check prints them (file:line:column)');
  await shot(page, 'ops-plan-errors');
  const goodPlan = join(env.OUT, 'AE 2026 v3.yaml');
  writeFileSync(goodPlan, readFileSync(join(env.OUT, 'AE 2026 v2.yaml'), 'utf8').replace(/^    rate: 4%$/m, '    rate: 5%'));
  await page.setInputFiles('#plan-file', goodPlan);
  await page.fill('#plan-reason', 'services commission 4% to 5%');
  await page.click('#plan-file >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('.plan-out .alert-success');
  check(/checked and submitted as plan change #\d+/.test(await text(page, '.plan-out .alert-success')), 'a plan document uploaded is checked and submitted');
  await page.waitForSelector('#plan-changes tbody tr:has-text("services commission 4% to 5%")');
  check(/pending/.test(await text(page, '#plan-changes tbody tr:has-text("services commission 4% to 5%")')), 'the new version is listed, waiting for approval');
  await shot(page, 'ops-plans');
  await page.click('#plan-list table.data tbody tr:first-child');
  await page.waitForSelector('[data-testid=plan-source]');
  check(/^plan: /m.test(await text(page, '[data-testid=plan-source]')), 'a plan version shows its document');
  await shot(page, 'ops-plan');
  const diff = page.locator('a:has-text("Compare versions")');
  if (await diff.count()) {
    await diff.click();
    await page.waitForSelector('pre.diff');
    check(await page.locator('.diff-line.add, .diff-line.del').count() > 0, 'the diff of two versions marks what changed');
    await shot(page, 'ops-plan-diff');
  }

  await page.goto(URL + '/disputes');
  await page.waitForSelector('.page table.data');
  check((await page.locator('.page table.data').innerText()).includes('The Acme deal of 20 January is missing'), 'ops sees the rep\'s dispute in the queue');
  await shot(page, 'ops-disputes');
  await page.click('.page table.data tbody tr:first-child');
  await page.waitForSelector('#resolution');
  await page.fill('#reply', 'Acme closed on 20 January: we credit it now');
  await page.click('form.dispute-form button[type=submit]');
  await page.waitForSelector('.msg.ops');
  await page.fill('#resolution', 'Acme is credited: paid as an adjustment');
  await page.fill('#adj-amount', '250.00');
  await page.click('#resolution >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('.alert-success');
  const resolved = await text(page, '.alert-success');
  check(/Resolved/.test(resolved) && /Adjustment #\d+/.test(resolved), 'ops resolves the dispute with an adjustment');
  await shot(page, 'ops-dispute');

  await page.goto(URL + '/imports');
  await page.waitForSelector('#files');
  const bad = readFileSync(join(env.OUT, 'bad', 'people.csv'));
  await page.setInputFiles('#files', { name: 'people.csv', mimeType: 'text/csv', buffer: bad });
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=import-errors]');
  const shown = await text(page, 'pre.cli-errors');
  const cli = spawnSync(env.ATTAIN, ['import', '--db', env.DB, join(env.OUT, 'bad')], { encoding: 'utf8' });
  check(cli.status !== 0 && shown.trim().length > 0 && cli.stderr.includes(shown.trim()), 'import errors are shown exactly as attain import prints them');
  await shot(page, 'ops-import-errors');
  await context.close();
}

// --- finance -----------------------------------------------------------------------------
{
  const { context, page } = await session('fin');
  await login(page, 'fin');
  await loaded(page);
  check(page.url().endsWith('/payouts'), 'finance starts on the payouts');
  await shot(page, 'finance-payouts');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-payroll')]);
  const got = readFileSync(await download.path(), 'utf8');
  const want = execFileSync(env.ATTAIN, ['payroll', '--db', env.DB, '--period', env.MONTH], { encoding: 'utf8' });
  check(download.suggestedFilename() === `payroll-${env.MONTH}.csv`, 'the payroll download is named for its month');
  check(download.url() === `${URL}/api/v1/payroll/${env.MONTH}?format=csv`, 'the payroll CSV is the server\'s file (GET /api/v1/payroll/:month?format=csv)');
  check(got === want, 'the payroll CSV downloaded is what attain payroll writes');
  writeFileSync(join(env.OUT, 'payroll-browser.csv'), got);

  await page.goto(URL + '/approvals');
  await page.waitForSelector('.page table.data');
  const waiting = await page.locator('.page table.data').innerText();
  check(/250\.00/.test(waiting), 'finance sees the dispute\'s adjustment waiting for approval');
  await shot(page, 'finance-approvals');
  await page.click('.page table.data tbody tr:has-text("250.00") button:has-text("Approve")');
  await page.waitForSelector('.page table.data tr.empty, .page table.data tbody tr:not(:has-text("250.00"))');
  check(!(await page.locator('.page table.data').innerText()).includes('250.00 '), 'finance approves the adjustment');

  await page.goto(URL + '/adjustments');
  await page.waitForSelector('.page table.data');
  check(/approved/.test(await page.locator('.page table.data').innerText()), 'the adjustments list shows the approved one');
  await shot(page, 'finance-adjustments');

  await page.goto(URL + '/accruals');
  await page.waitForSelector('.page table.data');
  await shot(page, 'finance-accruals');
  await page.goto(URL + '/cost');
  await page.waitForSelector('.page table.data');
  check(await page.locator('.chart canvas').count() === 1, 'cost of sales per component has its chart');
  await shot(page, 'finance-cost');

  await page.goto(URL + '/periods');
  await page.waitForSelector('#close-month');
  await page.selectOption('#close-month', env.MONTH);
  await page.fill('#close-reason', 'paid (browser test)');
  page.once('dialog', (d) => d.accept());
  await page.click('form button[type=submit]');
  await page.waitForSelector('.alert-success');
  check((await text(page, '.alert-success')).includes(`Fiscal ${env.MONTH} is closed`), 'finance closes a month');
  await page.waitForURL(/\/periods$/);
  await page.waitForSelector('.page table.data');
  await page.waitForTimeout(500);
  await shot(page, 'finance-periods');

  await page.goto(URL + '/audit?action=api');
  await page.waitForSelector('.page table.data');
  const audit = await page.locator('.page table.data').innerText();
  check(audit.includes(`POST /api/v1/periods/${env.MONTH}/close`) && audit.includes('paid (browser test)'), 'the audit log shows the close, who and why');
  await shot(page, 'finance-audit');
  await context.close();
}

// --- admin: users --------------------------------------------------------------------------
{
  const { context, page } = await session('admin');
  await login(page, 'admin');
  await page.goto(URL + '/users');
  await page.waitForSelector('.page table.data');
  check((await page.locator('.page table.data').innerText()).includes('exec'), 'the admin sees the users');
  await page.fill('#pw-exec', 'a new exec password');
  await page.click('#pw-exec >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('#users-out .alert-success');
  check(/exec has a new password/.test(await text(page, '#users-out .alert-success')), 'the admin sets a user\'s password');
  const exec = await session('exec');
  await exec.page.goto(URL + '/');
  await exec.page.waitForSelector('#login');
  await exec.page.fill('#login', 'exec');
  await exec.page.fill('#password', 'a new exec password');
  await exec.page.click('form button[type=submit]');
  await exec.page.waitForSelector('.topbar');
  check(true, 'the user logs in with the password the admin set');
  page.once('dialog', (d) => d.accept());
  await page.click('#disable-exec');
  await page.waitForSelector('#enable-exec');
  check(/disabled/.test(await text(page, '.page table.data tbody tr:has-text("exec")')), 'the admin disables a user');
  await shot(page, 'admin-users');
  const [still, again] = await exec.page.evaluate(async () => {
    const a = await fetch('/api/v1/session');
    const b = await fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'exec', password: 'a new exec password' }) });
    return [a.status, b.status];
  });
  check(still === 401, 'a disabled user\'s session stops working at once');
  check(again === 401, 'a disabled user cannot log in');
  await exec.context.close();
  await page.click('#enable-exec');
  await page.waitForSelector('#disable-exec');
  check(/active/.test(await text(page, '.page table.data tbody tr:has-text("exec")')), 'the admin enables the user again');

  await page.click('a.user-text');
  await page.waitForSelector('#old-password');
  await page.fill('#old-password', env.PASSWORD);
  await page.fill('#new-password', 'the admin\'s new password');
  await page.fill('#new-password-again', 'the admin\'s new password');
  await page.click('#old-password >> xpath=ancestor::form//button[@type="submit"]');
  await page.waitForSelector('#account-out .alert-success');
  check(/Your password is changed/.test(await text(page, '#account-out .alert-success')), 'a user changes their own password with the old one');
  await shot(page, 'account');
  await page.goto(URL + '/audit?entity=users');
  await page.waitForSelector('.page table.data');
  const ua = await page.locator('.page table.data').innerText();
  check(/exec/.test(ua) && /disabled/.test(ua), 'the audit log shows the changes to users');
  await context.close();
}

// --- executive: reads, changes nothing ------------------------------------------------------
{
  const { context, page } = await session('exec');
  await page.goto(URL + '/');
  await page.waitForSelector('#login');
  await page.fill('#login', 'exec');
  await page.fill('#password', 'a new exec password');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.topbar');
  await loaded(page);
  check(page.url().endsWith('/payouts'), 'an executive starts on the payouts');
  await shot(page, 'executive-payouts');
  const refused = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/session')).json();
    const r = await fetch('/api/v1/runs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf }, body: '{"period":"2026-12"}' });
    return r.status;
  });
  check(refused === 403, 'an executive cannot start a run');
  await context.close();
}

// --- the rep again: the dispute's outcome ---------------------------------------------------
{
  const { context, page } = await session('rep');
  await login(page, 'rep');
  await page.goto(URL + '/disputes');
  await page.waitForSelector('.page table.data');
  const mine = await page.locator('.page table.data').innerText();
  check(/resolved/.test(mine) && /adjusted/.test(mine), 'the rep is shown the dispute\'s outcome');
  await page.click('.page table.data tbody tr:first-child');
  await page.waitForSelector('.alert-success');
  check(/approved/.test(await text(page, '.alert-success')), 'the rep sees the adjustment approved');
  await shot(page, 'rep-dispute');
  await context.close();
}

await browser.close();
console.log(`screenshots: ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
