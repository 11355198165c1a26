export const testIds = {
  table: 'data-testid falco-events-table',
  row: 'data-testid falco-event-row',
  loadMore: 'data-testid falco-events-load-more',
  drawer: 'data-testid falco-event-drawer',
  fields: 'data-testid falco-event-fields',
  output: 'data-testid falco-event-output',
  totals: 'data-testid falco-events-totals',
  rawJson: 'data-testid falco-event-json',
};
