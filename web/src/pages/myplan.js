// myplan.js - the payee's plan as their statement states it: plan, version, dates, target
// incentive, the components with how each was calculated this month, and the measures with
// their quotas. Roles that may read plan documents get a link to the document itself.
import { h, card, pageHeader, link, kpi } from '../ui/dom.js';
import { get, enc } from '../api.js';
import { money, day, measureValue, periodName } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route } from '../router.js';
import { session, latestMonth } from '../session.js';
import { attainmentBar, noRunYet } from './common.js';
import { acceptanceCard } from './acceptance.js';

async function myPlanPage() {
  const month = await latestMonth();
  if (!month) return noRunYet(null);
  const st = await get(`/statements/${enc(session.user.person)}/${month}`);
  const readsPlans = session.user.role !== 'rep';
  return h('div',
    pageHeader('My plan', `${st.payee.name} · as of ${periodName(st.period)}`),
    st.plans.map((p) => h('div',
      h('div.kpis',
        kpi('Plan', `${p.name}`, `version ${p.version}`),
        kpi('Assigned', `${day(p.start)} – ${day(p.end)}`, `assignment ${p.assignment}`),
        kpi('Target incentive', money(p.target_incentive, p.target_currency, { digits: 0 }), `paid ${p.frequency}, rounded ${p.rounding}`)),
      readsPlans ? h('p', link(`/plans/${enc(p.name)}/${p.version}`, 'Read the plan document →')) : null)),
    await acceptanceCard(session.user.person, st.period.fiscal_year).catch((e) => h('p.muted.small', `Acceptance: ${e.message}`)),
    card('Components and how they paid this month', h('div.components', st.lines.filter((l) => l.kind === 'component').map((l) => h('div.component',
      h('div.component-head', h('strong', l.name), h('span.muted', l.plan)),
      h('p.explain', l.explain))))),
    card('Measures and quotas', dataTable([
      { key: 'name', label: 'Measure' },
      { key: 'window_label', label: 'Window' },
      { key: 'basis', label: 'Counts', render: (m) => `${m.basis} ${m.sum}` },
      { key: 'quota', label: 'Quota', align: 'right', render: (m) => (m.quota === null ? '–' : measureValue(m.quota, m.unit)) },
      { key: 'attainment', label: 'Attainment', render: (m) => attainmentBar(m.attainment), width: '200px' },
    ], st.measures, { filter: false })));
}

route('/my/plan', { title: 'My plan', roles: ['rep', 'manager'], render: myPlanPage });
