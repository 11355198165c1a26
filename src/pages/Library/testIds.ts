// Selectors shared by the page and its end-to-end spec.
export const testIds = {
  search: 'data-testid library-search',
  entry: (id: string) => `data-testid library-entry ${id}`,
  query: 'data-testid library-query',
};
