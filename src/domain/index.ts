// The domain's public surface: pure types and rules, no I/O.
export * from './azure-names.js';
export * from './azure-permissions.js';
export * from './azure-times.js';
export * from './backup-item-names.js';
export * from './backup-model.js';
export * from './errors.js';
export * from './job-status.js';
export * from './policy.js';
export * from './protection-rules.js';
export * from './regions.js';
export * from './retention.js';
export * from './vm.js';
export * from './iso-duration.js';
export * from './suggestions.js';
export * from './restore.js';
