// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  // @grafana/data 13 pulls in d3 packages that ship only .mjs files, which the base transform does not match.
  transform: { ...base.transform, '^.+\\.mjs$': swc },
  // jsdom makes jest pick yaml's ESM browser build; its CommonJS build works the same.
  moduleNameMapper: { ...base.moduleNameMapper, '^yaml$': '<rootDir>/node_modules/yaml/dist/index.js' },
  // The PromQL suite needs a real Prometheus and runs on its own (npm run test:promql).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/scripts/'],
};
