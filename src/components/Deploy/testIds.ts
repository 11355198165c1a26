// Shared by the jest tests and the Playwright specs, so both find the same elements.
export const deployTestIds = {
  target: 'data-testid deploy-target',
  loadFromCluster: 'data-testid deploy-load-from-cluster',
  preview: 'data-testid deploy-preview',
  plan: 'data-testid deploy-plan',
  deploy: 'data-testid deploy-apply',
  permission: 'data-testid deploy-permission',
  result: 'data-testid deploy-result',
  rollout: 'data-testid deploy-rollout',
  history: 'data-testid deploy-history',
  historyDiff: 'data-testid deploy-history-diff',
  error: 'data-testid deploy-error',
  export: 'data-testid deploy-export',
};
