export * from './cds-hooks';
export * from './assessment';
export * from './record';
export * from './api';
export * from './operation-outcome';
export * from './format';
export * from './domain';
