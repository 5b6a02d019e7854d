// A small, realistic workspace for screenshots and layout tests.
import type { E2EServer, Person } from './server.js';

export interface Seeded {
  ada: Person;
  bob: Person;
  cat: Person;
  general: string;
  design: string;
  threadRoot: string;
}

export async function seedWorkspace(server: E2EServer): Promise<Seeded> {
  const ada = await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
  const bob = await server.person('bob', 'Bob Builder');
  const cat = await server.person('cat', 'Catherine Zhou');
  const general = await server.general(ada);
  const design = (await server.api(ada, 'POST', '/api/v1/channels', { name: 'design', kind: 'public', topic: 'Pixels, palettes and the new logo' })).id;
  await server.api(bob, 'POST', `/api/v1/channels/${design}/join`);
  await server.api(ada, 'POST', '/api/v1/channels', { name: 'leadership', kind: 'private' });
  await server.api(ada, 'POST', '/api/v1/channels', { name: 'random', kind: 'public', topic: 'Water cooler' });
  await server.api(cat, 'PATCH', '/api/v1/users/me', { statusText: 'In a meeting', statusEmoji: 'calendar' });

  await server.say(bob, general, 'Morning all! :wave: Did anyone see the **deploy** notes?');
  await server.say(bob, general, 'They are at https://example.com/deploy — the _short_ version: ~~Friday~~ Monday.');
  const q = await server.say(cat, general, 'Quick question for @ada: should `parley` ship with PGlite by default?');
  await server.say(ada, general, 'Yes, zero setup:\n```ts\nconst db = new PGlite(dataDir);\nawait migrate(db);\n```\n> Production should use PostgreSQL.');
  const root = await server.say(bob, general, 'What should we name the mascot? :thinking_face:');
  await server.say(cat, general, 'A parrot? It *parleys*.', { threadRootId: root.id });
  await server.say(ada, general, 'Love it @cat :parrot:', { threadRootId: root.id });
  await server.api(ada, 'PUT', `/api/v1/messages/${q.id}/reactions/%2B1`);
  await server.api(bob, 'PUT', `/api/v1/messages/${q.id}/reactions/%2B1`);
  await server.api(cat, 'PUT', `/api/v1/messages/${q.id}/reactions/eyes`);
  await server.say(cat, general, 'Checklist for Monday:\n1. Freeze `main`\n2. Tag the release\n3. :rocket:');
  await server.say(bob, design, 'New palette is up :art: @channel');
  const dm = await server.api(bob, 'POST', '/api/v1/dms', { userIds: [ada.user.id] });
  await server.say(bob, dm.id, 'Hey Ada, got a minute?');
  await server.api(cat, 'POST', '/api/v1/dms', { userIds: [ada.user.id] });
  return { ada, bob, cat, general, design, threadRoot: root.id };
}
