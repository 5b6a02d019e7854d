export * from './schemas.js';
export * from './events.js';
export * from './reducer.js';
export * from './errors.js';
export * from './identity.js';
export * from './search.js';
export * from './audit.js';
export * from './imports.js';
