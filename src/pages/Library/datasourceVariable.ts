// The page's Prometheus picker; previews, exporter checks and Explore links use the datasource it holds.
export const DATASOURCE_VARIABLE = 'datasource';
