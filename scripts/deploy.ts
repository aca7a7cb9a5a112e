/** `npm run deploy`: puts the built dashboards' JSON into a Grafana folder (see `deploy/`). */
import { runDeployCli } from '../deploy';

process.exitCode = await runDeployCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
}, 'npm run deploy --');
