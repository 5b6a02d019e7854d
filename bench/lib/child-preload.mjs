// Loaded into benchmark children with `node --expose-gc --import`. It adds nothing to the
// code under test: over the IPC channel it answers memory questions, writes heap snapshots,
// and starts/stops a CPU profile of a chosen interval; and it makes the child exit when the
// benchmark that started it goes away (the IPC channel closes).
import fs from 'node:fs';

if (process.send) {
  let session = null;
  const reply = (m, extra) => process.send?.({ type: m.type, id: m.id, ...extra });
  const post = (method, params) => new Promise((resolve, reject) =>
    session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

  process.on('message', async (m) => {
    if (!m || typeof m.type !== 'string') return;
    if (m.type === 'bench:memory') {
      if (m.gc && typeof globalThis.gc === 'function') {
        globalThis.gc();
        globalThis.gc();
      }
      // Let the allocator hand freed pages back before the reading.
      setTimeout(() => reply(m, { usage: process.memoryUsage() }), 300);
    } else if (m.type === 'bench:heap-snapshot') {
      const v8 = await import('node:v8');
      if (typeof globalThis.gc === 'function') globalThis.gc();
      v8.writeHeapSnapshot(m.file);
      reply(m, {});
    } else if (m.type === 'bench:profile-start') {
      const { Session } = await import('node:inspector');
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      reply(m, {});
    } else if (m.type === 'bench:profile-stop') {
      const { profile } = await post('Profiler.stop');
      fs.writeFileSync(m.file, JSON.stringify(profile));
      session.disconnect();
      session = null;
      reply(m, {});
    }
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}
