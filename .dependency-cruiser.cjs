// Import-direction lint (npm run lint). The layers point one way:
//   routes → actions → (policies, presenters) → store
// realtime subscribes to the event bus and may call actions, never routes; the store knows
// nothing above it; protocol (shared with the web client) imports nothing of the server.
const layer = (name) => `^server/src/${name}/`;

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Circular imports blur the layers.', from: {}, to: { circular: true } },
    { name: 'store-is-the-bottom', severity: 'error', from: { path: layer('store') },
      to: { path: [layer('actions'), layer('routes'), layer('realtime'), layer('policies'), layer('presenters'), layer('events')] } },
    { name: 'actions-do-not-know-http', severity: 'error', from: { path: layer('actions') }, to: { path: [layer('routes'), layer('realtime')] } },
    { name: 'policies-are-pure', severity: 'error', from: { path: layer('policies') },
      to: { path: [layer('actions'), layer('routes'), layer('realtime'), layer('presenters')] } },
    { name: 'presenters-only-shape', severity: 'error', from: { path: layer('presenters') },
      to: { path: [layer('actions'), layer('routes'), layer('realtime'), layer('policies')] } },
    { name: 'realtime-imports-no-routes', severity: 'error', from: { path: layer('realtime') }, to: { path: layer('routes') } },
    { name: 'events-are-a-leaf', severity: 'error', from: { path: layer('events') },
      to: { path: [layer('actions'), layer('routes'), layer('realtime'), layer('store')] } },
    { name: 'files-are-a-leaf', severity: 'error', comment: 'Storage drivers and image processing know nothing of the app.',
      from: { path: layer('files') },
      to: { path: [layer('actions'), layer('routes'), layer('realtime'), layer('store'), layer('policies'), layer('presenters'), layer('events')] } },
    { name: 'routes-do-not-touch-the-store', severity: 'error', comment: 'Routes call actions; actions call the store.',
      from: { path: layer('routes') }, to: { path: layer('store') } },
    { name: 'protocol-is-standalone', severity: 'error', from: { path: '^protocol/' }, to: { path: '^server/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|/dist/)' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
