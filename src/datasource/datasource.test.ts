import { DataSource } from './datasource';

const ds = new DataSource({
  id: 1,
  uid: 'falco',
  type: 'containersec-falco-datasource',
  name: 'Falco',
  jsonData: {},
} as any);

test('only queries of a known type are sent to the backend', () => {
  expect(ds.filterQuery({ refId: 'A', queryType: 'storeStatus' })).toBe(true);
  expect(ds.filterQuery({ refId: 'A', queryType: 'nope' as any })).toBe(false);
  expect(ds.filterQuery({ refId: 'A' })).toBe(false);
  expect(ds.filterQuery({ refId: 'A', queryType: 'storeStatus', hide: true })).toBe(false);
});
