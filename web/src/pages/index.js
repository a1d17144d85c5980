// index.js - every page and the navigation that leads to them. A new feature adds its group
// (addGroup) and sections (addSection) here and its pages in their own files.
import { addGroup, addSection } from '../sections.js';
import './pay.js';
import './statement.js';
import './estimate.js';
import './myplan.js';
import './team.js';
import './people.js';
import './plans.js';
import './runs.js';
import './imports.js';
import './finance.js';
import './audit.js';
import './disputes.js';
import './approvals.js';
import './acceptance.js';
import './users.js';

addGroup('pay', 'My pay', 10);
addGroup('team', 'People', 20);
addGroup('ops', 'Operations', 30);
addGroup('finance', 'Finance', 40);
addGroup('admin', 'Control', 90);

addSection({ group: 'pay', label: 'Overview', path: '/my', roles: ['rep', 'manager'], order: 1 });
addSection({ group: 'pay', label: 'Statement', path: '/statement', roles: ['rep', 'manager'], order: 2 });
addSection({ group: 'pay', label: 'Estimator', path: '/estimate', roles: ['rep', 'manager'], order: 3 });
addSection({ group: 'pay', label: 'My plan', path: '/my/plan', roles: ['rep', 'manager'], order: 4 });
addSection({ group: 'pay', label: 'Disputes', path: '/disputes', roles: ['rep', 'manager'], order: 5 });
addSection({ group: 'pay', label: 'Adjustments', path: '/adjustments', roles: ['rep', 'manager'], order: 6 });

addSection({ group: 'team', label: 'My team', path: '/team', match: '/people', roles: ['manager'], order: 1 });
addSection({ group: 'team', label: 'People', path: '/people', roles: ['admin', 'sales_ops', 'finance', 'executive'], order: 2 });
addSection({ group: 'team', label: 'Estimator', path: '/estimate', roles: ['admin', 'sales_ops', 'finance', 'executive'], order: 5 });

addSection({ group: 'ops', label: 'Calculation runs', path: '/runs', roles: ['admin', 'sales_ops', 'finance', 'executive'], order: 1 });
addSection({ group: 'ops', label: 'Plans', path: '/plans', roles: ['admin', 'sales_ops', 'finance', 'manager', 'executive'], order: 2 });
addSection({ group: 'ops', label: 'Imports', path: '/imports', roles: ['admin', 'sales_ops', 'finance'], order: 3 });
addSection({ group: 'ops', label: 'Disputes queue', path: '/disputes', roles: ['admin', 'sales_ops', 'finance', 'executive'], order: 4 });
addSection({ group: 'ops', label: 'Plan acceptance', path: '/distribution', roles: ['admin', 'sales_ops', 'finance', 'executive'], order: 5 });
addSection({ group: 'team', label: 'Plan acceptance', path: '/distribution', roles: ['manager'], order: 3 });

addSection({ group: 'finance', label: 'Payouts', path: '/payouts', roles: ['admin', 'finance', 'executive'], order: 1 });
addSection({ group: 'finance', label: 'Accruals', path: '/accruals', roles: ['admin', 'finance', 'executive'], order: 2 });
addSection({ group: 'finance', label: 'Cost of sales', path: '/cost', roles: ['admin', 'finance', 'executive'], order: 3 });
addSection({ group: 'finance', label: 'Approvals', path: '/approvals', roles: ['admin', 'finance', 'sales_ops', 'executive'], order: 0 });
addSection({ group: 'finance', label: 'Adjustments', path: '/adjustments', roles: ['admin', 'finance', 'sales_ops', 'executive'], order: 5 });
addSection({ group: 'finance', label: 'Period close', path: '/periods', roles: ['admin', 'finance', 'sales_ops', 'executive'], order: 4 });

addSection({ group: 'admin', label: 'Audit log', path: '/audit', roles: ['admin', 'sales_ops', 'finance'], order: 1 });
addSection({ group: 'admin', label: 'Users', path: '/users', roles: ['admin'], order: 2 });
addSection({ group: 'admin', label: 'Your account', path: '/account', roles: ['admin', 'sales_ops', 'finance', 'manager', 'rep', 'executive'], order: 9 });
