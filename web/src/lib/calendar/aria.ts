// @event-calendar/core marks its grid up as an ARIA table whose rows sit beside a toolbar and
// inside plain sections, which screen readers cannot walk and axe reports as critical
// (aria-required-children / -parent). Until the component's markup is a valid table, its
// table roles are taken off (the cells keep their text; events stay buttons, the agenda stays a
// list), with the attributes only a table allows, and its scrolling area gets keyboard focus. Re-applied whenever the grid re-renders.
const TABLE_ROLES = new Set(['table', 'row', 'rowgroup', 'rowheader', 'columnheader', 'cell', 'gridcell']);
/** Table-only attributes, invalid once the table roles are gone. */
const TABLE_ATTRIBUTES = [
  'aria-colindex',
  'aria-rowindex',
  'aria-colcount',
  'aria-rowcount',
  'aria-colspan',
  'aria-rowspan',
];

function repair(root: HTMLElement, label: string): void {
  for (const element of root.querySelectorAll<HTMLElement>('[role]'))
    if (TABLE_ROLES.has(element.getAttribute('role') ?? '')) element.removeAttribute('role');
  for (const name of TABLE_ATTRIBUTES)
    for (const element of root.querySelectorAll<HTMLElement>(`[${name}]`)) element.removeAttribute(name);
  for (const main of root.querySelectorAll<HTMLElement>('.ec-main')) {
    if (main.tabIndex !== 0) main.tabIndex = 0;
    if (!main.hasAttribute('aria-label')) main.setAttribute('aria-label', label);
  }
}

/** `use:repairGridAria={label}` on the element around a Calendar. */
export function repairGridAria(root: HTMLElement, label: string) {
  let current = label;
  repair(root, current);
  const observer = new MutationObserver(() => repair(root, current));
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['role', ...TABLE_ATTRIBUTES],
  });
  return {
    update(next: string) {
      current = next;
      repair(root, current);
    },
    destroy() {
      observer.disconnect();
    },
  };
}
