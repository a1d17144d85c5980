// sections.js - the navigation: groups of sections (My pay, Team, Operations, Finance, ...),
// each shown to the roles that may use it. Later features (Perform, Predict) add their own
// groups and sections with addSection; the frame draws whatever is registered.

const groups = [];
const sections = [];

export function addGroup(id, label, order) {
  groups.push({ id, label, order });
  groups.sort((a, b) => a.order - b.order);
}

/* { group, id, label, path, roles: [...], order, match: prefix for the active mark } */
export function addSection(s) {
  sections.push({ order: 100, ...s });
  sections.sort((a, b) => a.order - b.order);
}

export function navFor(role) {
  return groups
    .map((g) => ({ ...g, sections: sections.filter((s) => s.group === g.id && s.roles.includes(role)) }))
    .filter((g) => g.sections.length);
}

export function homeFor(role) {
  return { rep: '/my', manager: '/team', sales_ops: '/runs', finance: '/payouts', admin: '/runs', executive: '/payouts' }[role] || '/my';
}

export const ALL = ['admin', 'sales_ops', 'finance', 'manager', 'rep', 'executive'];
