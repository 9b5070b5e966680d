// Before the test suite: PostgreSQL and RabbitMQ must answer, or the run stops here and says
// how to start them. The suite never skips its integration tiers silently.
const net = require('node:net');

const targets = [
  {
    name: 'PostgreSQL',
    url: process.env.RDX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    port: 5432,
    start:
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)',
  },
  {
    name: 'RabbitMQ',
    url: process.env.RDX_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    port: 5672,
    start: 'rabbitmq-server -detached   (or: docker compose up -d rabbitmq)',
  },
];

function reachable({ url, port }) {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port || port) });
    socket.setTimeout(3000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

(async () => {
  const down = [];
  for (const target of targets) if (!(await reachable(target))) down.push(target);
  if (down.length === 0) return;
  for (const target of down) {
    console.error(`\n${target.name} does not answer at ${new URL(target.url).host}.`);
    console.error(`  Start it with: ${target.start}`);
  }
  console.error('\nThe test suite runs against real PostgreSQL and RabbitMQ and does not skip them.');
  console.error('Point it elsewhere with RDX_TEST_DATABASE_URL and RDX_TEST_AMQP_URL.\n');
  process.exit(1);
})();
