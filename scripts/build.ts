/** `npm run build [-- --config FILE] [-- --out DIR]`: the build command of this repository (see build-command.ts). */
import { runBuildCli } from './build-command';

const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
process.exitCode = await runBuildCli(process.argv.slice(2), io, 'npm run build --');
