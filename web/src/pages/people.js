// people.js - everyone the user may see (the API's scope): search by name or id, and open a
// person's pay and statements.
import { h, card, pageHeader, link } from '../ui/dom.js';
import { getAll, enc } from '../api.js';
import { day } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, navigate } from '../router.js';

async function peoplePage() {
  const people = await getAll('/people');
  return h('div',
    pageHeader('People', `${people.length} people. Open one to see their pay, statements and attainment.`),
    card(null, dataTable([
      { key: 'name', label: 'Name', render: (p) => link(`/people/${enc(p.id)}`, p.name) },
      { key: 'id', label: 'Id' },
      { key: 'title', label: 'Title', render: (p) => p.title || p.role },
      { key: 'team', label: 'Team', render: (p) => p.team || '–' },
      { key: 'manager', label: 'Manager', render: (p) => p.manager || '–' },
      { key: 'pay_currency', label: 'Pays in' },
      { key: 'country', label: 'Country', render: (p) => p.country || '–' },
      { key: 'hire_date', label: 'Hired', class: 'nowrap', render: (p) => day(p.hire_date) },
    ], people, { sort: 'name', placeholder: 'Filter by name, id, title, team, country…', onRowClick: (p) => navigate(`/people/${enc(p.id)}`) })));
}

route('/people', { title: 'People', roles: ['admin', 'sales_ops', 'finance', 'executive', 'manager'], render: peoplePage });
