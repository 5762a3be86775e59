// Every bench prints one JSON result. A bench that ends without it (the event loop emptied while an
// await still waited on something that does not hold the process open, or an exit before the end)
// exits non-zero and says so, instead of printing nothing and exiting 0.
let printed = false;

process.on('exit', (code) => {
  if (printed || code !== 0) return;
  console.error('bench ended without its result: the event loop emptied while an await was still pending');
  process.exitCode = 1;
});

/** Print the bench's result (its JSON text) on stdout and mark the run as complete. */
export function printResult(json: string): void {
  printed = true;
  console.log(json);
}
