import { runRdx } from './cli.program';

/** The `rdx` executable (bin/rdx.js): agencies', administrators' and operators' command line. */
runRdx(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rdx: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
