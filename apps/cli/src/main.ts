import { runRdx } from './cli.program';

/** The `rdx` executable (bin/rdx.js): agencies', administrators' and operators' command line. */

// Output piped into a reader that stops early (`rdx adapter convert ... | head`) ends the run quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
runRdx(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`rdx: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
